// Python str semantics that JavaScript's built-ins get subtly wrong (str.splitlines() is in
// util/py-splitlines.ts): str.strip() (Python's whitespace set differs from String.prototype.trim's) and iteration by
// code point (len() counts code points, not UTF-16 units).

// Characters for which Python's str.isspace() is true.
const PY_WHITESPACE = new Set([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003,
  0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
]);

/** Python `s.strip()` with no argument. All Python whitespace is in the BMP. */
export function pyStrip(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && PY_WHITESPACE.has(s.charCodeAt(start))) start++;
  while (end > start && PY_WHITESPACE.has(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/** The code points of `s`, as Python sees the characters of a str. */
export function codePoints(s: string): Int32Array {
  const out = new Int32Array(s.length);
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out[n++] = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
        i++;
        continue;
      }
    }
    out[n++] = c;
  }
  return n === out.length ? out : out.slice(0, n);
}

/** Lines of `text`, each with its "\n" (the last may lack one), as Python's StringIO iterates them. */
export function splitKeepEnds(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", start)) {
    lines.push(text.slice(start, i + 1));
    start = i + 1;
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

/** Python's str.replace(old, new) with no count (an empty `old` inserts `new` around every character). */
export function pyReplaceAll(s: string, old: string, replacement: string): string {
  if (old !== "") return s.split(old).join(replacement);
  return replacement + Array.from(s).join(replacement) + (s === "" ? "" : replacement);
}
