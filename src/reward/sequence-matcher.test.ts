// Differential tests against CPython's difflib (python3 is on every machine, CI included):
// hundreds of seeded random pairs, heavy on ties and repeats, some long enough (>= 200) for
// autojunk to drop "popular" elements.
import { describe, expect, it } from "vitest";
import { runPythonReference } from "../../test/support/reward/run-python.js";
import { SequenceMatcher } from "./sequence-matcher.js";
import { unifiedDiff, formatRangeUnified } from "./unified-diff.js";
import { seededRandom } from "../../test/support/verified-cases.js";

const rng = seededRandom(20250226);
const int = (n: number) => Math.floor(rng() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];

const ALPHABETS = ["ab", "abc", "aab ", "abcdefgh", " \n\tx", "def (self):_", "a😀b", "0123456789"];
const LINE_POOLS = [
  ["", "x", "y"],
  ["", "", "pass", "    return 1", "}", "def f():"],
  ["a", "b", "c", "d", "e", "f", "g", "h"],
];

function mutate<T>(xs: T[], pool: readonly T[]): T[] {
  const out = [...xs];
  for (let k = int(6); k > 0; k--) {
    const at = int(out.length + 1);
    const op = int(3);
    if (op === 0) out.splice(at, 1);
    else if (op === 1) out.splice(at, 0, ...Array.from({ length: 1 + int(4) }, () => pick(pool)));
    else out.splice(at, 1, pick(pool));
  }
  return out;
}

function randomSeq<T>(pool: readonly T[]): [T[], T[]] {
  const long = rng() < 0.3;
  const n = long ? 200 + int(500) : int(60);
  const a = Array.from({ length: n }, () => pick(pool));
  const b = rng() < 0.75 ? mutate(a, pool) : Array.from({ length: long ? 200 + int(300) : int(60) }, () => pick(pool));
  return rng() < 0.5 ? [a, b] : [b, a];
}

interface MatcherCase {
  op: "matcher";
  a: string | string[];
  b: string | string[];
  autojunk: boolean;
}
const matcherCases: MatcherCase[] = [
  { op: "matcher", a: "abxcd", b: "abcd", autojunk: true },
  { op: "matcher", a: " abcd", b: "abcd abcd", autojunk: false },
  { op: "matcher", a: "", b: "", autojunk: false },
  { op: "matcher", a: "a".repeat(300), b: "a".repeat(250) + "b", autojunk: true },
];
for (const n of [199, 200]) {
  // autojunk starts at len(b) == 200
  const b = Array.from({ length: n }, (_, i) => "abcab"[i % 5] + (i % 7 === 0 ? "x" : ""))
    .join("")
    .slice(0, n);
  matcherCases.push({ op: "matcher", a: b.slice(3) + "zz" + b.slice(0, 50), b, autojunk: true });
}
for (let k = 0; k < 300; k++) {
  const [a, b] = randomSeq([...pick(ALPHABETS)]);
  matcherCases.push({ op: "matcher", a: a.join(""), b: b.join(""), autojunk: rng() < 0.5 });
}
for (let k = 0; k < 150; k++) {
  const [a, b] = randomSeq(pick(LINE_POOLS));
  matcherCases.push({ op: "matcher", a, b, autojunk: rng() < 0.5 });
}

interface DiffCase {
  op: "unified_diff";
  a: string[];
  b: string[];
  fromfile: string;
  tofile: string;
  n: number;
  lineterm: string;
}
const diffCases: DiffCase[] = [];
for (let k = 0; k < 150; k++) {
  const [a, b] = randomSeq(pick(LINE_POOLS));
  diffCases.push({
    op: "unified_diff",
    a,
    b,
    fromfile: pick(["", "old", "a/x.py"]),
    tofile: pick(["", "new"]),
    n: pick([0, 1, 3, 5]),
    lineterm: pick(["", "\n"]),
  });
}

type MatcherAnswer = { blocks: number[][]; opcodes: unknown[][]; ratio: number };
const answers = runPythonReference<unknown>([...matcherCases, ...diffCases]);

