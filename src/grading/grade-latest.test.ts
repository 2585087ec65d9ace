// `latest` rules against the harness's current release (SWE-bench/SWE-bench 5.0.x): 1,000
// generated test logs of Verified instances (truncated parametrized ids, SKIPPED tests and
// pytest's skip-summary lines, missing end markers, recorded exit codes, empty sections with
// and without signs the suite ran, infrastructure signatures), each graded once by the
// harness's own get_eval_report (outputs committed in testdata/, not its code), and the eval
// scripts its make_test_spec builds for every Verified row (sha256).
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { verifiedJsonl } from "../../test/helpers/paths.js";
import { loadDataset } from "../dataset/load.js";
import type { Instance } from "../dataset/schema.js";
import { makeTestSpec } from "../spec/test-spec.js";
import { formatReportJson, gradeInstance, type InstanceReport } from "./grade.js";
import { resolveCase, testFailedLatest, testMaintained } from "./grade-latest.js";

interface Reference {
  harness: string;
  cases: Array<{ instance_id: string; log: string; report: InstanceReport }>;
  eval_script_sha256: Record<string, string>;
}

let ref: Reference;
let byId: Map<string, Instance>;
beforeAll(async () => {
  ref = JSON.parse(
    gunzipSync(readFileSync(new URL("./testdata/harness-latest-cases.json.gz", import.meta.url))).toString("utf8"),
  ) as Reference;
  byId = new Map((await loadDataset(verifiedJsonl)).map((i) => [i.instance_id, i]));
});

describe("grading with the harness's current rules (--rules latest)", () => {
  it("gives the harness's report.json, byte for byte, on 1,000 generated logs", () => {
    expect(ref.cases).toHaveLength(1000);
    const differ: string[] = [];
    for (const [k, c] of ref.cases.entries()) {
      const mine = gradeInstance(byId.get(c.instance_id)!, c.log, { patchApplied: true, rules: "latest" });
      if (formatReportJson(mine) !== formatReportJson(c.report)) differ.push(`case ${k} (${c.instance_id})`);
    }
    expect(differ).toEqual([]);
    // the cases exercise each rule: some resolved, some classified, some with no results
    const entries = ref.cases.map((c) => c.report[c.instance_id]!);
    expect(entries.filter((e) => e.resolved).length).toBeGreaterThan(100);
    expect(entries.filter((e) => e.infra_failure_reason !== undefined).length).toBeGreaterThan(30);
    expect(entries.filter((e) => !e.patch_successfully_applied).length).toBeGreaterThan(100);
  });

  it("v4.1 rules grade the same logs differently where the newer rules changed (a control: the test can fail)", () => {
    let changed = 0;
    for (const c of ref.cases) {
      const v41 = gradeInstance(byId.get(c.instance_id)!, c.log, { patchApplied: true, rules: "v4.1" });
      const { infra_failure: _a, infra_failure_reason: _b, ...want } = c.report[c.instance_id]!;
      if (JSON.stringify(v41[c.instance_id]) !== JSON.stringify(want)) changed++;
    }
    expect(changed).toBeGreaterThan(100);
  });

  it("builds the harness's eval script for every Verified row (the column, the test command's exit code recorded)", () => {
    const differ = [...byId.values()].filter(
      (row) =>
        createHash("sha256")
          .update(makeTestSpec(row, { rules: "latest" }).evalScript)
          .digest("hex") !== ref.eval_script_sha256[row.instance_id],
    );
    expect(Object.keys(ref.eval_script_sha256)).toHaveLength(500);
    expect(differ.map((r) => r.instance_id)).toEqual([]);
  });

  it("matches a truncated parametrized id only when its completions agree on pass or fail", () => {
    expect(resolveCase("t[log(photon", { "t[log(photon)]": "PASSED", "t[log(photon2)]": "XFAIL" })).toBe(
      "t[log(photon)]",
    );
    expect(resolveCase("t[log(photon", { "t[log(photon)]": "PASSED", "t[log(photon2)]": "FAILED" })).toBeNull();
    expect(resolveCase("t[a]", { "t[a]x": "PASSED" })).toBeNull();
    expect(testMaintained("a", { a: "SKIPPED" })).toBe(true);
    expect(testFailedLatest("a", { a: "SKIPPED" })).toBe(true);
  });
});
