// End-to-end grading of real Verified instances against test logs composed from their
// FAIL_TO_PASS / PASS_TO_PASS lists, wrapped the way the eval script prints them (set -x).
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { loadDataset } from "../dataset/load.js";
import type { Instance } from "../dataset/schema.js";
import { formatReportJson, gradeInstance, parserNameFor, resolutionStatus, type InstanceReport } from "./grade.js";

const VERIFIED = fileURLToPath(new URL("../../../shared/datasets/swe-bench-verified.test.jsonl", import.meta.url));
let all: Instance[];
beforeAll(async () => {
  all = await loadDataset(VERIFIED);
});
const row = (id: string): Instance => {
  const inst = all.find((i) => i.instance_id === id);
  if (!inst) throw new Error(`${id} missing from ${VERIFIED}`);
  return inst;
};

/** The test command the instance's eval script runs between the markers. */
function testCommand(inst: Instance): string {
  const lines = inst.eval_script!.split("\n");
  return lines[lines.indexOf(": '>>>>> Start Test Output'") + 1];
}

/** A test_output.txt as the harness stores it: xtrace lines, markers, the runner's output. */
function evalLog(inst: Instance, output: string[], opts: { end?: boolean } = {}): string {
  const testFile = "tests/some_test_file.py";
  return [
    "+ source /opt/miniconda3/bin/activate",
    "++ _CONDA_ROOT=/opt/miniconda3",
    "+ cd /testbed",
    `+ git checkout ${inst.base_commit} ${testFile}`,
    `Updated 0 paths from ${inst.base_commit.slice(0, 10)}`,
    "+ git apply -v -",
    `Checking patch ${testFile}...`,
    `Applied patch ${testFile} cleanly.`,
    "+ : '>>>>> Start Test Output'",
    `+ ${testCommand(inst)}`,
    ...output,
    ...(opts.end === false ? [] : ["+ : '>>>>> End Test Output'"]),
    `+ git checkout ${inst.base_commit} ${testFile}`,
    `Updated 1 path from ${inst.base_commit.slice(0, 10)}`,
    "",
  ].join("\n");
}

type Outcome = "pass" | "fail" | "error" | "skip" | "xfail";
/** One result line in the format of the instance's test runner. */
function resultLine(inst: Instance, name: string, outcome: Outcome): string {
  const parser = parserNameFor(inst);
  if (parser === "parse_log_django") {
    return `${name} ... ${{ pass: "ok", fail: "FAIL", error: "ERROR", skip: "skipped 'No database'", xfail: "expected failure" }[outcome]}`;
  }
  if (parser === "parse_log_sympy")
    return `${name} ${{ pass: "ok", fail: "F", error: "E", skip: "s", xfail: "f" }[outcome]}`;
  const status = { pass: "PASSED", fail: "FAILED", error: "ERROR", skip: "SKIPPED", xfail: "XFAIL" }[outcome];
  return outcome === "fail" ? `${status} ${name} - AssertionError: assert 1 == 2` : `${status} ${name}`;
}

const passing = (inst: Instance, names: string[]) => names.map((n) => resultLine(inst, n, "pass"));
const entry = (report: InstanceReport, inst: Instance) => report[inst.instance_id];

