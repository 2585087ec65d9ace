// The loop most non-Python parsers of the harness share: each line stripped (Python's
// str.strip), matched against one pattern, and the match turned into [name, status] (or skipped).
import { pyStrip, toRecord } from "./py-text.js";
import type { StatusMap } from "./status.js";

export type Recorder = (m: RegExpExecArray) => [string, string] | undefined;

export function eachStrippedLine(log: string, re: RegExp, record: Recorder): StatusMap {
  const sm = new Map<string, string>();
  for (const line of log.split("\n")) {
    const m = re.exec(pyStrip(line));
    const entry = m ? record(m) : undefined;
    if (entry) sm.set(entry[0], entry[1]);
  }
  return toRecord(sm);
}
