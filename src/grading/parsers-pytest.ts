// The harness's pytest-family log parsers (swebench/harness/log_parsers/python.py, v4.1),
// ported line for line. They read the short test summary of `pytest -rA`
// ("PASSED path::test", "FAILED path::test - message") and keep only the first token after
// the status as the test name: a parametrized id with a space in it is cut at the space,
// exactly as in the harness, and FAIL_TO_PASS / PASS_TO_PASS hold those cut names.
import { LogParseError, pyReplace, pySplit, toRecord } from "./py-text.js";
import { TEST_STATUSES, type StatusMap } from "./status.js";

const startsWithStatus = (line: string): boolean => TEST_STATUSES.some((s) => line.startsWith(s));
/** The harness's current release (`latest`) skips pytest's "SKIPPED [N] path:line: reason" summary lines, where "[N]" is no test. */
const skipSummary = (status: string, name: string): boolean => status === "SKIPPED" && /^\[\d+\]$/.test(name);
const endsWithStatus = (line: string): boolean => TEST_STATUSES.some((s) => line.endsWith(s));

/** `parse_log_pytest`: "STATUS name" lines; a FAILED line's " - " becomes a space first. */
export function parseLogPytest(log: string, latest = false): StatusMap {
  const map = new Map<string, string>();
  for (let line of log.split("\n")) {
    if (!startsWithStatus(line)) continue;
    if (line.startsWith("FAILED")) line = pyReplace(line, " - ", " ");
    const parts = pySplit(line);
    if (parts.length <= 1) continue;
    if (latest && skipSummary(parts[0], parts[1])) continue;
    map.set(parts[1], parts[0]);
  }
  return toRecord(map);
}

/**
 * `parse_log_pytest_options`: like parse_log_pytest, but a parameter that is an absolute
 * path is shortened to its last component (`test_x[/tmp/abc/file]` → `test_x[/file]`),
 * since temp paths differ between runs. Anything after the last "]" is dropped.
 */
export function parseLogPytestOptions(log: string, latest = false): StatusMap {
  const option = /([^\n]*?)\[([^\n]*)\]/;
  const map = new Map<string, string>();
  for (let line of log.split("\n")) {
    if (!startsWithStatus(line)) continue;
    if (line.startsWith("FAILED")) line = pyReplace(line, " - ", " ");
    const parts = pySplit(line);
    if (parts.length <= 1) continue;
    if (latest && skipSummary(parts[0], parts[1])) continue;
    const m = option.exec(parts[1]);
    let name = parts[1];
    if (m) {
      let opt = m[2];
      if (opt.startsWith("/") && !opt.startsWith("//") && !opt.includes("*")) opt = "/" + opt.split("/").at(-1)!;
      name = `${m[1]}[${opt}]`;
    }
    map.set(name, parts[0]);
  }
  return toRecord(map);
}

/**
 * `parse_log_pytest_v2` (astropy, scikit-learn, sphinx): strips "[<digits>m" colour codes
 * and control characters first, and also reads verbose "name STATUS" lines (older pytest).
 */
export function parseLogPytestV2(log: string, latest = false): StatusMap {
  const colour = /\[\p{Nd}+m/gu;
  const controls = /[\x01-\x1f]/g;
  const map = new Map<string, string>();
  for (let line of log.split("\n")) {
    line = line.replace(colour, "").replace(controls, "");
    if (startsWithStatus(line)) {
      // latest: the message after " - " is cut off; the id is every token after the status
      if (line.startsWith("FAILED")) line = latest ? line.split(" - ")[0]! : pyReplace(line, " - ", " ");
      const parts = pySplit(line);
      if (latest) {
        if (parts.length >= 2 && !skipSummary(parts[0]!, parts[1]!)) map.set(parts.slice(1).join(" "), parts[0]!);
      } else if (parts.length >= 2) map.set(parts[1], parts[0]);
    } else if (endsWithStatus(line)) {
      const parts = pySplit(line);
      if (parts.length >= 2) {
        if (latest) map.set(parts.slice(0, -1).join(" "), parts.at(-1)!);
        else map.set(parts[0], parts[1]);
      }
    }
  }
  return toRecord(map);
}

/** `parse_log_matplotlib`: parse_log_pytest after writing MouseButton.LEFT/RIGHT as 1/3. */
export function parseLogMatplotlib(log: string, latest = false): StatusMap {
  const lines = log.split("\n").map((l) => pyReplace(pyReplace(l, "MouseButton.LEFT", "1"), "MouseButton.RIGHT", "3"));
  return parseLogPytest(lines.join("\n"), latest);
}

/**
 * `parse_log_seaborn`: only PASSED and FAILED, from summary lines ("PASSED name",
 * "FAILED name") or verbose lines ("name PASSED [ 10%]"). A bare status word on its own
 * line crashes the v4.1 harness; we throw instead of guessing.
 */
export function parseLogSeaborn(log: string, latest = false): StatusMap {
  const map = new Map<string, string>();
  const second = (line: string, parts: string[]): string => {
    if (parts.length < 2) throw new LogParseError("parse_log_seaborn", line, "no test name after the status");
    return parts[1];
  };
  for (const line of log.split("\n")) {
    if (latest && pySplit(line).length < 2) continue; // latest: lines of fewer than two tokens are skipped
    if (line.startsWith("FAILED")) {
      map.set(second(line, pySplit(line)), "FAILED");
    } else if (line.includes(" PASSED ")) {
      const parts = pySplit(line);
      if (second(line, parts) === "PASSED") map.set(parts[0], "PASSED");
    } else if (line.startsWith("PASSED")) {
      map.set(second(line, pySplit(line)), "PASSED");
    }
  }
  return toRecord(map);
}
