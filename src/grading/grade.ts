// Grading one instance from its test_output.txt, as the SWE-bench harness does
// (swebench/harness/grading.py, v4.1: get_logs_eval, get_eval_tests_report,
// get_resolution_status, get_eval_report with include_tests_status=True).
import type { Instance } from "../dataset/schema.js";
import {
  classifyInfraFailure,
  logDescribesRun,
  testFailedLatest,
  testMaintained,
  testPassedLatest,
} from "./grade-latest.js";
import { PARSER_NAME_BY_REPO, parserFor, resolveParserName } from "./parsers.js";
import {
  BAD_CODES,
  END_TEST_OUTPUT,
  RESOLVED_FULL,
  RESOLVED_NO,
  RESOLVED_PARTIAL,
  START_TEST_OUTPUT,
  type ResolvedStatus,
  type StatusMap,
} from "./status.js";

export interface TestOutcomes {
  success: string[];
  failure: string[];
}
export interface TestsStatus {
  FAIL_TO_PASS: TestOutcomes;
  PASS_TO_PASS: TestOutcomes;
  FAIL_TO_FAIL: TestOutcomes;
  PASS_TO_FAIL: TestOutcomes;
}
/** One instance's entry in report.json; fields in the order the harness writes them. */
export interface InstanceReportEntry {
  patch_is_None: boolean;
  patch_exists: boolean;
  patch_successfully_applied: boolean;
  resolved: boolean;
  /** `latest` rules only: a log without results that looks like a broken environment (advisory). */
  infra_failure?: boolean;
  infra_failure_reason?: string;
  tests_status?: TestsStatus;
}

/** Which harness's grading: v4.1.0's, or its current release's (grade-latest.ts). */
export type GradingRules = "v4.1" | "latest";
/** The content of the harness's per-instance report.json: `{ [instance_id]: entry }`. */
export type InstanceReport = Record<string, InstanceReportEntry>;

export interface GradeOptions {
  /** False when every way of applying the model patch failed ("patch apply failed"). */
  patchApplied: boolean;
  /** The prediction has no patch (the harness's `model_patch is None` branch). */
  modelPatchIsEmpty?: boolean;
  /** Default v4.1. */
  rules?: GradingRules;
}

const has = (sm: StatusMap, test: string): boolean => Object.hasOwn(sm, test);
export const testPassed = (test: string, sm: StatusMap): boolean =>
  has(sm, test) && (sm[test] === "PASSED" || sm[test] === "XFAIL");
export const testFailed = (test: string, sm: StatusMap): boolean =>
  !has(sm, test) || sm[test] === "FAILED" || sm[test] === "ERROR";

/** Python's open() in text mode turns "\r\n" and lone "\r" into "\n"; the harness reads logs so. */
export const normalizeNewlines = (text: string): string => text.replace(/\r\n?/g, "\n");

/**
 * get_logs_eval: the status map of a test log, and whether results were found at all. No
 * results if a failure code appears anywhere, or either test-output marker is missing.
 * The text between the markers is parsed; if that yields nothing, the whole log is.
 */
export function readTestOutput(
  testOutput: string,
  parserName: string,
  rules: GradingRules = "v4.1",
  instanceId?: string,
): { statusMap: StatusMap; found: boolean } {
  const content = normalizeNewlines(testOutput);
  const parse = parserFor(parserName, rules === "latest", instanceId);
  if (BAD_CODES.some((code) => content.includes(code))) return { statusMap: {}, found: false };
  if (!(content.includes(START_TEST_OUTPUT) && content.includes(END_TEST_OUTPUT)))
    return { statusMap: {}, found: false };
  // Python: content.split(START)[1].split(END)[0]
  const section = content.split(START_TEST_OUTPUT)[1].split(END_TEST_OUTPUT)[0];
  let statusMap = parse(section);
  if (Object.keys(statusMap).length === 0) statusMap = parse(content);
  if (rules === "latest" && !logDescribesRun(content, statusMap)) return { statusMap: {}, found: false };
  return { statusMap, found: true };
}

