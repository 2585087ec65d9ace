// Apply parsed SEARCH/REPLACE blocks to the original files, in order, the way the repair stage
// does it: SWE-RL's semantics first (the search starts at a line boundary; every occurrence
// is replaced), then two fallbacks for slips models make (Agentless's plain substring match;
// lines equal but for trailing whitespace). A block that cannot be applied is skipped and
// its outcome says why; the others still apply (as Agentless Mini does).
import { replaceAtLineStarts } from "../reward/search-replace.js";
import type { ParsedBlock } from "./edit-parser.js";
import { resolveEditPath } from "./edit-paths.js";
import type { BlockOutcome, MatchKind } from "../records/repair.js";
import type { RepoListing } from "../repo/files.js";

const countOf = (text: string, needle: string): number => {
  let n = 0;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) n++;
  return n;
};

const trimEnd = (s: string): string => s.replace(/\s+$/, "");

/** Replace every run of lines equal to `search` up to trailing whitespace. */
function replaceLinesLoosely(content: string, search: string, replace: string): { text: string; count: number } {
  const lines = content.split("\n");
  const want = search.split("\n").map(trimEnd);
  while (want.length > 0 && want[want.length - 1] === "") want.pop(); // a trailing blank line in the search
  if (want.length === 0) return { text: content, count: 0 };
  const out: string[] = [];
  let count = 0;
  for (let i = 0; i < lines.length; ) {
    let ok = i + want.length <= lines.length;
    for (let k = 0; ok && k < want.length; k++) ok = trimEnd(lines[i + k]) === want[k];
    if (ok) {
      out.push(...replace.split("\n"));
      i += want.length;
      count++;
    } else {
      out.push(lines[i++]);
    }
  }
  return { text: out.join("\n"), count };
}

/** One block against one file's content (LF line ends). */
function applyOne(
  content: string,
  search: string,
  replace: string,
): { text: string; match?: MatchKind; count: number } {
  const exact = replaceAtLineStarts(content, search, replace);
  if (exact.count > 0) return { text: exact.text, match: "exact", count: exact.count };
  const midLine = countOf(content, search);
  if (midLine > 0) return { text: content.split(search).join(replace), match: "mid_line", count: midLine };
  const loose = replaceLinesLoosely(content, search, replace);
  if (loose.count > 0) return { text: loose.text, match: "trailing_whitespace", count: loose.count };
  return { text: content, count: 0 };
}

export interface AppliedEdits {
  /** New content of every file at least one block changed (original line ends kept). */
  newContents: Record<string, string>;
  outcomes: BlockOutcome[];
}

/** Paths the blocks would write that pass the path checks (to read their contents first). */
export function editablePaths(
  blocks: readonly ParsedBlock[],
  listing: RepoListing,
  contextFiles: readonly string[] = [],
): string[] {
  const paths = new Set<string>();
  for (const b of blocks) {
    if (b.path === null || b.error) continue;
    const { path, problem } = resolveEditPath(b.path, listing, contextFiles);
    if (problem === null) paths.add(path);
  }
  return [...paths];
}

/**
 * Apply `blocks` in order. `originals` must hold the content of every path `editablePaths`
 * returned. A file with \r\n line ends is matched with \n and written back with \r\n.
 * Blocks on files not in `contextFiles` (when given) are marked outside_context.
 */
export function applyEditBlocks(
  blocks: readonly ParsedBlock[],
  originals: Readonly<Record<string, string>>,
  listing: RepoListing,
  contextFiles?: readonly string[],
): AppliedEdits {
  const working = new Map<string, { text: string; crlf: boolean }>();
  const outcomes: BlockOutcome[] = [];
  for (const b of blocks) {
    const base: Omit<BlockOutcome, "status"> = { path: b.path, line: b.line, rules: b.rules };
    if (b.error) {
      outcomes.push({ ...base, status: b.error });
      continue;
    }
    const { path, problem, completed } = resolveEditPath(b.path!, listing, contextFiles);
    if (problem) {
      outcomes.push({ ...base, status: "rejected_path", path_problem: problem });
      continue;
    }
    if (completed) base.rules = [...b.rules, "path_completed"];
    if (!Object.hasOwn(originals, path)) throw new Error(`applyEditBlocks: no original content for ${path}`);
    if (contextFiles && !contextFiles.includes(path)) base.outside_context = true;
    if (b.search === b.replace) {
      outcomes.push({ ...base, path, status: "identical" });
      continue;
    }
    let file = working.get(path);
    if (!file) {
      const original = originals[path];
      const crlf = original.includes("\r\n");
      working.set(path, (file = { text: crlf ? original.replace(/\r\n/g, "\n") : original, crlf }));
    }
    if (b.search.trim() === "") {
      // SWE-RL's "\n"-prefixed empty search would insert the replacement after every line
      if (file.text !== "") {
        outcomes.push({ ...base, path, status: "empty_search" });
        continue;
      }
      file.text = b.replace.endsWith("\n") || b.replace === "" ? b.replace : b.replace + "\n";
      outcomes.push({ ...base, path, status: "applied", match: "exact", occurrences: 1 });
      continue;
    }
    const r = applyOne(file.text, b.search, b.replace);
    if (r.count === 0) {
      outcomes.push({ ...base, path, status: "not_found" });
      continue;
    }
    file.text = r.text;
    outcomes.push({ ...base, path, status: "applied", match: r.match, occurrences: r.count });
  }
  const newContents: Record<string, string> = {};
  for (const [path, file] of working) {
    const text = file.crlf ? file.text.replace(/\n/g, "\r\n") : file.text;
    if (text !== originals[path]) newContents[path] = text;
  }
  return { newContents, outcomes };
}
