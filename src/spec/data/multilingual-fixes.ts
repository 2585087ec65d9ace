// Per-instance variants of the published SWE-bench Multilingual eval scripts.

export interface StderrAsideFix {
  /** Why the published script differs (what the variant protects the log parser from). */
  reason: string;
}

/**
 * Instances whose published script keeps the test command's stderr out of the parsed region:
 * bash's xtrace is switched off around the tests, the two markers are printed with `echo`,
 * the command's stderr goes to a file that is replayed on stderr after the end marker.
 */
export const STDERR_ASIDE_INSTANCES: Readonly<Record<string, StderrAsideFix>> = {
  "apache__lucene-13170": {
    reason: "gradle's stderr (warnings, daemon notices) interleaves with the per-test lines parse_log_gradle_custom reads",
  },
  "fastlane__fastlane-21857": {
    reason: "rspec's stderr (deprecation warnings) interleaves with the JSON summary that jq turns into the lines parse_log_rspec_transformed_json reads",
  },
};
