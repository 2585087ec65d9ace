// Python `re` patterns (str, no flags) as JavaScript RegExps with the same meaning on one log
// line: `\s`/`\S` use Python's whitespace set, `\d` is any Unicode decimal digit, `\w` any
// letter/number/underscore, `\b` after a word character is "no word character next", and `.`
// matches everything but "\n" (JavaScript's `.` also stops at "\r", U+2028 and U+2029).
import { PY_WS } from "./py-text.js";

const WORD = "[\\p{L}\\p{N}_]";

/** Translate a Python pattern written with \s \S \d \w and word-final \b into a JS RegExp. */
export function pyRe(pattern: string): RegExp {
  const src = pattern
    .replace(/\\b/g, `(?!${WORD})`)
    .replace(/\\s/g, `[${PY_WS}]`)
    .replace(/\\S/g, `[^${PY_WS}]`)
    .replace(/\\d/g, "\\p{Nd}")
    .replace(/\\w/g, WORD);
  return new RegExp(src, "su");
}