describe("SequenceMatcher vs CPython difflib", () => {
  it("covers long inputs on both autojunk settings and astral characters", () => {
    const long = matcherCases.filter((c) => c.b.length >= 200);
    expect(long.filter((c) => c.autojunk).length).toBeGreaterThan(20);
    expect(long.filter((c) => !c.autojunk).length).toBeGreaterThan(20);
    expect(matcherCases.some((c) => typeof c.a === "string" && c.a.includes("😀"))).toBe(true);
  });

  it("gives identical matching blocks, opcodes and ratio on every case", () => {
    let differentWithAutojunk = 0;
    matcherCases.forEach((c, i) => {
      const py = answers[i] as MatcherAnswer;
      const sm = new SequenceMatcher(c.a, c.b, { autojunk: c.autojunk });
      const where = `case ${i} ${JSON.stringify(c).slice(0, 200)}`;
      expect(
        sm.getMatchingBlocks().map((m) => [m.a, m.b, m.size]),
        where,
      ).toEqual(py.blocks);
      expect(sm.getOpcodes(), where).toEqual(py.opcodes);
      expect(sm.ratio(), where).toBe(py.ratio);
      if (new SequenceMatcher(c.a, c.b, { autojunk: !c.autojunk }).ratio() !== sm.ratio()) differentWithAutojunk++;
    });
    expect(differentWithAutojunk).toBeGreaterThan(10); // autojunk really changes results here
  });

  it("finds the longest match the way CPython breaks ties", () => {
    // earliest in a, then earliest in b, among the longest
    expect(new SequenceMatcher(" abcd", "abcd abcd").findLongestMatch(0, 5, 0, 9)).toEqual({ a: 0, b: 4, size: 5 });
    expect(new SequenceMatcher("ab", "c").findLongestMatch(0, 2, 0, 1)).toEqual({ a: 0, b: 0, size: 0 });
    expect(new SequenceMatcher("xaxa", "axax").findLongestMatch()).toEqual({ a: 0, b: 1, size: 3 });
  });
});

/**
 * CPython's find_longest_match as written in difflib.py (the row-by-row j2len DP over b2j,
 * popular elements left out of b2j, then the extension loops), restated plainly: the
 * reference for the strided search in SequenceMatcher.findLongestMatch.
 */
function textbookLongestMatch(
  a: string[],
  b: string[],
  autojunk: boolean,
  alo: number,
  ahi: number,
  blo: number,
  bhi: number,
) {
  const b2j = new Map<string, number[]>();
  b.forEach((x, j) => {
    const l = b2j.get(x);
    if (l) l.push(j);
    else b2j.set(x, [j]);
  });
  if (autojunk && b.length >= 200) {
    const ntest = Math.floor(b.length / 100) + 1;
    for (const [x, l] of [...b2j]) if (l.length > ntest) b2j.delete(x);
  }
  let [besti, bestj, bestsize] = [alo, blo, 0];
  let j2len = new Map<number, number>();
  for (let i = alo; i < ahi; i++) {
    const newj2len = new Map<number, number>();
    for (const j of b2j.get(a[i]) ?? []) {
      if (j < blo) continue;
      if (j >= bhi) break;
      const k = (j2len.get(j - 1) ?? 0) + 1;
      newj2len.set(j, k);
      if (k > bestsize) [besti, bestj, bestsize] = [i - k + 1, j - k + 1, k];
    }
    j2len = newj2len;
  }
  while (besti > alo && bestj > blo && a[besti - 1] === b[bestj - 1])
    [besti, bestj, bestsize] = [besti - 1, bestj - 1, bestsize + 1];
  while (besti + bestsize < ahi && bestj + bestsize < bhi && a[besti + bestsize] === b[bestj + bestsize]) bestsize++;
  return { a: besti, b: bestj, size: bestsize };
}

