// The SWE-bench harness's log parser for `cargo test` output (log_parsers/rust.py).
import { pyRe } from "./py-re.js";
import { pyStrip, toRecord } from "./py-text.js";
import type { StatusMap } from "./status.js";

const CARGO_RESULT = pyRe("^test\\s+(\\S+)\\s+\\.\\.\\.\\s+(\\w+)$");

/** parse_log_cargo: "test path::name ... ok|FAILED" lines (ignored/other outcomes are dropped). */
export function parseLogCargo(log: string): StatusMap {
  const sm = new Map<string, string>();
  for (const line of log.split("\n")) {
    const m = CARGO_RESULT.exec(pyStrip(line));
    if (!m) continue;
    if (m[2] === "ok") sm.set(m[1], "PASSED");
    else if (m[2] === "FAILED") sm.set(m[1], "FAILED");
  }
  return toRecord(sm);
}
