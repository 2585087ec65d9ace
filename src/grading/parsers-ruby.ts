// The SWE-bench harness's log parsers for Ruby runners (log_parsers/ruby.py): test-unit's
// verbose output, rspec's JSON through jq, and jekyll (minitest or cucumber by instance).
import { eachStrippedLine } from "./line-scan.js";
import { pyRe } from "./py-re.js";
import type { StatusMap } from "./status.js";

const MINITEST_RESULT = pyRe("^(.+)\\. .*=.*(\\.|F|E).*$");

/** parse_log_minitest: "Class#test_name = 0.01 s = ." lines of `ruby -v`. */
export function parseLogMinitest(log: string): StatusMap {
  return eachStrippedLine(log, MINITEST_RESULT, (m) => [m[1], m[2] === "." ? "PASSED" : "FAILED"]);
}

const CUCUMBER_RESULT = pyRe("^(.*) \\.+(\\.|F)");

/** parse_log_cucumber: "name ......." / "name ...F" lines of `--format progress`. */
export function parseLogCucumber(log: string): StatusMap {
  return eachStrippedLine(log, CUCUMBER_RESULT, (m) => [m[1], m[2] === "." ? "PASSED" : "FAILED"]);
}

const RUBY_UNIT_RESULT = pyRe("^\\s*(?:test: )?(.+):\\s+(\\.|E\\b|F\\b|O\\b)");
const RUBY_UNIT_STATUS: Record<string, string> = { ".": "PASSED", E: "FAILED", F: "FAILED", O: "SKIPPED" };

/** parse_log_ruby_unit: test-unit's "test_name(Class): .: (0.001s)" verbose lines. */
export function parseLogRubyUnit(log: string): StatusMap {
  return eachStrippedLine(log, RUBY_UNIT_RESULT, (m) => [m[1], RUBY_UNIT_STATUS[m[2]]]);
}

// Matched at the start of the line but not anchored at its end.
const RSPEC_JSON_RESULT = pyRe("^(.+) - (passed|failed)");

/** parse_log_rspec_transformed_json: "description - ./spec/x_spec.rb[1:2] - passed" lines. */
export function parseLogRspecTransformedJson(log: string): StatusMap {
  return eachStrippedLine(log, RSPEC_JSON_RESULT, (m) => [m[1], m[2] === "passed" ? "PASSED" : "FAILED"]);
}

/** parse_log_jekyll: the parser for one instance (by the number after the first "-"). */
export function jekyllParserFor(instanceId: string): (log: string) => StatusMap {
  const pr = instanceId.split("-")[1];
  if (pr === "9141" || pr === "8047" || pr === "8167") return parseLogMinitest;
  if (pr === "8761" || pr === "8771") return parseLogCucumber;
  throw new Error(
    `parse_log_jekyll: unknown instance id ${instanceId} (the harness knows PRs 9141, 8047, 8167 (minitest) and 8761, 8771 (cucumber))`,
  );
}
