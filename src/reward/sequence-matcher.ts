// A faithful port of CPython's difflib.SequenceMatcher (isjunk=None) over the characters
// (code points) of a string or the items of a string array. find_longest_match gives exactly
// CPython's answer, ties included (so get_matching_blocks() and ratio() are identical to
// Python's), but visits far fewer pairs: see findLongestMatch.

export interface Match {
  a: number;
  b: number;
  size: number;
}
export type OpcodeTag = "replace" | "delete" | "insert" | "equal";
export type Opcode = [tag: OpcodeTag, i1: number, i2: number, j1: number, j2: number];
export interface SequenceMatcherOptions {
  /** CPython's autojunk heuristic (default true, as in CPython). SWE-RL's ratio uses false. */
  autojunk?: boolean;
}

type Sequence = string | readonly string[];

// Scratch table code point → id for encoding strings (BMP only; astral characters use a Map).
// Entries are -1 between calls: each call resets the ones it set.
const bmpIds = new Int32Array(0x10000).fill(-1);

/** Ids of the code points of `s` (ids of `table`, or -1 when absent); `assign` gives new ones ids. */
function stringIds(s: string, astral: Map<number, number>, assign: boolean, seen: number[]): Int32Array {
  const out = new Int32Array(s.length);
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
        i++;
        let id = astral.get(c);
        if (id === undefined) {
          id = assign ? seen.length : -1;
          if (assign) {
            astral.set(c, id);
            seen.push(-1);
          }
        }
        out[n++] = id;
        continue;
      }
    }
    let id = bmpIds[c];
    if (id < 0 && assign) {
      id = bmpIds[c] = seen.length;
      seen.push(c);
    }
    out[n++] = id;
  }
  return n === out.length ? out : out.slice(0, n);
}

/** Encode both sequences as dense integer ids (elements of `a` absent from `b` get -1). */
function encode(a: Sequence, b: Sequence): { a: Int32Array; b: Int32Array; distinct: number } {
  if (typeof a === "string" && typeof b === "string") {
    const astral = new Map<number, number>();
    const seen: number[] = []; // id → BMP code point (-1 for astral ones), to reset the table
    try {
      const bIds = stringIds(b, astral, true, seen);
      const aIds = stringIds(a, astral, false, seen);
      return { a: aIds, b: bIds, distinct: seen.length };
    } finally {
      for (const c of seen) if (c >= 0) bmpIds[c] = -1;
    }
  }
  if (typeof a === "string" || typeof b === "string") {
    throw new TypeError("SequenceMatcher: compare two strings or two string arrays, not a mix");
  }
  const ids = new Map<string, number>();
  const bIds = new Int32Array(b.length);
  for (let j = 0; j < b.length; j++) {
    let id = ids.get(b[j]);
    if (id === undefined) ids.set(b[j], (id = ids.size));
    bIds[j] = id;
  }
  const aIds = new Int32Array(a.length);
  for (let i = 0; i < a.length; i++) aIds[i] = ids.get(a[i]) ?? -1;
  return { a: aIds, b: bIds, distinct: ids.size };
}

export class SequenceMatcher {
  private readonly a: Int32Array;
  private readonly b: Int32Array;
  // b2j in compressed form: positions of element id e in b are
  // b2jPos[b2jStart[e] .. b2jStart[e] + b2jCount[e]) in increasing order; popular ids have count 0.
  private readonly b2jStart: Int32Array;
  private readonly b2jCount: Int32Array;
  private readonly b2jPos: Int32Array;
  private matchingBlocks: Match[] | null = null;
  private opcodes: Opcode[] | null = null;

  constructor(a: Sequence, b: Sequence, options: SequenceMatcherOptions = {}) {
    const autojunk = options.autojunk ?? true;
    const enc = encode(a, b);
    this.a = enc.a;
    this.b = enc.b;
    const n = this.b.length;
    const count = new Int32Array(enc.distinct);
    for (let j = 0; j < n; j++) count[this.b[j]]++;
    const start = new Int32Array(enc.distinct);
    for (let e = 1; e < enc.distinct; e++) start[e] = start[e - 1] + count[e - 1];
    const pos = new Int32Array(n);
    const fill = new Int32Array(enc.distinct);
    for (let j = 0; j < n; j++) {
      const e = this.b[j];
      pos[start[e] + fill[e]++] = j;
    }
    if (autojunk && n >= 200) {
      const ntest = Math.floor(n / 100) + 1;
      for (let e = 0; e < enc.distinct; e++) if (count[e] > ntest) count[e] = 0; // "popular"
    }
    this.b2jStart = start;
    this.b2jCount = count;
    this.b2jPos = pos;
  }