describe("the strided longest-match search vs CPython's row-by-row DP", () => {
  it("gives the same match on thousands of random boxes (ties, repeats, long runs, popular elements)", () => {
    const r = seededRandom(5);
    const n = (k: number) => Math.floor(r() * k);
    let ties = 0;
    for (let k = 0; k < 3000; k++) {
      const alphabet = [...["ab", "aab", "abc", "  x", "abcdefgh"][n(5)]];
      const long = r() < 0.2;
      const base = Array.from({ length: long ? 200 + n(300) : n(80) }, () => alphabet[n(alphabet.length)]);
      // b: a copy of a with a few edits (long shared runs), or unrelated; sometimes a repeated block
      let b =
        r() < 0.7 ? [...base] : Array.from({ length: long ? 200 + n(300) : n(80) }, () => alphabet[n(alphabet.length)]);
      for (let m = n(5); m > 0; m--)
        b.splice(n(b.length + 1), n(3), ...Array.from({ length: n(4) }, () => alphabet[n(alphabet.length)]));
      if (r() < 0.2) b = [...b, ...b.slice(0, n(b.length + 1))];
      const [a, bb] = r() < 0.5 ? [base, b] : [b, base];
      const autojunk = r() < 0.5;
      const alo = n(a.length + 1);
      const ahi = alo + n(a.length - alo + 1);
      const blo = n(bb.length + 1);
      const bhi = blo + n(bb.length - blo + 1);
      const want = textbookLongestMatch(a, bb, autojunk, alo, ahi, blo, bhi);
      const got = new SequenceMatcher(a, bb, { autojunk }).findLongestMatch(alo, ahi, blo, bhi);
      expect(
        got,
        `case ${k}: ${JSON.stringify({ a: a.join(""), b: bb.join(""), autojunk, alo, ahi, blo, bhi })}`,
      ).toEqual(want);
      // count boxes where another run of the best length starts later: the tie-break matters
      if (want.size > 0) {
        const sub = a.slice(want.a, want.a + want.size).join("\u0000");
        for (let i = alo; i + want.size <= ahi; i++) {
          for (let j = blo; j + want.size <= bhi; j++) {
            if (
              (i !== want.a || j !== want.b) &&
              a.slice(i, i + want.size).join("\u0000") === bb.slice(j, j + want.size).join("\u0000") &&
              sub !== ""
            ) {
              ties++;
              i = ahi;
              break;
            }
          }
        }
      }
    }
    expect(ties).toBeGreaterThan(300);
  });
});

// Ratios CPython 3.11's difflib gives (SequenceMatcher(None, a, b, autojunk).ratio(), printed
// with repr), for inputs where a port most easily goes wrong: repeated lines, several longest
// matches of the same size, greedy choices that miss matches, and autojunk's popular elements.
const pair = (n: number) => Array.from({ length: n }, () => ["", "x"]).flat();
const KNOWN_RATIOS: Array<[a: string | string[], b: string | string[], autojunk: boolean, ratio: number]> = [
  [["a", "a", "a", "b"], ["a", "b", "a", "a"], false, 0.5],
  [["x", "", "", "y", ""], ["", "x", "", "y", "", ""], false, 0.7272727272727273],
  [[...Array(5).fill("    pass"), "return 1"], ["return 1", ...Array(4).fill("    pass")], false, 0.7272727272727273],
  ["abab", "baba", false, 0.75],
  ["xaxa", "axax", false, 0.75],
  ["abcabc", "cabcab", false, 0.8333333333333334],
  [" abcd", "abcd abcd", false, 0.7142857142857143],
  ["aaaa", "aa", false, 0.6666666666666666],
  ["abxcdyab", "abcdab", false, 0.8571428571428571],
  ["qabxyzab", "abqxyzqab", false, 0.35294117647058826], // greedy: the first longest match costs the rest
  ["-    return x + 1\n+    return x - 1", "-    return x + 1\n+    return x * 1", false, 0.9714285714285714],
  [
    "@@ -1,3 +1,3 @@\n def f():\n-    a = 1\n+    a = 2",
    "@@ -1,3 +1,3 @@\n def f():\n-    a = 1\n+    a = 3\n+    b = 4",
    false,
    0.8761904761904762,
  ],
  ["ab".repeat(150), "ab".repeat(100) + "c" + "ba".repeat(50), true, 0.6655574043261231],
  ["ab".repeat(150), "ab".repeat(100) + "c" + "ba".repeat(50), false, 0.9950083194675541],
  [[...pair(110), "y"], ["y", ...pair(105)], true, 0.004629629629629629],
  [[...pair(110), "y"], ["y", ...pair(105)], false, 0.9722222222222222],
];

