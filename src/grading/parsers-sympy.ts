// The harness's SymPy parser (parse_log_sympy, v4.1), ported line for line. It reads
// `bin/test -C --verbose` output: one "test_name ok|F|E" line per test, and a header
// "____ sympy/x/tests/test_y.py:test_name ____" above each failure's traceback (recorded
// as FAILED under the "path.py:name" key; the dataset's lists use the bare names).
import { pySplit, pyStrip, toRecord } from "./py-text.js";
import type { StatusMap } from "./status.js";

// Python's `.` stops only at "\n"; JavaScript's also at "\r", U+2028 and U+2029.
const FAILURE_HEADER = /(_*) ([^\n]*)\.py:([^\n]*) (_*)/g;

/** `parse_log_sympy`. */
export function parseLogSympy(log: string): StatusMap {
  const map = new Map<string, string>();
  for (const m of log.matchAll(FAILURE_HEADER)) map.set(`${m[2]}.py:${m[3]}`, "FAILED");
  for (const raw of log.split("\n")) {
    const line = pyStrip(raw);
    if (!line.startsWith("test_")) continue;
    if (line.endsWith(" E")) map.set(pySplit(line)[0], "ERROR");
    if (line.endsWith(" F")) map.set(pySplit(line)[0], "FAILED");
    if (line.endsWith(" ok")) map.set(pySplit(line)[0], "PASSED");
  }
  return toRecord(map);
}
