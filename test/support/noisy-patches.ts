// Many samples of one change, as a model sampled 500 times might write them, for the grouping
// tests and bench/scale.ts: the gold patch as is, with comments, blank lines or reformatted
// added lines (same key), with an added line's logic flipped or an identifier renamed (other
// keys), with a comment-only change (empty key) or a context line that no longer matches (does
// not apply). Deterministic in (files, gold patch, seed): the recorded keys in
// test/data/grouping-keys.json.gz depend on it, so change it only together with them.
import { mutateLine } from "../../src/model/oracle-noise.js";
import { applyUnifiedDiff } from "../../src/reward/apply-diff.js";
import { gitDiff } from "./verified-cases.js";
import { unifiedDiff } from "../../src/reward/unified-diff.js";
import { seededRandom } from "../../src/util/seeded-random.js";
import { reformatLines } from "../../src/normalize/reformat.js";

/** 0-based rows of `after` that the change added or replaced. */
function addedRows(before: string, after: string): number[] {
  const rows: number[] = [];
  for (const line of unifiedDiff(before.split("\n"), after.split("\n"), { n: 0, lineterm: "" })) {
    const m = /^@@ -\S+ \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (!m) continue;
    const count = m[2] === undefined ? 1 : Number(m[2]);
    for (let k = 0; k < count; k++) rows.push(Number(m[1]) - 1 + k);
  }
  return rows;
}

/** A git diff of `after` against `before`, with the "new file mode" line a created file needs. */
export function patchOfFiles(
  before: Readonly<Record<string, string>>,
  after: Readonly<Record<string, string>>,
): string {
  return Object.keys(after)
    .sort()
    .map((path) => {
      const diff = gitDiff(before as Record<string, string>, { [path]: after[path] });
      return path in before ? diff : diff.replace(/^(diff --git .*\n)/, "$1new file mode 100644\n");
    })
    .join("");
}

const indentOf = (line: string): string => /^[ \t]*/.exec(line)![0];
const pick = <T>(random: () => number, xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];

/**
 * `count` sample patches of the change `gold` makes to `files` (path → original text). Returns
 * [] when the gold patch does not apply or deletes a file.
 */
export function noisyPatches(
  files: Readonly<Record<string, string>>,
  gold: string,
  count: number,
  seed: number,
): string[] {
  let before: Record<string, string>;
  let after: Record<string, string>;
  try {
    const r = applyUnifiedDiff(files, gold);
    if (Object.values(r.after).some((t) => t === null)) return [];
    before = r.before;
    after = r.after as Record<string, string>;
  } catch {
    return [];
  }
  const random = seededRandom(seed);
  const paths = Object.keys(after).sort();
  // the file the noise goes to: the first Python file with added rows
  const target = paths.find((p) => p.endsWith(".py") && addedRows(before[p] ?? "", after[p]).length > 0) ?? paths[0];
  if (target === undefined) return [];
  const base = after[target];
  const lines = base.split("\n");
  const added = addedRows(before[target] ?? "", base).filter((r) => r < lines.length && lines[r].trim() !== "");
  const rows = added.length > 0 ? added : [0];
  const goldPatch = patchOfFiles(before, after);
  const withTarget = (text: string) => patchOfFiles(before, { ...after, [target]: text });
  const edited = (edit: (ls: string[]) => void) => {
    const ls = [...lines];
    edit(ls);
    return withTarget(ls.join("\n"));
  };
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const u = random();
    const row = pick(random, rows);
    const k = Math.floor(random() * 1000);
    let patch: string;
    if (u < 0.15) patch = goldPatch;
    else if (u < 0.4)
      patch = edited((ls) => {
        ls[row] = `${ls[row]}  # note ${k}`;
      });
    else if (u < 0.5)
      patch = edited((ls) => {
        ls.splice(row + 1, 0, "", `${indentOf(ls[row])}# step ${k % 50}`);
      });
    else if (u < 0.62) {
      const subset = new Set(rows.filter(() => random() < 0.6));
      patch = withTarget(reformatLines(base, subset) ?? base);
    } else if (u < 0.77) {
      patch = edited((ls) => {
        ls[row] = mutateLine(ls[row]) ?? `${ls[row]}  # unchanged`;
      });
    } else if (u < 0.87) {
      const suffix = pick(random, ["_a", "_b", "_c"]);
      patch = edited((ls) => {
        ls[row] = ls[row].replace(/\b([A-Za-z_]\w*)\b(?=\s*=[^=])/, `$1${suffix}`);
      });
    } else if (u < 0.93) {
      // a comment-only change elsewhere in the original file: normalizes to ""
      const orig = (before[target] ?? "").split("\n");
      const at = Math.floor(random() * orig.length);
      orig.splice(at, 0, `${indentOf(orig[at] ?? "")}# spacer ${k}`);
      patch = patchOfFiles(before, { [target]: orig.join("\n") });
    } else if (u < 0.97) {
      // new helper at the end of the file plus the gold change
      patch = withTarget(`${base.replace(/\n*$/, "")}\n\n\ndef _helper_${k % 7}(x):\n    return x\n`);
    } else {
      // a context line that is not in the file: does not apply
      patch = goldPatch.replace(/^ (.*)$/m, " $1 # drifted");
    }
    out.push(patch);
  }
  return out;
}
