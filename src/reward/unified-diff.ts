// Port of CPython's difflib.unified_diff (which runs SequenceMatcher with autojunk=True).
import { SequenceMatcher } from "./sequence-matcher.js";

export interface UnifiedDiffOptions {
  fromfile?: string;
  tofile?: string;
  fromfiledate?: string;
  tofiledate?: string;
  /** Lines of context (default 3). */
  n?: number;
  /** Appended to the ---, +++ and @@ lines (default "\n", as in CPython). */
  lineterm?: string;
}

/** difflib's _format_range_unified: "start,length" in ed numbering, "start" alone when length is 1. */
export function formatRangeUnified(start: number, stop: number): string {
  let beginning = start + 1;
  const length = stop - start;
  if (length === 1) return `${beginning}`;
  if (!length) beginning -= 1; // empty ranges begin at the line just before the range
  return `${beginning},${length}`;
}

/** The lines difflib.unified_diff(a, b, ...) yields, in order (empty when a equals b). */
export function unifiedDiff(a: readonly string[], b: readonly string[], options: UnifiedDiffOptions = {}): string[] {
  const { fromfile = "", tofile = "", fromfiledate = "", tofiledate = "", n = 3, lineterm = "\n" } = options;
  const out: string[] = [];
  let started = false;
  for (const group of new SequenceMatcher(a, b).getGroupedOpcodes(n)) {
    if (!started) {
      started = true;
      const fromdate = fromfiledate ? `\t${fromfiledate}` : "";
      const todate = tofiledate ? `\t${tofiledate}` : "";
      out.push(`--- ${fromfile}${fromdate}${lineterm}`);
      out.push(`+++ ${tofile}${todate}${lineterm}`);
    }
    const first = group[0];
    const last = group[group.length - 1];
    out.push(`@@ -${formatRangeUnified(first[1], last[2])} +${formatRangeUnified(first[3], last[4])} @@${lineterm}`);
    for (const [tag, i1, i2, j1, j2] of group) {
      if (tag === "equal") {
        for (let i = i1; i < i2; i++) out.push(" " + a[i]);
        continue;
      }
      if (tag === "replace" || tag === "delete") for (let i = i1; i < i2; i++) out.push("-" + a[i]);
      if (tag === "replace" || tag === "insert") for (let j = j1; j < j2; j++) out.push("+" + b[j]);
    }
  }
  return out;
}