function sortTests(tests: readonly string[], sm: StatusMap, passed = testPassed, failed = testFailed): TestOutcomes {
  const out: TestOutcomes = { success: [], failure: [] };
  for (const test of tests) {
    if (passed(test, sm)) out.success.push(test);
    else if (failed(test, sm)) out.failure.push(test);
    // SKIPPED (or any other token) lands in neither list under the v4.1 rules.
  }
  return out;
}

/** get_eval_tests_report for the PASS_AND_FAIL eval type (every Python repo). */
export function evalTestsReport(
  sm: StatusMap,
  failToPass: readonly string[],
  passToPass: readonly string[],
  rules: GradingRules = "v4.1",
): TestsStatus {
  const latest = rules === "latest";
  return {
    FAIL_TO_PASS: latest ? sortTests(failToPass, sm, testPassedLatest, testFailedLatest) : sortTests(failToPass, sm),
    PASS_TO_PASS: latest ? sortTests(passToPass, sm, testMaintained, testFailedLatest) : sortTests(passToPass, sm),
    FAIL_TO_FAIL: { success: [], failure: [] },
    PASS_TO_FAIL: { success: [], failure: [] },
  };
}

// compute_fail_to_pass / compute_pass_to_pass: success share, 1 when the list is empty.
const rate = (o: TestOutcomes): number => {
  const total = o.success.length + o.failure.length;
  return total === 0 ? 1 : o.success.length / total;
};

/** get_resolution_status: FULL if all F2P and P2P pass; PARTIAL if some F2P and all P2P; else NO. */
export function resolutionStatus(status: TestsStatus): ResolvedStatus {
  const f2p = rate(status.FAIL_TO_PASS);
  const p2p = rate(status.PASS_TO_PASS);
  if (f2p === 1 && p2p === 1) return RESOLVED_FULL;
  if (f2p > 0 && f2p < 1 && p2p === 1) return RESOLVED_PARTIAL;
  return RESOLVED_NO;
}

/** The parser the harness uses for an instance: by repo, else the dataset's `log_parser`. */
export function parserNameFor(instance: Pick<Instance, "repo" | "log_parser" | "instance_id">): string {
  if (Object.hasOwn(PARSER_NAME_BY_REPO, instance.repo)) return PARSER_NAME_BY_REPO[instance.repo];
  if (instance.log_parser) return resolveParserName(instance.log_parser);
  throw new Error(
    `${instance.instance_id}: no SWE-bench log parser for repo ${instance.repo} and no log_parser column`,
  );
}

/** get_eval_report: the report.json content the harness writes for this instance and log. */
export function gradeInstance(instance: Instance, testOutput: string, opts: GradeOptions): InstanceReport {
  const entry: InstanceReportEntry = {
    patch_is_None: false,
    patch_exists: false,
    patch_successfully_applied: false,
    resolved: false,
    ...(opts.rules === "latest" ? { infra_failure: false } : {}),
  };
  const report: InstanceReport = { [instance.instance_id]: entry };
  if (opts.modelPatchIsEmpty) {
    entry.patch_is_None = true;
    return report;
  }
  entry.patch_exists = true;
  if (!opts.patchApplied) return report;
  const { statusMap, found } = readTestOutput(testOutput, parserNameFor(instance), opts.rules, instance.instance_id);
  if (!found) {
    const infra = opts.rules === "latest" ? classifyInfraFailure(testOutput) : null;
    if (infra) {
      entry.infra_failure = infra.tier === "environment";
      entry.infra_failure_reason = infra.reason;
    }
    return report;
  }
  entry.patch_successfully_applied = true;
  const status = evalTestsReport(statusMap, instance.FAIL_TO_PASS, instance.PASS_TO_PASS, opts.rules);
  entry.resolved = resolutionStatus(status) === RESOLVED_FULL;
  entry.tests_status = status;
  return report;
}

/** json.dumps(report, indent=4) byte for byte: non-ASCII written as \uXXXX escapes. */
export function formatReportJson(report: InstanceReport): string {
  return JSON.stringify(report, null, 4).replace(
    /[\u007f-\uffff]/g,
    (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"),
  );
}
