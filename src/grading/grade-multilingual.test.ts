// gradeInstance on SWE-bench Multilingual rows against the harness's get_eval_report (SWE-bench
// 7a21e05, current rules), run once with python3: for each of the 300 rows, logs in the row's
// log_parser format where all tests pass, one FAIL_TO_PASS test fails, the FAIL_TO_PASS tests
// are missing, or a shuffled random subset fails. The report JSON must match byte for byte.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { parseInstance } from "../dataset/load.js";
import type { Instance } from "../dataset/schema.js";
import { formatReportJson, gradeInstance, parserNameFor } from "./grade.js";

interface Row {
  instance_id: string;
  repo: string;
  log_parser: string;
  eval_type: string;
  FAIL_TO_PASS: string[];
  PASS_TO_PASS: string[];
}
interface Case {
  instance_id: string;
  kind: string;
  log: string;
  report?: string;
  error?: string;
}

const ref = JSON.parse(
  gunzipSync(readFileSync(new URL("./testdata/multilingual-grading.json.gz", import.meta.url))).toString("utf8"),
) as {
  instances: Row[];
  cases: Case[];
};
const instances = new Map<string, Instance>(
  ref.instances.map((r, i) => [
    r.instance_id,
    parseInstance({ ...r, base_commit: "0000000" }, `multilingual row ${i}`),
  ]),
);

describe("grading SWE-bench Multilingual rows as the harness does", () => {
  it("picks each row's log_parser column (no Multilingual repo is in the Python repo map)", () => {
    expect(instances.size).toBe(300);
    for (const r of ref.instances)
      expect(parserNameFor(instances.get(r.instance_id)!), r.instance_id).toBe(r.log_parser);
  });

  it("every row is eval_type pass_and_fail, the only type gradeInstance implements", () => {
    // The harness grades eval_type fail_only with check_fail_only; no Multilingual row needs it.
    expect(new Set(ref.instances.map((r) => r.eval_type))).toEqual(new Set(["pass_and_fail"]));
  });

  it("report.json equals get_eval_report's on 1200 generated logs (4 per row)", () => {
    const mismatches: string[] = [];
    let resolved = 0;
    for (const c of ref.cases) {
      const report = gradeInstance(instances.get(c.instance_id)!, c.log, { patchApplied: true, rules: "latest" });
      if (c.error) {
        mismatches.push(`${c.instance_id} ${c.kind}: harness raised ${c.error}`);
        continue;
      }
      if (report[c.instance_id].resolved) resolved++;
      if (formatReportJson(report) !== c.report)
        mismatches.push(`${c.instance_id} ${c.kind}: ${formatReportJson(report).slice(0, 400)}`);
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
    // Both outcomes occur, so the equality above is not only over "unresolved".
    expect(resolved).toBeGreaterThan(250);
    expect(ref.cases.length - resolved).toBeGreaterThan(900);
  });

  it("control: grading with another row's parser breaks the equality", () => {
    const c = ref.cases.find((x) => x.kind === "gold" && x.instance_id.startsWith("tokio-rs__"))!;
    const wrong = { ...instances.get(c.instance_id)!, log_parser: "parse_log_gotest" };
    expect(formatReportJson(gradeInstance(wrong, c.log, { patchApplied: true, rules: "latest" }))).not.toBe(c.report);
    expect(
      formatReportJson(gradeInstance(instances.get(c.instance_id)!, c.log, { patchApplied: true, rules: "latest" })),
    ).toBe(c.report);
  });
});
