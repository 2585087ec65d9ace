// Per-instance variants of the published SWE-bench Multilingual eval scripts.

export interface StderrAsideFix {
  /** Why the published script differs (what the variant protects the log parser from). */
  reason: string;
}

/**
 * Instances whose published script keeps the test command's stderr out of the parsed region:
 * bash's xtrace is switched off around the tests, the two markers are printed with `echo` on
 * stdout, the command's stderr goes to a file that is replayed on stderr after the end marker.
 * With the usual layout `set -x` traces the `: '>>>>> …'` markers to stderr, and where the
 * runner's stdout and stderr interleave the results can land outside the markers, so the
 * sliced log holds none (the harness's tests/test_grading_marker_fallback.py names
 * fastlane__fastlane-21857: 208 characters inside the markers, 3 results outside; its HEAD
 * grading falls back to the whole log for this, SWE-bench/SWE-bench#402).
 */
export const STDERR_ASIDE_INSTANCES: Readonly<Record<string, StderrAsideFix>> = {
  "apache__lucene-13170": {
    reason: "gradle's per-test lines (parse_log_gradle_custom) and the xtraced markers interleave on the combined log",
  },
  "fastlane__fastlane-21857": {
    reason: "the jq-transformed rspec results (parse_log_rspec_transformed_json) landed outside the xtraced markers",
  },
};
