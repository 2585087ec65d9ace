// Test statuses and report field names, spelled as the SWE-bench harness spells them
// (swebench/harness/constants, v4.1).

export const TEST_STATUSES = ["FAILED", "PASSED", "SKIPPED", "ERROR", "XFAIL"] as const;
/** A status the harness's parsers emit for well-formed logs. */
export type TestStatus = (typeof TEST_STATUSES)[number];
/**
 * What a parser stores for a test. The harness keeps the raw first token of a matching line
 * (e.g. "PASSED", but also "ERROR:" for a stray "ERROR: ..." line), so we keep it too; only
 * the exact values matter for grading.
 */
export type StatusToken = TestStatus | (string & {});
/** Test name → status, in the order the parser first saw each test. */
export type StatusMap = Record<string, StatusToken>;

export const RESOLVED_FULL = "RESOLVED_FULL";
export const RESOLVED_PARTIAL = "RESOLVED_PARTIAL";
export const RESOLVED_NO = "RESOLVED_NO";
export type ResolvedStatus = typeof RESOLVED_FULL | typeof RESOLVED_PARTIAL | typeof RESOLVED_NO;

// Markers in a test_output.txt (the eval script prints the first two via `set -x`).
export const START_TEST_OUTPUT = ">>>>> Start Test Output";
export const END_TEST_OUTPUT = ">>>>> End Test Output";
export const APPLY_PATCH_FAIL = ">>>>> Patch Apply Failed";
export const RESET_FAILED = ">>>>> Reset Failed";
export const TESTS_ERROR = ">>>>> Tests Errored";
export const TESTS_TIMEOUT = ">>>>> Tests Timed Out";
/** Codes whose presence anywhere in the log means "no results" (patch not applied). */
export const BAD_CODES = [APPLY_PATCH_FAIL, RESET_FAILED, TESTS_ERROR, TESTS_TIMEOUT] as const;

/** The note the harness appends to test_output.txt when the eval script times out. */
export const timeoutNote = (timeoutSeconds: number): string => `\n\nTimeout error: ${timeoutSeconds} seconds exceeded.`;
