// The strict variants (profiles swe-rl and agentless) against the reference functions' own
// outputs: SWE-RL's Agentless Mini (repair parsing, syntax check, localization parsing) and
// Agentless 1.5 (reproduction verdict, test extraction), run once with python3 on model-like
// outputs with slips (scripts/fidelity/generate_cases.py, run_reference.py). Every case must agree.
import { gunzipSync } from "node:zlib";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { differsOnlyByEmptyLines, strictEdits } from "../../src/reward/agentless-mini-edits.js";
import { astParses, processRepairOutput } from "../../src/repair/process-output.js";
import { parseLocalizationStrict } from "../../src/localize/parse.js";
import { strictReproductionOutcome } from "../../src/stage-common/reproduction-verdict.js";
import { agentlessFirstBlock, agentlessScript } from "../../src/reproduce/agentless.js";

interface RepairCase {
  id: number;
  output: string;
  thinking: boolean;
  file_contents: Record<string, string>;
  kinds: string[];
  ref: {
    edited_files: string[];
    new_contents: string[];
    syntax_ok: boolean;
    differ_by_empty_lines: boolean;
    patch_kept: boolean;
  };
}
interface Data {
  repair: RepairCase[];
  syntax: Array<{ id: number; texts: string[]; ref: { each: boolean[]; all: boolean } }>;
  localize: Array<{ id: number; output: string; thinking: boolean; listed: string[]; ref: { found_files: string[] } }>;
  verdict: Array<{ id: number; log: string; ref: { reproduced: boolean; resolved: boolean } }>;
  extract: Array<{ id: number; output: string; ref: { code: string | null; test_patch: string } }>;
}

const data = JSON.parse(
  gunzipSync(readFileSync(new URL("./agentless-mini-reference.json.gz", import.meta.url))).toString("utf8"),
) as Data;

describe("strict profile steps equal the reference functions", () => {
  it("has at least 500 cases per step, with slips and both answers", () => {
    for (const k of ["repair", "syntax", "localize", "verdict", "extract"] as const)
      expect(data[k].length).toBeGreaterThanOrEqual(500);
    const kept = data.repair.filter((c) => c.ref.patch_kept).length;
    expect(kept).toBeGreaterThan(50);
    expect(data.repair.length - kept).toBeGreaterThan(50);
  });

  it("repair parsing: edited files and new contents (Agentless Mini's two passes)", () => {
    const bad = data.repair
      .filter((c) => {
        const got = strictEdits(c.output, c.file_contents, c.thinking);
        return (
          JSON.stringify(got) !== JSON.stringify({ edited_files: c.ref.edited_files, new_contents: c.ref.new_contents })
        );
      })
      .map((c) => c.id);
    expect(bad).toEqual([]);
  });

  it("repair: the empty-lines check and whether the patch is kept (processRepairOutput, strict)", async () => {
    const bad: number[] = [];
    for (const c of data.repair) {
      const old = c.ref.edited_files.map((f) => c.file_contents[f]!);
      if (differsOnlyByEmptyLines(c.ref.new_contents, old) !== c.ref.differ_by_empty_lines) bad.push(c.id);
      const r = await processRepairOutput({
        output: c.output,
        contextFiles: Object.keys(c.file_contents),
        listing: new Map(),
        contents: c.file_contents,
        readFiles: async () => ({}),
        oracle: null,
        parser: "strict",
        syntaxCheck: "strict",
        thinking: c.thinking,
        locationSet: Object.keys(c.file_contents),
      });
      if ((r.patch !== "") !== c.ref.patch_kept) bad.push(c.id);
    }
    expect(bad).toEqual([]);
  });

  it("syntax check: ast.parse on each text and on the list", async () => {
    const bad: number[] = [];
    for (const c of data.syntax) {
      const each = await Promise.all(c.texts.map((t) => astParses([t])));
      if (JSON.stringify(each) !== JSON.stringify(c.ref.each) || (await astParses(c.texts)) !== c.ref.all)
        bad.push(c.id);
    }
    expect(bad).toEqual([]);
  });

  it("localization parsing: exact lines, no cap, no dedup", () => {
    const bad = data.localize
      .filter(
        (c) =>
          JSON.stringify(parseLocalizationStrict(c.output, new Set(c.listed), c.thinking).found_files) !==
          JSON.stringify(c.ref.found_files),
      )
      .map((c) => c.id);
    expect(bad).toEqual([]);
  });

  it("reproduction verdict: expected message present, the other two absent, ANSI colours removed", () => {
    const bad = data.verdict
      .filter((c) => {
        const v = strictReproductionOutcome(c.log);
        return (v === "reproduced") !== c.ref.reproduced || (v === "resolved") !== c.ref.resolved;
      })
      .map((c) => c.id);
    expect(bad).toEqual([]);
  });

  it("reproduction test extraction: the first ```python block, stripped, as reproduce_bug.py", () => {
    const bad = data.extract
      .filter((c) => {
        const code = agentlessFirstBlock(c.output);
        const script = agentlessScript(c.output).script;
        // the reference's file content: the patch's added lines (create_patch_from_code)
        const fromPatch =
          c.ref.test_patch === ""
            ? null
            : c.ref.test_patch
                .split("\n")
                .slice(6, -1)
                .map((l) => l.slice(1))
                .join("\n") + "\n";
        return code !== (c.ref.code || null) || script !== fromPatch;
      })
      .map((c) => c.id);
    expect(bad).toEqual([]);
  });
});
