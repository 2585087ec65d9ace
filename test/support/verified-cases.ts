// Realistic reward cases from real SWE-bench rows, for the differential tests and the bench.
// The repositories are not on disk, so each touched file is rebuilt from the gold patch: the
// hunks' old lines sit at their stated line numbers and the gaps are filled with real code
// lines drawn from all rows' patch context (about 20% blank, a few other popular lines, like a
// real file); files run past 200 lines, so difflib's autojunk heuristic is exercised.
import { oracleFromPatch } from "../../src/reward/apply-diff.js";
import { parsePatchSet } from "../../src/reward/patch-set.js";
import { editsFromPatch, formatAnswer, renderEdits, type EditBlock } from "../../src/reward/patch-to-edits.js";
import { pySplitLines } from "../../src/util/py-splitlines.js";
import { unifiedDiff } from "../../src/reward/unified-diff.js";
import { seededRandom } from "../../src/util/seeded-random.js";

export interface PatchRow {
  instance_id: string;
  patch: string;
  test_patch: string;
}

export { seededRandom };

const pick = <T>(rng: () => number, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];

/** Context lines of the rows' patches and test patches: real code, about 20% blank lines. */
export function linePool(rows: readonly PatchRow[]): string[] {
  const pool: string[] = [];
  for (const row of rows) {
    for (const text of [row.patch, row.test_patch]) {
      for (const line of text.split("\n")) if (line.startsWith(" ")) pool.push(line.slice(1));
    }
  }
  return pool.length ? pool : [""];
}

