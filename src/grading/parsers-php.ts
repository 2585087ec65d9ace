// The SWE-bench harness's log parser for `phpunit --testdox` output (log_parsers/php.py).
import { pyRe } from "./py-re.js";
import { toRecord } from "./py-text.js";
import type { StatusMap } from "./status.js";

// Lines are matched unstripped: a suite header starts in column 0.
const SUITE_HEADER = pyRe("^(\\w.+) \\(.+\\)$");
const TESTDOX_RESULT = pyRe("^\\s*([✔✘↩])\\s*(.*)$");
const TESTDOX_STATUS: Record<string, string> = { "✔": "PASSED", "✘": "FAILED", "↩": "SKIPPED" };

/** parse_log_phpunit: "Suite Name (Fully\\Qualified\\Class)" then "✔ test description" lines. */
export function parseLogPhpunit(log: string): StatusMap {
  const sm = new Map<string, string>();
  // Python formats a missing suite as "None".
  let suite = "None";
  for (const line of log.split("\n")) {
    const header = SUITE_HEADER.exec(line);
    if (header) {
      suite = header[1];
      continue;
    }
    const m = TESTDOX_RESULT.exec(line);
    if (m) sm.set(`${suite} > ${m[2]}`, TESTDOX_STATUS[m[1]]);
  }
  return toRecord(sm);
}
