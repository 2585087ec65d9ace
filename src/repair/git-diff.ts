// A git-style unified diff of in-memory file contents, made without spawning git: lines keep
// their line ends (so a last line without "\n" gets git's "\ No newline at end of file"),
// 3 lines of context, hunks grouped as difflib/git do. The common head and tail are cut off
// before the line matcher runs, so big files with small edits stay cheap.
import { SequenceMatcher, type Opcode } from "../reward/sequence-matcher.js";
import { formatRangeUnified } from "../reward/unified-diff.js";
import { splitKeepEnds } from "../reward/py-str.js";

const CONTEXT = 3;

function opcodesOf(a: string[], b: string[]): Opcode[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const codes: Opcode[] = [];
  if (head > 0) codes.push(["equal", 0, head, 0, head]);
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  for (const [tag, i1, i2, j1, j2] of new SequenceMatcher(midA, midB).getOpcodes()) {
    codes.push([tag, i1 + head, i2 + head, j1 + head, j2 + head]);
  }
  if (tail > 0) codes.push(["equal", a.length - tail, a.length, b.length - tail, b.length]);
  return codes;
}

/** difflib's get_grouped_opcodes(n) over the given opcodes. */
function groupOpcodes(codes: Opcode[], n: number): Opcode[][] {
  if (codes.length === 0) return [];
  codes = codes.map((c) => [...c] as Opcode);
  const first = codes[0];
  if (first[0] === "equal")
    codes[0] = ["equal", Math.max(first[1], first[2] - n), first[2], Math.max(first[3], first[4] - n), first[4]];
  const last = codes[codes.length - 1];
  if (last[0] === "equal")
    codes[codes.length - 1] = [
      "equal",
      last[1],
      Math.min(last[2], last[1] + n),
      last[3],
      Math.min(last[4], last[3] + n),
    ];
  const groups: Opcode[][] = [];
  let group: Opcode[] = [];
  for (const code of codes) {
    let [tag, i1, i2, j1, j2] = code;
    if (tag === "equal" && i2 - i1 > 2 * n) {
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

const emit = (out: string[], prefix: string, line: string): void => {
  if (line.endsWith("\n")) out.push(prefix + line);
  else out.push(prefix + line + "\n", "\\ No newline at end of file\n");
};

/** The diff of one file ("" when unchanged). */
export function fileDiff(path: string, oldText: string, newText: string): string {
  if (oldText === newText) return "";
  const a = splitKeepEnds(oldText);
  const b = splitKeepEnds(newText);
  const out = [`diff --git a/${path} b/${path}\n`, `--- a/${path}\n`, `+++ b/${path}\n`];
  for (const group of groupOpcodes(opcodesOf(a, b), CONTEXT)) {
    const first = group[0];
    const last = group[group.length - 1];
    out.push(`@@ -${formatRangeUnified(first[1], last[2])} +${formatRangeUnified(first[3], last[4])} @@\n`);
    for (const [tag, i1, i2, j1, j2] of group) {
      if (tag === "equal") {
        for (let i = i1; i < i2; i++) emit(out, " ", a[i]);
        continue;
      }
      for (let i = i1; i < i2; i++) emit(out, "-", a[i]);
      for (let j = j1; j < j2; j++) emit(out, "+", b[j]);
    }
  }
  return out.join("");
}

/** The diff of several files, in the given order (a patch `git apply` takes). */
export function patchOf(
  originals: Readonly<Record<string, string>>,
  newContents: Readonly<Record<string, string>>,
): string {
  return Object.keys(newContents)
    .map((path) => fileDiff(path, originals[path], newContents[path]))
    .join("");
}