/** Pre-patch content of every file the patch modifies, rebuilt around its hunks from `pool`. */
export function preImagesFromPatch(row: PatchRow, rng: () => number, pool: readonly string[]): Record<string, string> {
  const files: Record<string, string> = {};
  for (const file of parsePatchSet(row.patch)) {
    if (file.sourceFile === null || file.sourceFile === "/dev/null") continue;
    const lines: string[] = [];
    for (const hunk of file.hunks) {
      while (lines.length < hunk.sourceStart - 1) lines.push(pick(rng, pool));
      for (const l of hunk.lines) if (l[0] === " " || l[0] === "-") lines.push(l.slice(1).replace(/\n$/, ""));
    }
    // a last hunk without trailing context means the file ends right there
    const last = file.hunks[file.hunks.length - 1];
    const tail = last && last.lines[last.lines.length - 1]?.[0] !== " " ? 0 : Math.floor(rng() * 120);
    for (let k = 0; k < tail; k++) lines.push(pick(rng, pool));
    files[file.sourceFile.replace(/^a\//, "")] = lines.join("\n") + "\n";
  }
  return files;
}

export interface SearchReplaceCase {
  instanceId: string;
  variant: string;
  codeContext: Record<string, string>;
  oracleNewContent: Record<string, string>;
  output: string;
}

/** Change one character of a random non-empty line. */
function perturb(text: string, rng: () => number): string {
  const lines = text.split("\n");
  const candidates = lines.map((l, i) => (l.trim() ? i : -1)).filter((i) => i >= 0);
  if (candidates.length === 0) return text + "\n# changed";
  const i = pick(rng, candidates);
  const at = Math.floor(rng() * lines[i].length);
  lines[i] = lines[i].slice(0, at) + pick(rng, ["x", "_", "(", " ", "0"]) + lines[i].slice(at + 1);
  return lines.join("\n");
}

const NEW_FILE: EditBlock = { path: "swerl_extra/notes.py", search: "", replace: "# notes\nNOTES = []" };
const FORMAT_ERRORS: ((answer: string) => string)[] = [
  (a) => a.replace("</think>", ""),
  (a) => a.replace(/<think>[\s\S]*<\/think>/, "<think>\n \n</think>"),
  (a) => a + "\n<solution></solution>",
  (a) => a.replace(/```/g, "~~~"),
];

/** A dozen answers per row: exact, partial, noisy, wrong file, extra file, errors of each kind. */
export function searchReplaceCases(
  rows: readonly PatchRow[],
  seed: number,
  pool = linePool(rows),
): SearchReplaceCase[] {
  const rng = seededRandom(seed);
  const cases: SearchReplaceCase[] = [];
  rows.forEach((row, r) => {
    const files = preImagesFromPatch(row, rng, pool);
    const { codeContext, oracleNewContent } = oracleFromPatch(files, row.patch);
    const gold = editsFromPatch(row.patch);
    const thought = `Looking at ${row.instance_id}, the fix belongs in ${gold[0]?.path ?? "the code"}.`;
    const add = (variant: string, output: string) =>
      cases.push({ instanceId: row.instance_id, variant, codeContext, oracleNewContent, output });
    const noisy = gold.map((b) => ({ ...b, replace: perturb(b.replace, rng) }));
    add("exact", formatAnswer(thought, gold));
    add("partial", formatAnswer(thought, gold.length > 1 ? gold.slice(0, -1) : noisy));
    add("noisy", formatAnswer(thought, noisy));
    add(
      "noisy_twice",
      formatAnswer(
        thought,
        noisy.map((b) => ({ ...b, replace: perturb(b.replace, rng) })),
      ),
    );
    add("wrong_file", formatAnswer(thought, [NEW_FILE]));
    add("extra_file", formatAnswer(thought, [...gold, NEW_FILE]));
    add("format_error", FORMAT_ERRORS[r % FORMAT_ERRORS.length](formatAnswer(thought, gold)));
    const missing = gold.map((b, i) => (i === 0 ? { ...b, search: b.search + "\n# not in the file" } : b));
    add("search_not_found", formatAnswer(thought, missing));
    add("identical", formatAnswer(thought, [gold[0], { ...gold[0], replace: gold[0].search }]));
    add(
      "prose_around",
      `Sure.\n<think>${thought}</think>\nHere it is:\n<solution>Edits:\n${renderEdits(gold)}\nDone.</solution>\nBye`,
    );
  });
  return cases;
}

export interface UnifiedDiffCase {
  instanceId: string;
  variant: string;
  oraclePatches: string[];
  predPatches: string[];
}

/** A git-style diff of every file whose content changes, made with our unified_diff. */
export function gitDiff(before: Record<string, string>, after: Record<string, string>): string {
  let out = "";
  for (const [path, text] of Object.entries(after)) {
    const lines = unifiedDiff(pySplitLines(before[path] ?? ""), pySplitLines(text), {
      fromfile: path in before ? `a/${path}` : "/dev/null",
      tofile: `b/${path}`,
      lineterm: "",
    });
    if (lines.length) out += `diff --git a/${path} b/${path}\n${lines.join("\n")}\n`;
  }
  return out;
}

/** Predicted patches against the gold patch: itself, re-diffed, noisy, partial, other files, broken. */
export function unifiedDiffCases(rows: readonly PatchRow[], seed: number, pool = linePool(rows)): UnifiedDiffCase[] {
  const rng = seededRandom(seed);
  const cases: UnifiedDiffCase[] = [];
  for (const row of rows) {
    const files = preImagesFromPatch(row, rng, pool);
    const { codeContext, oracleNewContent } = oracleFromPatch(files, row.patch);
    const add = (variant: string, pred: string[]) =>
      cases.push({ instanceId: row.instance_id, variant, oraclePatches: [row.patch], predPatches: pred });
    add("same", [row.patch]);
    add("rediffed", [gitDiff(codeContext, oracleNewContent)]);
    const noisy: Record<string, string> = {};
    for (const [path, text] of Object.entries(oracleNewContent)) noisy[path] = perturb(text, rng);
    add("noisy", [gitDiff(codeContext, noisy)]);
    const plusLine = row.patch.split("\n").findIndex((l) => l.startsWith("+") && !l.startsWith("+++"));
    const edited = row.patch
      .split("\n")
      .map((l, i) => (i === plusLine ? l + "  # edited" : l))
      .join("\n");
    add("edited_line", [edited]);
    add("test_patch", [row.test_patch]);
    add("with_test_patch", [row.patch, row.test_patch]);
    const patchLines = row.patch.split("\n");
    add("truncated", [patchLines.slice(0, Math.ceil(patchLines.length * 0.6)).join("\n") + "\n"]);
    add("empty", []);
  }
  return cases;
}