describe("SequenceMatcher on inputs with known CPython ratios", () => {
  it("gives CPython's ratio on repeated lines, ties, greedy misses and popular elements", () => {
    for (const [a, b, autojunk, ratio] of KNOWN_RATIOS) {
      expect(new SequenceMatcher(a, b, { autojunk }).ratio(), JSON.stringify([a, b, autojunk]).slice(0, 120)).toBe(
        ratio,
      );
    }
  });

  it("keeps the invariants of get_matching_blocks and ratio on random inputs", () => {
    const r = seededRandom(9);
    const n = (k: number) => Math.floor(r() * k);
    for (let k = 0; k < 2000; k++) {
      const alphabet = [..."aab c\n"].slice(0, 2 + n(5));
      const a = Array.from({ length: n(r() < 0.2 ? 400 : 40) }, () => alphabet[n(alphabet.length)]);
      const b = r() < 0.6 ? mutate(a, alphabet) : Array.from({ length: n(40) }, () => alphabet[n(alphabet.length)]);
      const autojunk = r() < 0.5;
      const sm = new SequenceMatcher(a, b, { autojunk });
      const blocks = sm.getMatchingBlocks();
      const where = JSON.stringify({ a: a.join(""), b: b.join(""), autojunk });
      expect(blocks[blocks.length - 1], where).toEqual({ a: a.length, b: b.length, size: 0 });
      let matches = 0;
      for (let q = 0; q + 1 < blocks.length; q++) {
        const [x, y] = [blocks[q], blocks[q + 1]];
        expect(x.size, where).toBeGreaterThan(0);
        expect(a.slice(x.a, x.a + x.size), where).toEqual(b.slice(x.b, x.b + x.size)); // a real match
        expect(x.a + x.size <= y.a && x.b + x.size <= y.b, where).toBe(true); // increasing, no overlap
        if (y.size > 0) expect(x.a + x.size === y.a && x.b + x.size === y.b, where).toBe(false); // adjacent ones merged
        matches += x.size;
      }
      const ratio = sm.ratio();
      expect(ratio, where).toBe(a.length + b.length ? (2 * matches) / (a.length + b.length) : 1);
      // CPython's upper bounds: quick_ratio (shared multiset) <= real_quick_ratio (lengths)
      const left = new Map<string, number>();
      for (const x of b) left.set(x, (left.get(x) ?? 0) + 1);
      let shared = 0;
      for (const x of a)
        if ((left.get(x) ?? 0) > 0) {
          left.set(x, left.get(x)! - 1);
          shared++;
        }
      const total = a.length + b.length;
      expect(ratio, where).toBeLessThanOrEqual(total ? (2 * shared) / total : 1);
      expect(total ? (2 * shared) / total : 1).toBeLessThanOrEqual(
        total ? (2 * Math.min(a.length, b.length)) / total : 1,
      );
      expect(new SequenceMatcher(a, a, { autojunk }).ratio()).toBe(1);
    }
  });
});

describe("unifiedDiff vs CPython difflib.unified_diff", () => {
  it("gives identical lines on every case", () => {
    let nonEmpty = 0;
    diffCases.forEach((c, i) => {
      const ours = unifiedDiff(c.a, c.b, { fromfile: c.fromfile, tofile: c.tofile, n: c.n, lineterm: c.lineterm });
      expect(ours, `case ${i}`).toEqual(answers[matcherCases.length + i]);
      if (ours.length) nonEmpty++;
    });
    expect(nonEmpty).toBeGreaterThan(100);
  });

  it("formats hunk ranges in ed style", () => {
    expect(formatRangeUnified(3, 4)).toBe("4");
    expect(formatRangeUnified(3, 3)).toBe("3,0");
    expect(formatRangeUnified(0, 0)).toBe("0,0");
    expect(formatRangeUnified(0, 5)).toBe("1,5");
  });
});
