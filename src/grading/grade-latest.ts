// The harness's current grading rules (swebench/harness/grading.py and infra_failure.py after
// v4.1, release 5.0.x), next to v4.1's in grade.ts:
// - a truncated parametrized id ("test_x[log(photon") matches the log's ids it prefixes when
//   they agree on pass/fail (_resolve_case);
// - PASS_TO_PASS: a SKIPPED test is maintained (test_maintained); FAIL_TO_PASS: SKIPPED fails;
// - no results and no sign the suite ran (SUITE_RAN) → no results; a test command that exited
//   non-zero while the log shows no failure → no results (the eval script records the exit code);
// - a log with no results is classified (infra_failure, infra_failure_reason) for triage only.
import type { StatusMap } from "./status.js";

/** The eval script echoes the test command's exit status after the end marker under this label. */
export const TEST_EXIT_CODE = ">>>>> Test Exit Code";

const PASSING = new Set(["PASSED", "XFAIL"]);
const has = (sm: StatusMap, k: string): boolean => Object.hasOwn(sm, k);

/** _resolve_case: the status-map key for a test id, prefix-matching only ids with an unclosed "[". */
export function resolveCase(test: string, sm: StatusMap): string | null {
  if (has(sm, test)) return test;
  const opens = test.split("[").length - 1;
  const closes = test.split("]").length - 1;
  if (opens > closes) {
    const matches = Object.keys(sm).filter((k) => k.startsWith(test));
    if (matches.length > 0 && new Set(matches.map((k) => PASSING.has(sm[k]!))).size === 1) return matches[0]!;
  }
  return null;
}

export function testPassedLatest(test: string, sm: StatusMap): boolean {
  const key = resolveCase(test, sm);
  return key !== null && PASSING.has(sm[key]!);
}

/** test_maintained (PASS_TO_PASS): passed, or skipped. */
export function testMaintained(test: string, sm: StatusMap): boolean {
  const key = resolveCase(test, sm); // once: for a truncated id it scans every key of the log
  return key !== null && (PASSING.has(sm[key]!) || sm[key] === "SKIPPED");
}

/** test_failed: absent, FAILED, ERROR, or SKIPPED. */
export function testFailedLatest(test: string, sm: StatusMap): boolean {
  const key = resolveCase(test, sm);
  return key === null || sm[key] === "FAILED" || sm[key] === "ERROR" || sm[key] === "SKIPPED";
}

/** Evidence that a test runner executed (every count non-zero), for a log that parsed to nothing. */
// Python's \d and \w are Unicode-aware: \p{Nd} and [\p{L}\p{N}_] with the u flag.
export const SUITE_RAN = new RegExp(
  [
    "Executed [1-9]\\d* of \\d+",
    "TOTAL: [1-9]\\d* (?:SUCCESS|FAILED)",
    "[1-9]\\d* passing",
    "Tests:\\s+[1-9]\\d*",
    "Test Suites:\\s+(?:\\d+ \\w+, )*[1-9]\\d* total",
    "^# tests [1-9]\\d*",
    "[1-9]\\d* specs?, \\d+ failures?",
    "': ok$",
  ]
    .join("|")
    .replaceAll("\\d", "\\p{Nd}")
    .replaceAll("\\w", "[\\p{L}\\p{N}_]"),
  "mu",
);

/** parse_test_exit_code: the recorded exit status of the test command, or null. */
export function parseTestExitCode(content: string): number | null {
  // the eval script echoes bash's $?: ASCII digits (Python's \d would also take other scripts' digits)
  const m = />>>>> Test Exit Code:\s*(-?\d+)/.exec(content);
  return m ? Number(m[1]) : null;
}

/** The checks get_logs_eval adds after parsing: false = the log does not describe a real run. */
export function logDescribesRun(content: string, sm: StatusMap): boolean {
  const empty = Object.keys(sm).length === 0;
  if (empty && !SUITE_RAN.test(content)) return false;
  const exit = parseTestExitCode(content);
  if (exit !== null && exit !== 0 && !empty && !Object.values(sm).some((s) => s === "FAILED" || s === "ERROR"))
    return false;
  return true;
}

const INFRA_SIGNATURES: ReadonlyArray<readonly [reason: string, tier: "environment" | "ambiguous", pattern: RegExp]> = [
  ["browser_launch_failed", "environment", /Failed to launch|Failed to connect to the bus/m],
  ["display_unavailable", "environment", /cannot open display|Missing X server|unable to open X display/m],
  ["out_of_memory", "environment", /Cannot allocate memory|OutOfMemoryError|^Killed$/m],
  ["container_unavailable", "environment", /Error response from daemon|Cannot connect to the Docker daemon/m],
  ["network_unreachable", "environment", /Could not resolve host|Temporary failure in name resolution/m],
  ["missing_module", "ambiguous", /Cannot find module|MODULE_NOT_FOUND|ModuleNotFoundError/m],
  ["no_tests_collected", "ambiguous", /no tests ran|collected 0 items/m],
  ["tests_timed_out", "ambiguous", /Timeout error: \d+ seconds exceeded/m],
];

/** classify_text: the first matching signature's reason and tier, or null. */
export function classifyInfraFailure(text: string): { reason: string; tier: "environment" | "ambiguous" } | null {
  if (!text) return null;
  for (const [reason, tier, pattern] of INFRA_SIGNATURES) if (pattern.test(text)) return { reason, tier };
  return null;
}
