// The oracle's SEARCH/REPLACE blocks: from an instance's original files and gold patch, the
// blocks that turn the originals into the patched files under SWE-RL's apply semantics
// (each search is "\n"-prefixed and replaced everywhere, so every search must occur exactly
// once). Blocks start with 3 lines of context and grow until unique; the rendered answer is
// checked with the reward's strict parser, falling back to whole-file blocks if it fails.
import { languageOfPath, type CodeLanguage } from "../treesitter/languages.js";
import { applyUnifiedDiff } from "../reward/apply-diff.js";
import { applySearchReplace, extractThoughtSolution, parseSearchReplace } from "../reward/search-replace.js";
import { SequenceMatcher } from "../reward/sequence-matcher.js";
import { strictEdits } from "../reward/agentless-mini-edits.js";
import { pyStrip } from "../reward/py-str.js";

export interface EditBlock {
  path: string;
  search: string;
  replace: string;
}

export interface GoldEdits {
  /** Files the patch touches that existed before it, with their original content. */
  before: Record<string, string>;
  /** Content after the patch of every file the blocks write (a deleted file becomes ""). */
  after: Record<string, string>;
  blocks: EditBlock[];
  /** False when even whole-file blocks could not reproduce the patch in SWE-RL's format. */
  exact: boolean;
  /** The blocks also reproduce the patch under the strict profile's parsing (Agentless Mini's). */
  strict?: true;
}

const INITIAL_CONTEXT = 3;

/** Occurrences of `needle` in `text`, overlapping ones included, stopping at `limit`. */
function countAtMost(text: string, needle: string, limit: number): number {
  let n = 0;
  for (let at = text.indexOf(needle); at >= 0 && n < limit; at = text.indexOf(needle, at + 1)) n++;
  return n;
}

interface Region {
  i1: number;
  i2: number;
  j1: number;
  j2: number;
  context: number;
}

/** Blocks turning `old` into `neu`, in file order, each search unique in `old`. */
export function blocksForFile(path: string, old: string, neu: string): EditBlock[] {
  if (old === neu) return [];
  const a = old.split("\n");
  const b = neu.split("\n");
  const regions: Region[] = new SequenceMatcher(a, b)
    .getOpcodes()
    .filter(([tag]) => tag !== "equal")
    .map(([, i1, i2, j1, j2]) => ({ i1, i2, j1, j2, context: INITIAL_CONTEXT }));
  // Agentless Mini strips each edit's end, so a replace must not end on the file's final empty
  // line (after its last "\n"): windows stop before that line when both files have it.
  const cap = a.length > 1 && a[a.length - 1] === "" && b[b.length - 1] === "" ? a.length - 1 : a.length;
  const window = (r: Region) => {
    const lo = Math.max(0, r.i1 - r.context);
    const hi = Math.max(r.i2, Math.min(cap, r.i2 + r.context));
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
      if (w.lo === 0 && w.hi >= cap) continue; // the whole file is unique by definition
      const search = a.slice(w.lo, w.hi).join("\n");
      const replace = b.slice(w.jlo, w.jhi).join("\n");
      // unique under both apply rules: SWE-RL's (at a line start) and Agentless Mini's (a plain
      // substring, every occurrence replaced); and a replace Agentless Mini's strip leaves whole
      if (
        countAtMost(haystack, "\n" + search, 2) !== 1 ||
        countAtMost(old, search, 2) !== 1 ||
        pyStrip(replace) === "" ||
        /\s$/.test(replace)
      ) {
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

/**
 * The fence tag of an answer's blocks: python when any file is Python (or none has a grammar),
 * else the language of the first file with one (```go, ```rust...).
 */
export function answerFence(paths: readonly string[]): string {
  if (paths.some((p) => p.endsWith(".py"))) return "python";
  for (const p of paths) {
    const lang = languageOfPath(p);
    if (lang) return CODE_FENCES[lang];
  }
  return "python";
}

const CODE_FENCES: Record<CodeLanguage, string> = {
  c: "c",
  cpp: "cpp",
  go: "go",
  java: "java",
  javascript: "javascript",
  typescript: "typescript",
  tsx: "typescript",
  php: "php",
  ruby: "ruby",
  rust: "rust",
};

export function renderBlocks(blocks: readonly EditBlock[]): string {
  const fence = answerFence(blocks.map((b) => b.path));
  return blocks
    .map(
      (b) =>
        `\`\`\`${fence}\n### ${b.path}\n<<<<<<< SEARCH\n${b.search}\n=======\n${b.replace}\n>>>>>>> REPLACE\n\`\`\``,
    )
    .join("\n\n");
}

export function renderAnswer(thought: string, solution: string): string {
  return `<think>\n${thought}\n</think>\n<solution>\n${solution}\n</solution>`;
}

/** Does the strict SWE-RL parser, applied to `before`, turn this answer into exactly `after`? */
export function answerReproduces(
  answer: string,
  before: Record<string, string>,
  after: Record<string, string>,
  alsoStrict = false,
): boolean {
  try {
    const { answer: solution } = extractThoughtSolution(answer);
    const result = applySearchReplace(before, parseSearchReplace(solution));
    const paths = Object.keys(after);
    if (!(paths.length === Object.keys(result).length && paths.every((p) => result[p] === after[p]))) return false;
    if (!alsoStrict) return true;
    // and as the strict profile parses it (Agentless Mini: files that exist, substring apply)
    const strict = strictEdits(answer, before, false, answerFence(paths));
    return (
      strict.edited_files.length === paths.length &&
      strict.edited_files.every((p, i) => after[p] === strict.new_contents[i])
    );
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
  const check = (bs: EditBlock[], alsoStrict = false) =>
    answerReproduces(renderAnswer("check", renderBlocks(bs)), { ...before }, after, alsoStrict);
  // blocks that both SWE-RL's apply and Agentless Mini's strict parsing reproduce, when there are such
  if (check(blocks, true)) return { before: { ...before }, after, blocks, exact: true, strict: true };
  if (check(wholeFile, true)) return { before: { ...before }, after, blocks: wholeFile, exact: true, strict: true };
  if (check(blocks)) return { before: { ...before }, after, blocks, exact: true };
  if (check(wholeFile)) return { before: { ...before }, after, blocks: wholeFile, exact: true };
  return { before: { ...before }, after, blocks, exact: false };
}
