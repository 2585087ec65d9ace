// `swerl reward` end to end through the built CLI: one answer per input line, malformed lines
// named and skipped, exit status 1 when any line was malformed.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../test/helpers/cli.js";
import { loadDataset } from "../dataset/load.js";
import { formatAnswer, editsFromPatch } from "./patch-to-edits.js";
import { calculateSearchReplaceReward } from "./reward.js";
import { searchReplaceCases, unifiedDiffCases, linePool } from "../../test/support/verified-cases.js";

const verified = join(import.meta.dirname, "..", "..", "..", "shared", "datasets", "swe-bench-verified.test.jsonl");
const rows = (await loadDataset(verified)).slice(0, 12);
const dir = mkdtempSync(join(tmpdir(), "swerl-reward-cli-"));

async function cli(args: string[], input?: string) {
  const run = await runCli(["reward", ...args], { input });
  const lines = run.stdout
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { reward: number | null; error?: string; similarities?: unknown[] });
  return { status: run.status, lines, stderr: run.stderr };
}

describe("swerl reward", () => {
  const cases = searchReplaceCases(rows, 5, linePool(rows));
  const pairs = cases.map((c) => ({
    code_context: c.codeContext,
    oracle_new_content: c.oracleNewContent,
    output: c.output,
  }));

  it("answers every line of a search/replace file with the library's reward", async () => {
    const file = join(dir, "pairs.jsonl");
    writeFileSync(file, pairs.map((p) => JSON.stringify(p)).join("\n") + "\n");
    const { status, lines } = await cli(["--input", file]);
    expect(status).toBe(0);
    expect(lines).toHaveLength(pairs.length);
    lines.forEach((line, i) => {
      const want = calculateSearchReplaceReward(pairs[i].code_context, pairs[i].oracle_new_content, pairs[i].output);
      expect(line.reward).toBe(want.reward);
      expect(line.error).toBe(want.error);
    });
    expect(new Set(lines.map((l) => l.reward)).size).toBeGreaterThan(5);
  });

  it("names malformed lines, answers the others, and exits 1", async () => {
    const good = JSON.stringify(pairs[0]);
    const input =
      [
        good,
        "{not json",
        "",
        JSON.stringify({ code_context: {}, output: "x" }),
        JSON.stringify({ ...pairs[0], output: 7 }),
        good,
      ].join("\n") + "\n";
    const { status, lines, stderr } = await cli(["--input", "-"], input);
    expect(status).toBe(1);
    expect(lines.map((l) => l.reward)).toEqual([1, null, null, null, null, 1]);
    expect(lines[1].error).toMatch(/^line 2: not JSON/);
    expect(lines[2].error).toBe("line 3: not JSON (empty line)");
    expect(lines[3].error).toMatch(
      /^line 4: not a \{code_context, oracle_new_content, output\} pair: field oracle_new_content/,
    );
    expect(lines[4].error).toMatch(/^line 5: .*field output/);
    expect(stderr).toContain("line 2: not JSON");
  });

  it("scores unified diffs with --kind unified_diff and prints similarities with --details", async () => {
    const diffCases = unifiedDiffCases(rows, 6, linePool(rows));
    const file = join(dir, "diffs.jsonl");
    writeFileSync(
      file,
      diffCases.map((c) => JSON.stringify({ oracle_patch: c.oraclePatches, pred_patch: c.predPatches })).join("\n") +
        "\n",
    );
    const { status, lines } = await cli(["--input", file, "--kind", "unified_diff", "--details"]);
    expect(status).toBe(0);
    expect(lines).toHaveLength(diffCases.length);
    diffCases.forEach((c, i) => {
      if (c.variant === "same") expect(lines[i].reward).toBe(1);
      if (c.variant === "test_patch") expect(lines[i].reward).toBe(0);
    });
    expect(lines[0].similarities).toBeInstanceOf(Array);
    const single = await cli(
      ["--input", "-", "--kind", "unified_diff"],
      JSON.stringify({ oracle_patch: rows[0].patch, pred_patch: rows[0].patch }) + "\n",
    );
    expect(single.lines).toEqual([{ reward: 1 }]);
  });

  it("rejects an unknown kind and a missing file", async () => {
    expect((await cli(["--input", "-", "--kind", "nope"], "")).stderr).toMatch(/nope/);
    const missing = await cli(["--input", join(dir, "absent.jsonl")]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/absent\.jsonl: no such file/);
  });

  it("gives -1 for the gold answer with its thought removed", async () => {
    const row = rows[0];
    const out = formatAnswer(" ", editsFromPatch(row.patch));
    const { lines } = await cli(["--input", "-"], JSON.stringify({ ...pairs[0], output: out }) + "\n");
    expect(lines).toEqual([{ reward: -1, error: "Thought is empty" }]);
  });
});
