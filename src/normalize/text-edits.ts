// The edits that turn one text into another, for tree-sitter's incremental parse. Any set of
// edits that describes the change correctly gives the tree a full parse would; a tighter set
// lets the parser reuse more. Samples of one file differ from each other in a few places (the
// change, a comment far away, a helper at the end), so the edits are line regions found by
// walking both texts and resynchronizing on a pair of equal lines after each difference.
import type Parser from "tree-sitter";

/** How far (in lines, on each side) a difference is searched for its end before giving up. */
const RESYNC_WINDOW = 4000;
/** How far (lines on both sides together) nearResync looks. */
const NEAR = 48;

/** [i1, i2, j1, j2]: lines i1..i2 of the old text became lines j1..j2 of the new one. */
type LineRegion = [number, number, number, number];

/**
 * Changed line regions of `b` against `a`, in order, covering every difference. `near`: how far
 * a difference's end is looked for near it before all of b's lines are indexed (same result).
 */
export function changedLineRegions(a: readonly string[], b: readonly string[], near = NEAR): LineRegion[] {
  const regions: LineRegion[] = [];
  let positions: Map<string, number[]> | undefined;
  const positionsOf = (line: string): number[] => {
    if (!positions) {
      positions = new Map();
      b.forEach((l, k) => {
        const list = positions!.get(l);
        if (list) list.push(k);
        else positions!.set(l, [k]);
      });
    }
    return positions.get(line) ?? [];
  };
  // a resync point: a[k] = b[l] and the next lines agree too (or both texts end)
  const anchored = (k: number, l: number) =>
    k + 1 >= a.length ? l + 1 >= b.length : l + 1 < b.length && a[k + 1] === b[l + 1];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i++;
      j++;
      continue;
    }
    // most differences are a few lines long: look near them before indexing all of b's lines
    let best: { k: number; l: number } | null = nearResync(a, b, i, j, anchored, near);
    if (!best) {
      for (let k = i; k < a.length && k - i < RESYNC_WINDOW; k++) {
        if (best && k - i >= best.k - i + best.l - j) break;
        const list = positionsOf(a[k]);
        for (let p = firstAtLeast(list, j); p < list.length && list[p] - j < RESYNC_WINDOW; p++) {
          const l = list[p];
          if (best && k - i + l - j >= best.k - i + best.l - j) break;
          if (anchored(k, l)) {
            best = { k, l };
            break;
          }
        }
      }
    }
    if (!best) break;
    regions.push([i, best.k, j, best.l]);
    i = best.k;
    j = best.l;
  }
  if (i < a.length || j < b.length) regions.push([i, a.length, j, b.length]);
  return regions;
}

/**
 * The resync point the search in changedLineRegions would find (fewest lines skipped on both
 * sides together, then fewest in `a`), when it skips at most `near` lines; else null.
 */
function nearResync(
  a: readonly string[],
  b: readonly string[],
  i: number,
  j: number,
  anchored: (k: number, l: number) => boolean,
  near: number,
): { k: number; l: number } | null {
  for (let t = 1; t <= near; t++) {
    for (let dk = 0; dk <= t; dk++) {
      const k = i + dk;
      const l = j + t - dk;
      if (k < a.length && l < b.length && a[k] === b[l] && anchored(k, l)) return { k, l };
    }
  }
  return null;
}

function firstAtLeast(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A text's lines, each with its "\n" (the last one may have none): equal lines are equal text. */
export const linesOf = (text: string): string[] => text.match(/[^\n]*\n|[^\n]+$/g) ?? [];

function lineOffsets(lines: readonly string[]): number[] {
  const offsets = new Array<number>(lines.length + 1);
  offsets[0] = 0;
  for (let k = 0; k < lines.length; k++) offsets[k + 1] = offsets[k] + lines[k].length;
  return offsets;
}

/** The point at character `index` of `text`. */
function pointAt(text: string, index: number): Parser.Point {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < index; i = text.indexOf("\n", i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: index - lineStart };
}

/** The point reached from `from` by writing `segment`. */
function advance(from: Parser.Point, segment: string): Parser.Point {
  const last = segment.lastIndexOf("\n");
  if (last < 0) return { row: from.row, column: from.column + segment.length };
  let rows = 0;
  for (let i = segment.indexOf("\n"); i >= 0; i = segment.indexOf("\n", i + 1)) rows++;
  return { row: from.row + rows, column: segment.length - last - 1 };
}

/**
 * Edits from `before` to `after`, to be applied to a tree of `before` in the order given (last
 * region first, so each edit's old coordinates are still those of `before`).
 */
export function editsBetween(before: string, after: string): Parser.Edit[] {
  const a = linesOf(before);
  const b = linesOf(after);
  const offA = lineOffsets(a);
  const offB = lineOffsets(b);
  const edits: Parser.Edit[] = [];
  for (const [i1, i2, j1, j2] of changedLineRegions(a, b).reverse()) {
    const startIndex = offA[i1];
    const oldEndIndex = offA[i2];
    const inserted = after.slice(offB[j1], offB[j2]);
    const startPosition = pointAt(before, startIndex);
    edits.push({
      startIndex,
      oldEndIndex,
      newEndIndex: startIndex + inserted.length,
      startPosition,
      oldEndPosition: advance(startPosition, before.slice(startIndex, oldEndIndex)),
      newEndPosition: advance(startPosition, inserted),
    });
  }
  return edits;
}
