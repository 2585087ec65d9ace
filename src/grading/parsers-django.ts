// The harness's Django parser (parse_log_django, v4.1), ported line for line. It reads
// `runtests.py --verbosity 2` output: "name ... ok|OK|skipped 'why'|FAIL|ERROR", where name
// is "test_x (module.Class)" or, for tests with a docstring, the docstring's first line
// (printed on its own line after "test_x (module.Class)").
import { beforeFirst, LogParseError, PY_WS, pySplit, pyStrip, toRecord } from "./py-text.js";
import type { StatusMap } from "./status.js";

const PASS_SUFFIXES = [" ... ok", " ... OK", " ...  OK"];
// django__django-7188: a migration message and the test name end up on one line.
const MIGRATION_PREFIX = "Applying sites.0002_alter_domain_unique...test_no_migrations";

// A test's "ok" pushed onto the next line by output Django prints meanwhile. Python's
// re.MULTILINE ^/$ are spelled out so only "\n" counts as a line break, as in Python.
const S = `[${PY_WS}]`;
const BOL = "(?:^|(?<=\\n))";
const EOL = "(?=\\n|$)";
const INTERRUPTED_OK = [
  new RegExp(
    `${BOL}([^\\n]*?)${S}\\.\\.\\.${S}Testing against Django installed in ([\\s\\S]*?) silenced\\)\\.\\nok${EOL}`,
    "gu",
  ),
  new RegExp(`${BOL}([^\\n]*?)${S}\\.\\.\\.${S}Internal Server Error: \\/([^\\n]*)\\/\\nok${EOL}`, "gu"),
  new RegExp(`${BOL}([^\\n]*?)${S}\\.\\.\\.${S}System check identified no issues \\(0 silenced\\)\\nok${EOL}`, "gu"),
];

function nameAfterColon(line: string): string {
  const parts = pySplit(line);
  if (parts.length < 2) throw new LogParseError("parse_log_django", line, "no test name after the colon");
  return pyStrip(parts[1]);
}

/** `parse_log_django`. Later lines win; "ok" at the start of a line passes the last test seen. */
export function parseLogDjango(log: string): StatusMap {
  const map = new Map<string, string>();
  let prevTest: string | undefined;
  for (const raw of log.split("\n")) {
    let line = pyStrip(raw);
    // The test's output spans several lines; the harness records it whenever seen.
    if (line.includes("--version is equivalent to version")) map.set("--version is equivalent to version", "PASSED");
    if (line.includes(" ... ")) prevTest = beforeFirst(line, " ... ");
    for (const suffix of PASS_SUFFIXES) {
      if (!line.endsWith(suffix)) continue;
      if (pyStrip(line).startsWith(MIGRATION_PREFIX)) {
        const i = line.indexOf("...");
        line = pyStrip(line.slice(i + 3));
      }
      map.set(line.slice(0, line.lastIndexOf(suffix)), "PASSED");
      break;
    }
    if (line.includes(" ... skipped")) map.set(beforeFirst(line, " ... skipped"), "SKIPPED");
    if (line.endsWith(" ... FAIL")) map.set(beforeFirst(line, " ... FAIL"), "FAILED");
    if (line.startsWith("FAIL:")) map.set(nameAfterColon(line), "FAILED");
    if (line.endsWith(" ... ERROR")) map.set(beforeFirst(line, " ... ERROR"), "ERROR");
    if (line.startsWith("ERROR:")) map.set(nameAfterColon(line), "ERROR");
    if (line.startsWith("ok") && prevTest !== undefined) map.set(prevTest, "PASSED");
  }
  for (const pattern of INTERRUPTED_OK) {
    for (const m of log.matchAll(pattern)) map.set(m[1], "PASSED");
  }
  return toRecord(map);
}