  /**
   * Longest matching block in a[alo:ahi] and b[blo:bhi], CPython's find_longest_match.
   *
   * CPython runs a DP over every pair (i, j) with a[i] == b[j] (b[j] not popular), row by row,
   * and keeps the first pair in (i, j) order that ends a longer run than any before. So its
   * answer is the longest run (a diagonal stretch of such pairs inside the box), and among the
   * longest the one starting in the earliest row, then the earliest column. Here, after a
   * row, the next one visited is best-length-so-far + 1 further on, and each run met is
   * measured whole and compared by (length, start row, start column). A run of the final
   * length that no visited row crosses lies in a gap left after a run of that same length was
   * already found, which starts in an earlier row and wins. Same answer, a small fraction of
   * the pairs when long matches exist.
   */
  findLongestMatch(alo = 0, ahi = this.a.length, blo = 0, bhi = this.b.length): Match {
    const { a, b, b2jStart, b2jCount, b2jPos } = this;
    let besti = alo;
    let bestj = blo;
    let bestsize = 0;
    for (let i = alo; i < ahi; i += bestsize + 1) {
      const e = a[i];
      if (e < 0 || b2jCount[e] === 0) continue;
      const end = b2jStart[e] + b2jCount[e];
      // first position of e at or after blo
      let lo = b2jStart[e];
      let hi = end;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (b2jPos[mid] < blo) lo = mid + 1;
        else hi = mid;
      }
      for (let p = lo; p < end; p++) {
        const j = b2jPos[p];
        if (j >= bhi) break;
        let x = i;
        let y = j;
        while (x > alo && y > blo && a[x - 1] === b[y - 1] && b2jCount[b[y - 1]] > 0) {
          x--;
          y--;
        }
        let xe = i + 1;
        let ye = j + 1;
        while (xe < ahi && ye < bhi && a[xe] === b[ye] && b2jCount[b[ye]] > 0) {
          xe++;
          ye++;
        }
        const k = xe - x;
        if (k > bestsize || (k === bestsize && (x < besti || (x === besti && y < bestj)))) {
          besti = x;
          bestj = y;
          bestsize = k;
        }
      }
    }
    // Extend over elements b2j left out (popular ones); isjunk is None so nothing is junk.
    while (besti > alo && bestj > blo && a[besti - 1] === b[bestj - 1]) {
      besti--;
      bestj--;
      bestsize++;
    }
    while (besti + bestsize < ahi && bestj + bestsize < bhi && a[besti + bestsize] === b[bestj + bestsize]) {
      bestsize++;
    }
    return { a: besti, b: bestj, size: bestsize };
  }

  getMatchingBlocks(): Match[] {
    if (this.matchingBlocks) return this.matchingBlocks;
    const la = this.a.length;
    const lb = this.b.length;
    const queue: [number, number, number, number][] = [[0, la, 0, lb]];
    const found: Match[] = [];
    while (queue.length > 0) {
      const [alo, ahi, blo, bhi] = queue.pop()!;
      const x = this.findLongestMatch(alo, ahi, blo, bhi);
      const { a: i, b: j, size: k } = x;
      if (k) {
        found.push(x);
        if (alo < i && blo < j) queue.push([alo, i, blo, j]);
        if (i + k < ahi && j + k < bhi) queue.push([i + k, ahi, j + k, bhi]);
      }
    }
    found.sort((x, y) => x.a - y.a || x.b - y.b || x.size - y.size);
    const blocks: Match[] = [];
    let i1 = 0;
    let j1 = 0;
    let k1 = 0;
    for (const { a: i2, b: j2, size: k2 } of found) {
      if (i1 + k1 === i2 && j1 + k1 === j2) {
        k1 += k2;
      } else {
        if (k1) blocks.push({ a: i1, b: j1, size: k1 });
        i1 = i2;
        j1 = j2;
        k1 = k2;
      }
    }
    if (k1) blocks.push({ a: i1, b: j1, size: k1 });
    blocks.push({ a: la, b: lb, size: 0 });
    this.matchingBlocks = blocks;
    return blocks;
  }

  getOpcodes(): Opcode[] {
    if (this.opcodes) return this.opcodes;
    let i = 0;
    let j = 0;
    const answer: Opcode[] = [];
    for (const { a: ai, b: bj, size } of this.getMatchingBlocks()) {
      if (i < ai && j < bj) answer.push(["replace", i, ai, j, bj]);
      else if (i < ai) answer.push(["delete", i, ai, j, bj]);
      else if (j < bj) answer.push(["insert", i, ai, j, bj]);
      i = ai + size;
      j = bj + size;
      if (size) answer.push(["equal", ai, i, bj, j]);
    }
    this.opcodes = answer;
    return answer;
  }

  /** Change clusters with up to n elements of context (CPython's get_grouped_opcodes). */
  getGroupedOpcodes(n = 3): Opcode[][] {
    const codes: Opcode[] = this.getOpcodes().map((c) => [...c] as Opcode);
    if (codes.length === 0) codes.push(["equal", 0, 1, 0, 1]);
    const first = codes[0];
    if (first[0] === "equal") {
      codes[0] = ["equal", Math.max(first[1], first[2] - n), first[2], Math.max(first[3], first[4] - n), first[4]];
    }
    const last = codes[codes.length - 1];
    if (last[0] === "equal") {
      codes[codes.length - 1] = [
        "equal",
        last[1],
        Math.min(last[2], last[1] + n),
        last[3],
        Math.min(last[4], last[3] + n),
      ];
    }
    const nn = n + n;
    const groups: Opcode[][] = [];
    let group: Opcode[] = [];
    for (const [tag, i1In, i2, j1In, j2] of codes) {
      let i1 = i1In;
      let j1 = j1In;
      if (tag === "equal" && i2 - i1 > nn) {
        group.push([tag, i1, Math.min(i2, i1 + n), j1, Math.min(j2, j1 + n)]);
        groups.push(group);
        group = [];
        i1 = Math.max(i1, i2 - n);
        j1 = Math.max(j1, j2 - n);
      }
      group.push([tag, i1, i2, j1, j2]);
    }
    if (group.length > 0 && !(group.length === 1 && group[0][0] === "equal")) groups.push(group);
    return groups;
  }

  /** 2.0 * matches / (len(a) + len(b)); 1.0 when both are empty. */
  ratio(): number {
    let matches = 0;
    for (const m of this.getMatchingBlocks()) matches += m.size;
    const length = this.a.length + this.b.length;
    return length ? (2.0 * matches) / length : 1.0;
  }
}

/** SequenceMatcher(None, a, b, autojunk).ratio(). */
export function sequenceRatio(a: Sequence, b: Sequence, options: SequenceMatcherOptions = {}): number {
  return new SequenceMatcher(a, b, options).ratio();
}
