// The oracle's SEARCH/REPLACE blocks: from an instance's original files and gold patch, the
// blocks that turn the originals into the patched files under SWE-RL's apply semantics
// (each search is "\n"-prefixed and replaced everywhere, so every search must occur exactly
// once). Blocks start with 3 lines of context and grow until unique; the rendered answer is
// checked with the reward's strict parser, falling back to whole-file blocks if it fails.
import { applyUnifiedDiff } from "../reward/apply-diff.js";
import { applySearchReplace, extractThoughtSolution, parseSearchReplace } from "../reward/search-replace.js";
import { SequenceMatcher } from "../reward/sequence-matcher.js";

export interface EditBlock { path: string; search: string; replace: string }

export interface GoldEdits {
  /** Files the patch touches that existed before it, with their original content. */
  before: Record<string, string>;
  /** Content after the patch of every file the blocks write (a deleted file becomes ""). */
  after: Record<string, string>;
  blocks: EditBlock[];
  /** False when even whole-file blocks could not reproduce the patch in SWE-RL's format. */
  exact: boolean;
}

const INITIAL_CONTEXT = 3;

/** Occurrences of `needle` in `text`, overlapping ones included, stopping at `limit`. */
function countAtMost(text: string, needle: string, limit: number): number {
  let n = 0;
  for (let at = text.indexOf(needle); at >= 0 && n < limit; at = text.indexOf(needle, at + 1)) n++;
  return n;
}

interface Region { i1: number; i2: number; j1: number; j2: number; context: number }

/** Blocks turning `old` into `neu`, in file order, each search unique in `old`. */
export function blocksForFile(path: string, old: string, neu: string): EditBlock[] {
  if (old === neu) return [];
  const a = old.split("\n");
  const b = neu.split("\n");
  const regions: Region[] = new SequenceMatcher(a, b).getOpcodes()
    .filter(([tag]) => tag !== "equal")
    .map(([, i1, i2, j1, j2]) => ({ i1, i2, j1, j2, context: INITIAL_CONTEXT }));
  const window = (r: Region) => {
    const lo = Math.max(0, r.i1 - r.context);
    const hi = Math.min(a.length, r.i2 + r.context);
    return { lo, hi, jlo: r.j1 - (r.i1 - lo), jhi: r.j2 + (hi - r.i2) };
  };
  const haystack = "\n" + old;
  for (let changed = true; changed; ) {
    changed = false;
    for (let k = 0; k + 1 < regions.length; k++) {
      if (window(regions[k]).hi > window(regions[k + 1]).lo) {
        const [x, y] = [regions[k], regions[k + 1]];
        regions.splice(k, 2, { i1: x.i1, i2: y.i2, j1: x.j1, j2: y.j2, context: Math.max(x.context, y.context) });
        changed = true;
        k--;
      }
    }
    for (const r of regions) {
      const w = window(r);
      if (w.lo === 0 && w.hi === a.length) continue; // the whole file is unique by definition
      const search = "\n" + a.slice(w.lo, w.hi).join("\n");
      if (countAtMost(haystack, search, 2) !== 1) {
        r.context += r.context < 12 ? 1 : r.context; // grow slowly, then fast for repetitive files
        changed = true;
      }
    }
  }
  return regions.map((r) => {
    const w = window(r);
    return { path, search: a.slice(w.lo, w.hi).join("\n"), replace: b.slice(w.jlo, w.jhi).join("\n") };
  });
}

export function renderBlocks(blocks: readonly EditBlock[]): string {
  return blocks
    .map((b) => `\`\`\`python\n### ${b.path}\n<<<<<<< SEARCH\n${b.search}\n=======\n${b.replace}\n>>>>>>> REPLACE\n\`\`\``)
    .join("\n\n");
}

export function renderAnswer(thought: string, solution: string): string {
  return `<think>\n${thought}\n</think>\n<solution>\n${solution}\n</solution>`;
}

/** Does the strict SWE-RL parser, applied to `before`, turn this answer into exactly `after`? */
export function answerReproduces(answer: string, before: Record<string, string>, after: Record<string, string>): boolean {
  try {
    const { answer: solution } = extractThoughtSolution(answer);
    const result = applySearchReplace(before, parseSearchReplace(solution));
    const paths = Object.keys(after);
    return paths.length === Object.keys(result).length && paths.every((p) => result[p] === after[p]);
  } catch {
    return false;
  }
}

/** The gold edits of an instance. `files` must hold the original content of every file the patch modifies. */
export function goldEdits(patch: string, files: Readonly<Record<string, string>>): GoldEdits {
  const { before, after: patched } = applyUnifiedDiff(files, patch);
  const after: Record<string, string> = {};
  const blocks: EditBlock[] = [];
  const wholeFile: EditBlock[] = [];
  for (const [path, text] of Object.entries(patched)) {
    const old = Object.hasOwn(before, path) ? before[path] : "";
    const neu = text ?? ""; // SWE-RL's format cannot delete a file: empty it
    if (old === neu) continue; // e.g. an empty new file: nothing to write
    after[path] = neu;
    blocks.push(...blocksForFile(path, old, neu));
    wholeFile.push({ path, search: old, replace: neu });
  }
  const check = (bs: EditBlock[]) => answerReproduces(renderAnswer("check", renderBlocks(bs)), { ...before }, after);
  if (check(blocks)) return { before: { ...before }, after, blocks, exact: true };
  if (check(wholeFile)) return { before: { ...before }, after, blocks: wholeFile, exact: true };
  return { before: { ...before }, after, blocks, exact: false };
}
