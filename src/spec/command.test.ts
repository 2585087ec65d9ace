// `swerl spec` end to end (in process): JSONL records and the --check report.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { liteParquet, multilingualParquet, verifiedJsonl } from "../../test/helpers/paths.js";
import { specCommand, type SpecRecord } from "./command.js";

async function runSpec(args: string[]): Promise<{ records: SpecRecord[]; stderr: string }> {
  const out = join(mkdtempSync(join(tmpdir(), "swerl-spec-")), "specs.jsonl");
  let stderr = "";
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  await specCommand().parseAsync([...args, "--out", out], { from: "user" });
  const records = readFileSync(out, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as SpecRecord);
  return { records, stderr };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("swerl spec", () => {
  it("writes instance_id, eval_script, test_directives and image for the selected instances", async () => {
    const { records } = await runSpec([
      "--dataset",
      verifiedJsonl,
      "--instance-ids",
      "django__django-15525,sympy__sympy-22080",
    ]);
    expect(records.map((r) => r.instance_id).sort()).toEqual(["django__django-15525", "sympy__sympy-22080"]);
    const django = records.find((r) => r.instance_id === "django__django-15525")!;
    expect(Object.keys(django).sort()).toEqual(["eval_script", "image", "instance_id", "test_directives"]);
    expect(django.test_directives).toEqual([
      "backends.sqlite.test_features",
      "fixtures_regress.models",
      "fixtures_regress.tests",
    ]);
    expect(django.image).toBe("swebench/sweb.eval.x86_64.django_1776_django-15525:latest");
    expect(django.eval_script).toMatch(/^#!\/bin\/bash\nset -uxo pipefail\n/);
  });

  it("--check reports the match count against the eval_script column, and each mismatch", async () => {
    const { records, stderr } = await runSpec([
      "--dataset",
      liteParquet,
      "--check",
      "--rules",
      "v4.1",
      "--namespace",
      "mirror",
    ]);
    expect(records).toHaveLength(300);
    expect(records[0]!.image.startsWith("mirror/sweb.eval.x86_64.")).toBe(true);
    const counted = /check: (\d+)\/300 eval scripts byte-identical/.exec(stderr);
    expect(counted, stderr).not.toBeNull();
    const matched = Number(counted![1]);
    expect(matched).toBeGreaterThanOrEqual(292);
    expect(stderr.match(/^ {2}\S+: line \d+ differs$/gm) ?? []).toHaveLength(300 - matched);
  });

  it("--check on SWE-bench Multilingual reports all 300 scripts byte-identical", async () => {
    const { records, stderr } = await runSpec(["--dataset", multilingualParquet, "--check"]);
    expect(records).toHaveLength(300);
    expect(records.every((r) => r.test_directives.length === 0)).toBe(true);
    expect(stderr).toContain("check: 300/300 eval scripts byte-identical to the dataset's eval_script");
  });

  it("fails with the instance named when a repo has no spec", async () => {
    const [row] = readFileSync(verifiedJsonl, "utf8").split("\n", 1);
    const dataset = join(mkdtempSync(join(tmpdir(), "swerl-spec-")), "unknown.jsonl");
    writeFileSync(
      dataset,
      JSON.stringify({ ...(JSON.parse(row!) as object), instance_id: "nobody__norepo-1", repo: "nobody/norepo" }) +
        "\n",
    );
    const cmd = specCommand().exitOverride();
    await expect(cmd.parseAsync(["--dataset", dataset, "--out", "/dev/null"], { from: "user" })).rejects.toThrow(
      /^instance nobody__norepo-1: no test spec: repo "nobody\/norepo" is not one of the known repos/,
    );
  });
});
