// Python str semantics the harness's parsers rely on: str.split() / strip() use Python's
// whitespace set (not JavaScript's), and `\s` / `\d` in its regexes are Unicode-aware.

/** Characters for which Python's str.isspace() is true (also what `\s` matches in `re`). */
export const PY_WS = "\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const wsRun = new RegExp(`[${PY_WS}]+`, "u");
const leading = new RegExp(`^[${PY_WS}]+`, "u");
const trailing = new RegExp(`[${PY_WS}]+$`, "u");

/** Python `s.split()`: split on whitespace runs, no empty strings. */
export function pySplit(s: string): string[] {
  return s.split(wsRun).filter((part) => part !== "");
}

/** Python `s.strip()` with no arguments. */
export const pyStrip = (s: string): string => s.replace(leading, "").replace(trailing, "");

/** Python `s.replace(a, b)`: every non-overlapping occurrence, left to right. */
export const pyReplace = (s: string, a: string, b: string): string => s.split(a).join(b);

/** Python `s.split(sep)[0]`: the text before the first `sep` (all of s if absent). */
export const beforeFirst = (s: string, sep: string): string => {
  const i = s.indexOf(sep);
  return i < 0 ? s : s.slice(0, i);
};

/** Thrown where the harness itself would crash (an IndexError in its parser). */
export class LogParseError extends Error {
  constructor(parser: string, line: string, why: string) {
    super(
      `${parser}: ${why} in log line ${JSON.stringify(line)} (the SWE-bench harness raises IndexError here and writes no report)`,
    );
    this.name = "LogParseError";
  }
}

/** Insert-ordered map → plain object whose keys can be any string (even "__proto__"). */
export const toRecord = <V>(m: Map<string, V>): Record<string, V> => Object.fromEntries(m);