describe("gradeInstance", () => {
  it("FULL: a django instance whose tests all pass is resolved, report in the harness's shape", () => {
    const inst = row("django__django-11206");
    const output = [
      "Testing against Django installed in '/testbed/django'",
      "Importing application utils_tests",
      "Skipping setup of unused database(s): default, other.",
      "System check identified no issues (0 silenced).",
      ...passing(inst, [...inst.PASS_TO_PASS, ...inst.FAIL_TO_PASS]),
      "",
      "----------------------------------------------------------------------",
      `Ran ${inst.PASS_TO_PASS.length + inst.FAIL_TO_PASS.length} tests in 0.004s`,
      "",
      "OK",
    ];
    const report = gradeInstance(inst, evalLog(inst, output), { patchApplied: true });
    expect(Object.keys(report)).toEqual([inst.instance_id]);
    expect(Object.keys(entry(report, inst))).toEqual([
      "patch_is_None",
      "patch_exists",
      "patch_successfully_applied",
      "resolved",
      "tests_status",
    ]);
    expect(entry(report, inst)).toEqual({
      patch_is_None: false,
      patch_exists: true,
      patch_successfully_applied: true,
      resolved: true,
      tests_status: {
        FAIL_TO_PASS: { success: inst.FAIL_TO_PASS, failure: [] },
        PASS_TO_PASS: { success: inst.PASS_TO_PASS, failure: [] },
        FAIL_TO_FAIL: { success: [], failure: [] },
        PASS_TO_FAIL: { success: [], failure: [] },
      },
    });
    expect(Object.keys(entry(report, inst).tests_status!)).toEqual([
      "FAIL_TO_PASS",
      "PASS_TO_PASS",
      "FAIL_TO_FAIL",
      "PASS_TO_FAIL",
    ]);
    expect(resolutionStatus(entry(report, inst).tests_status!)).toBe("RESOLVED_FULL");
  });

  it("PARTIAL: a sympy instance with one of two FAIL_TO_PASS tests fixed is not resolved", () => {
    const inst = row("sympy__sympy-17655");
    const [fixed, stillBroken] = inst.FAIL_TO_PASS;
    const output = [
      "============================= test process starts ==============================",
      "",
      "sympy/geometry/tests/test_point.py[12] ",
      resultLine(inst, fixed, "pass"),
      resultLine(inst, stillBroken, "fail"),
      ...passing(inst, inst.PASS_TO_PASS),
      "test_direction_cosine ok                                                  [FAIL]",
      "",
      "________________________________________________________________________________",
      `__________ sympy/geometry/tests/test_point.py:${stillBroken} __________`,
      "AssertionError",
      "",
      "============ tests finished: 10 passed, 1 failed, in 1.05 seconds =============",
      "DO *NOT* COMMIT!",
    ];
    const e = entry(gradeInstance(inst, evalLog(inst, output), { patchApplied: true }), inst);
    expect(e.tests_status!.FAIL_TO_PASS).toEqual({ success: [fixed], failure: [stillBroken] });
    expect(e.tests_status!.PASS_TO_PASS).toEqual({ success: inst.PASS_TO_PASS, failure: [] });
    expect(resolutionStatus(e.tests_status!)).toBe("RESOLVED_PARTIAL");
    expect(e.resolved).toBe(false);
  });

  it("NO: a broken and a missing PASS_TO_PASS test both count as failures", () => {
    const inst = row("django__django-11206");
    const [broken, missing, ...rest] = inst.PASS_TO_PASS;
    const output = [...passing(inst, inst.FAIL_TO_PASS), resultLine(inst, broken, "error"), ...passing(inst, rest)];
    const e = entry(gradeInstance(inst, evalLog(inst, output), { patchApplied: true }), inst);
    expect(e.tests_status!.FAIL_TO_PASS).toEqual({ success: inst.FAIL_TO_PASS, failure: [] });
    expect(e.tests_status!.PASS_TO_PASS).toEqual({ success: rest, failure: [broken, missing] });
    expect(resolutionStatus(e.tests_status!)).toBe("RESOLVED_NO");
    expect(e.resolved).toBe(false);
  });

  it("counts XFAIL as a pass (astropy, pytest -rA summary)", () => {
    const inst = row("astropy__astropy-12907");
    const [xfailed, ...fixed] = inst.FAIL_TO_PASS;
    const output = [
      "============================= test session starts ==============================",
      `collected ${inst.FAIL_TO_PASS.length + inst.PASS_TO_PASS.length} items`,
      "=========================== short test summary info ============================",
      ...passing(inst, inst.PASS_TO_PASS),
      resultLine(inst, xfailed, "xfail"),
      ...passing(inst, fixed),
    ];
    const e = entry(gradeInstance(inst, evalLog(inst, output), { patchApplied: true }), inst);
    expect(e.tests_status!.FAIL_TO_PASS.success).toEqual(inst.FAIL_TO_PASS);
    expect(e.resolved).toBe(true);
    // The same log with the test FAILED instead is not resolved.
    const failing = output.map((l) =>
      l === resultLine(inst, xfailed, "xfail") ? resultLine(inst, xfailed, "fail") : l,
    );
    expect(entry(gradeInstance(inst, evalLog(inst, failing), { patchApplied: true }), inst).resolved).toBe(false);
  });

  it("puts a SKIPPED test in neither list (v4.1), so it does not block resolution", () => {
    const inst = row("django__django-11206");
    const [skipped, ...rest] = inst.PASS_TO_PASS;
    const output = [...passing(inst, inst.FAIL_TO_PASS), resultLine(inst, skipped, "skip"), ...passing(inst, rest)];
    const e = entry(gradeInstance(inst, evalLog(inst, output), { patchApplied: true }), inst);
    expect(e.tests_status!.PASS_TO_PASS).toEqual({ success: rest, failure: [] });
    expect(e.resolved).toBe(true);
  });

  it("reads CRLF logs and carriage-return progress like Python's text-mode open()", () => {
    const inst = row("django__django-11206");
    const [first, ...others] = [...inst.FAIL_TO_PASS, ...inst.PASS_TO_PASS];
    const output = [
      `Creating test database for alias 'default'...\r${resultLine(inst, first, "pass")}`,
      ...passing(inst, others),
    ];
    const lf = evalLog(inst, output);
    expect(entry(gradeInstance(inst, lf, { patchApplied: true }), inst).resolved).toBe(true);
    expect(entry(gradeInstance(inst, lf.replaceAll("\n", "\r\n"), { patchApplied: true }), inst).resolved).toBe(true);
  });
});

