// The SWE-bench harness's log parser for `go test -v` output (log_parsers/go.py).
import { pyRe } from "./py-re.js";
import { pyStrip, toRecord } from "./py-text.js";
import type { StatusMap } from "./status.js";

const GO_RESULT = pyRe("^--- (PASS|FAIL|SKIP): (.+) \\((.+)\\)$");
const GO_STATUS: Record<string, string> = { PASS: "PASSED", FAIL: "FAILED", SKIP: "SKIPPED" };

/** parse_log_gotest: "--- PASS: TestName (0.00s)" lines, subtests ("TestA/sub") included. */
export function parseLogGotest(log: string): StatusMap {
  const sm = new Map<string, string>();
  for (const line of log.split("\n")) {
    const m = GO_RESULT.exec(pyStrip(line));
    if (m) sm.set(m[2], GO_STATUS[m[1]]);
  }
  return toRecord(sm);
}
