// The SWE-bench harness's log parsers for Java runners (log_parsers/java.py): maven (one
// `mvn test -Dtest=...` per test, traced by `set -x`), ant's junit task, and gradle with the
// harness's test-logging config.
import { pyRe } from "./py-re.js";
import { pyStrip, toRecord } from "./py-text.js";
import type { StatusMap } from "./status.js";

// Greedy `.*` first: the last -Dtest= on the line names the test.
const MAVEN_TEST_CMD = pyRe("^.*-Dtest=(\\S+).*$");
const MAVEN_RESULT = pyRe("^.*BUILD (SUCCESS|FAILURE)$");
const BUILD_STATUS: Record<string, string> = { SUCCESS: "PASSED", FAILURE: "FAILED" };

/**
 * parse_log_maven: each traced command line queues its -Dtest name; each "BUILD SUCCESS|FAILURE"
 * line settles the oldest queued test, or waits (FIFO) for a later command line when none is queued.
 */
export function parseLogMaven(log: string): StatusMap {
  const sm = new Map<string, string>();
  const pendingTests: string[] = [];
  const unmatchedResults: string[] = [];
  for (const line of log.split("\n")) {
    const stripped = pyStrip(line);
    const cmd = MAVEN_TEST_CMD.exec(stripped);
    if (cmd) pendingTests.push(cmd[1]);
    const result = MAVEN_RESULT.exec(stripped);
    if (!result) continue;
    if (pendingTests.length > 0) sm.set(pendingTests.shift()!, BUILD_STATUS[result[1]]);
    else unmatchedResults.push(result[1]);
  }
  while (pendingTests.length > 0 && unmatchedResults.length > 0) {
    sm.set(pendingTests.shift()!, BUILD_STATUS[unmatchedResults.shift()!]);
  }
  return toRecord(sm);
}

const ANT_RESULT = pyRe("^\\s*\\[junit\\]\\s+\\[(PASS|FAIL|ERR)\\]\\s+(.*)$");

/** parse_log_ant: "[junit] [PASS] Class.method" lines; FAIL and ERR both count as FAILED. */
export function parseLogAnt(log: string): StatusMap {
  const sm = new Map<string, string>();
  for (const line of log.split("\n")) {
    const m = ANT_RESULT.exec(pyStrip(line));
    if (m) sm.set(m[2], m[1] === "PASS" ? "PASSED" : "FAILED");
  }
  return toRecord(sm);
}

const GRADLE_FULL = pyRe("^([^>].+)\\s+(PASSED|FAILED)$");
const GRADLE_NAME_ONLY = pyRe("^([^>]\\S*\\s+>\\s+\\S+)$");
const GRADLE_STATUS_ONLY = pyRe("^(PASSED|FAILED)$");

/**
 * parse_log_gradle_custom: "pkg.Class > method PASSED" lines; when output interleaves, a bare
 * "pkg.Class > method" line is settled by a later bare "PASSED"/"FAILED" line.
 */
export function parseLogGradleCustom(log: string): StatusMap {
  const sm = new Map<string, string>();
  let pending: string | null = null;
  for (const line of log.split("\n")) {
    const stripped = pyStrip(line);
    const full = GRADLE_FULL.exec(stripped);
    if (full) {
      sm.set(full[1], full[2]);
      pending = null;
      continue;
    }
    const name = GRADLE_NAME_ONLY.exec(stripped);
    if (name) {
      pending = name[1];
      continue;
    }
    if (pending !== null) {
      const status = GRADLE_STATUS_ONLY.exec(stripped);
      if (status) {
        sm.set(pending, status[1]);
        pending = null;
      }
    }
  }
  return toRecord(sm);
}