describe("logs without results", () => {
  const noResults = { patch_is_None: false, patch_exists: true, patch_successfully_applied: false, resolved: false };

  it("reports no results when the End marker is missing (e.g. the run was cut short)", () => {
    const inst = row("django__django-11206");
    const log = evalLog(inst, passing(inst, [...inst.FAIL_TO_PASS, ...inst.PASS_TO_PASS]), { end: false });
    expect(gradeInstance(inst, log, { patchApplied: true })).toEqual({ [inst.instance_id]: noResults });
  });

  it("reports no results when a failure code appears anywhere in the log", () => {
    const inst = row("django__django-11206");
    const good = evalLog(inst, passing(inst, [...inst.FAIL_TO_PASS, ...inst.PASS_TO_PASS]));
    for (const code of [
      ">>>>> Patch Apply Failed",
      ">>>>> Reset Failed",
      ">>>>> Tests Errored",
      ">>>>> Tests Timed Out",
    ]) {
      expect(gradeInstance(inst, `${code}\n${good}`, { patchApplied: true })).toEqual({
        [inst.instance_id]: noResults,
      });
    }
    expect(entry(gradeInstance(inst, good, { patchApplied: true }), inst).resolved).toBe(true);
  });

  it("reports no results when the patch did not apply, and patch_is_None for no patch", () => {
    const inst = row("sympy__sympy-17655");
    const good = evalLog(inst, passing(inst, [...inst.FAIL_TO_PASS, ...inst.PASS_TO_PASS]));
    expect(gradeInstance(inst, good, { patchApplied: false })).toEqual({ [inst.instance_id]: noResults });
    expect(gradeInstance(inst, good, { patchApplied: true, modelPatchIsEmpty: true })).toEqual({
      [inst.instance_id]: {
        patch_is_None: true,
        patch_exists: false,
        patch_successfully_applied: false,
        resolved: false,
      },
    });
  });

  it("falls back to the whole log only when nothing parses between the markers", () => {
    const inst = row("sympy__sympy-17655");
    const results = passing(inst, [...inst.FAIL_TO_PASS, ...inst.PASS_TO_PASS]);
    const outside = `${results.join("\n")}\n${evalLog(inst, ["no test output here"])}`;
    expect(entry(gradeInstance(inst, outside, { patchApplied: true }), inst).resolved).toBe(true);
    // With one result inside, the outside ones are ignored: the rest count as missing.
    const inside = `${results.join("\n")}\n${evalLog(inst, [results[0]])}`;
    const e = entry(gradeInstance(inst, inside, { patchApplied: true }), inst);
    expect(e.resolved).toBe(false);
    expect(e.tests_status!.FAIL_TO_PASS.success).toEqual([inst.FAIL_TO_PASS[0]]);
  });
});

describe("every Verified instance", () => {
  it("resolves with all its tests passing and not with its first FAIL_TO_PASS test failing", () => {
    expect(all.length).toBe(500);
    for (const inst of all) {
      const names = [...inst.FAIL_TO_PASS, ...inst.PASS_TO_PASS];
      const good = gradeInstance(inst, evalLog(inst, passing(inst, names)), { patchApplied: true });
      expect(entry(good, inst).resolved, inst.instance_id).toBe(true);
      const [first] = inst.FAIL_TO_PASS;
      const lines = names.map((n) => resultLine(inst, n, n === first ? "fail" : "pass"));
      const bad = entry(gradeInstance(inst, evalLog(inst, lines), { patchApplied: true }), inst);
      expect(bad.resolved, inst.instance_id).toBe(false);
      expect(bad.tests_status!.FAIL_TO_PASS.failure, inst.instance_id).toEqual([first]);
      expect(resolutionStatus(bad.tests_status!)).toBe(
        inst.FAIL_TO_PASS.length > 1 ? "RESOLVED_PARTIAL" : "RESOLVED_NO",
      );
    }
  });
});

describe("formatReportJson", () => {
  it("writes json.dumps(report, indent=4): 4-space indent, [] for empty lists, \\u escapes", () => {
    const inst = {
      ...row("sympy__sympy-17655"),
      instance_id: "x__y-1",
      FAIL_TO_PASS: ["test_\u00e5ngstr\u00f6m"],
      PASS_TO_PASS: [],
    };
    const log = evalLog(inst, ["test_\u00e5ngstr\u00f6m ok"]);
    const expected = [
      "{",
      '    "x__y-1": {',
      '        "patch_is_None": false,',
      '        "patch_exists": true,',
      '        "patch_successfully_applied": true,',
      '        "resolved": true,',
      '        "tests_status": {',
      '            "FAIL_TO_PASS": {',
      '                "success": [',
      '                    "test_\\u00e5ngstr\\u00f6m"',
      "                ],",
      '                "failure": []',
      "            },",
      '            "PASS_TO_PASS": {',
      '                "success": [],',
      '                "failure": []',
      "            },",
      '            "FAIL_TO_FAIL": {',
      '                "success": [],',
      '                "failure": []',
      "            },",
      '            "PASS_TO_FAIL": {',
      '                "success": [],',
      '                "failure": []',
      "            }",
      "        }",
      "    }",
      "}",
    ].join("\n");
    expect(formatReportJson(gradeInstance(inst, log, { patchApplied: true }))).toBe(expected);
  });
});
