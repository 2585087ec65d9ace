// The SWE-bench harness's log parsers for JavaScript runners (log_parsers/javascript.py):
// jest --verbose, jest --json through jq, vitest's verbose reporter, karma's spec reporter,
// mocha's TAP reporter, and immutable-js (jest or jest-json by instance).
import { eachStrippedLine } from "./line-scan.js";
import { pyRe } from "./py-re.js";
import { LogParseError, pyStrip, toRecord } from "./py-text.js";
import type { StatusMap } from "./status.js";

const JEST_RESULT = pyRe("^\\s*(✓|✕|○)\\s(.+?)(?:\\s\\((\\d+\\s*m?s)\\))?$");
const JEST_STATUS: Record<string, string> = { "✓": "PASSED", "✕": "FAILED", "○": "SKIPPED" };

/** parse_log_jest: "✓ name (5 ms)" lines of `jest --verbose` (describe blocks are not kept). */
export function parseLogJest(log: string): StatusMap {
  return eachStrippedLine(log, JEST_RESULT, (m) => [pyStrip(m[2]), JEST_STATUS[m[1]]]);
}

const JEST_JSON_RESULT = pyRe("^\\[(PASSED|FAILED)\\]\\s(.+)$");

/** parse_log_jest_json: "[PASSED] describe > test" lines that jq made from `jest --json`. */
export function parseLogJestJson(log: string): StatusMap {
  return eachStrippedLine(log, JEST_JSON_RESULT, (m) => [m[2], m[1]]);
}

const VITEST_RESULT = pyRe("^\\s*(✓|×|↓)\\s(.+?)(?:\\s(\\d+\\s*m?s?|\\[skipped\\]))?$");
const VITEST_STATUS: Record<string, string> = { "✓": "PASSED", "×": "FAILED", "↓": "SKIPPED" };

/** parse_log_vitest: "✓ file > describe > test 3ms" lines of `--reporter=verbose`. */
export function parseLogVitest(log: string): StatusMap {
  return eachStrippedLine(log, VITEST_RESULT, (m) => [m[2], VITEST_STATUS[m[1]]]);
}

const TAP_RESULT = pyRe("^(ok|not ok) (\\d+) (.+)$");

/** parse_log_tap: "ok 3 name" / "not ok 4 name" lines. */
export function parseLogTap(log: string): StatusMap {
  return eachStrippedLine(log, TAP_RESULT, (m) => [m[3], m[1] === "ok" ? "PASSED" : "FAILED"]);
}

// Unstripped: the indent is what nests describe blocks.
const KARMA_LINE = pyRe("^(\\s*)?([✔✖])?\\s(.*)$");

/**
 * parse_log_karma: after "Starting browser", an indented line without a mark opens a deeper
 * describe block (or, when less indented, closes one); "✔ name"/"✖ name" is a test in the open
 * blocks. Results end at "SUMMARY:".
 */
export function parseLogKarma(log: string): StatusMap {
  const sm = new Map<string, string>();
  let currentIndent = -1;
  const suite: string[] = [];
  let started = false;
  for (const line of log.split("\n")) {
    if (line.startsWith("SUMMARY:")) break;
    if (line.includes("Starting browser")) {
      started = true;
      continue;
    }
    if (!started) continue;
    const m = KARMA_LINE.exec(line);
    if (!m) continue;
    const [, indent, status, name] = m;
    if (indent && !status) {
      if (indent.length > currentIndent) {
        currentIndent = indent.length;
        suite.push(name);
      } else if (indent.length < currentIndent) {
        currentIndent = indent.length;
        if (suite.length === 0)
          throw new LogParseError("parse_log_karma", line, "a dedent with no open describe block");
        suite.pop();
        continue;
      }
    }
    if (status) sm.set([...suite, name].join(" > "), status === "✔" ? "PASSED" : "FAILED");
  }
  return toRecord(sm);
}

/** parse_log_immutable_js: the parser for one instance (by the number after its last "-"). */
export function immutableJsParserFor(instanceId: string): (log: string) => StatusMap {
  const pr = instanceId.split("-").at(-1);
  if (pr === "2006") return parseLogJest;
  if (pr === "2005") return parseLogJestJson;
  throw new Error(
    `parse_log_immutable_js: unknown instance id ${instanceId} (the harness knows PRs 2006 (jest) and 2005 (jest --json))`,
  );
}
