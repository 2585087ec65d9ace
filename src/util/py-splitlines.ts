// Python's str.splitlines(): the reward, Agentless's structure and the repair prompt split
// text into lines the way Python does (\v, \f, \x1c-\x1e, \x85, \u2028, \u2029 break lines too).
const PY_LINE_BREAKS = new Set([0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x85, 0x2028, 0x2029]);

/** Python `s.splitlines()` (keepends=False). */
export function pySplitLines(s: string): string[] {
  const lines: string[] = [];
  let start = 0;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x1e && c !== 0x85 && c !== 0x2028 && c !== 0x2029) continue; // fast path
    if (!PY_LINE_BREAKS.has(c)) continue;
    lines.push(s.slice(start, i));
    if (c === 0x0d && i + 1 < n && s.charCodeAt(i + 1) === 0x0a) i++;
    start = i + 1;
  }
  if (start < n) lines.push(s.slice(start));
  return lines;
}
