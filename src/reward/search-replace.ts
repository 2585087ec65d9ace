// SWE-RL's strict output format: `<think>…</think><solution>…</solution>` with SEARCH/REPLACE
// blocks in the solution, and its apply semantics for the reward. Error messages follow
// SWE-RL's wording so logs can be compared with its runs.
import { pyStrip } from "./py-str.js";

export const THINK_START = "<think>";
export const THINK_END = "</think>";
export const ANSWER_START = "<solution>";
export const ANSWER_END = "</solution>";

/** A sample that breaks the format: its reward is -1. */
export class FormatError extends Error {
  override name = "FormatError";
}

// SWE-RL's regex (Python syntax):
//   ```.*?\n### (.*)\n<<<<<<< SEARCH\n([\s\S]*?)\n=======\n([\s\S]*?)\n>>>>>>> REPLACE\n```
// Python's `.` excludes only "\n"; JavaScript's also excludes "\r", U+2028 and U+2029, hence [^\n].
const SEARCH_REPLACE_PATTERN =
  /```[^\n]*?\n### ([^\n]*)\n<<<<<<< SEARCH\n([\s\S]*?)\n=======\n([\s\S]*?)\n>>>>>>> REPLACE\n```/g;

export interface SearchReplace {
  search: string;
  replace: string;
}
/** path → its edits in order; paths in order of first appearance. */
export type SearchReplaceEdits = Map<string, SearchReplace[]>;

/** Python's str.count for a non-empty needle (non-overlapping). */
function countOccurrences(text: string, needle: string): number {
  let n = 0;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) n++;
  return n;
}

/** Thought and solution of `<think>…</think><solution>…</solution>`, both stripped. */
export function extractThoughtSolution(output: string): { thought: string; answer: string } {
  for (const tag of [THINK_START, THINK_END, ANSWER_START, ANSWER_END]) {
    if (countOccurrences(output, tag) !== 1) throw new FormatError(`count of ${tag} is not 1`);
  }
  // Python: output.split(START)[1].split(END)[0] (END may even precede START)
  const between = (start: string, end: string): string => {
    const after = output.slice(output.indexOf(start) + start.length);
    const stop = after.indexOf(end);
    return stop < 0 ? after : after.slice(0, stop);
  };
  const thought = pyStrip(between(THINK_START, THINK_END));
  const answer = pyStrip(between(ANSWER_START, ANSWER_END));
  if (thought.length === 0) throw new FormatError("Thought is empty");
  return { thought, answer };
}

/** Every SEARCH/REPLACE block of `text` (re.findall of SWE-RL's regex), grouped by path. */
export function parseSearchReplace(text: string): SearchReplaceEdits {
  const edits: SearchReplaceEdits = new Map();
  for (const m of text.matchAll(SEARCH_REPLACE_PATTERN)) {
    const [, path, search, replace] = m;
    let list = edits.get(path);
    if (!list) edits.set(path, (list = []));
    list.push({ search, replace });
  }
  return edits;
}

/**
 * SWE-RL's `("\n" + content).replace("\n" + search, "\n" + replace)[1:]`: every occurrence of
 * `search` that starts at a line start, left to right, without overlap; and how many there
 * were. One pass, without building "\n" + content.
 */
export function replaceAtLineStarts(content: string, search: string, replace: string): { text: string; count: number } {
  const needle = "\n" + search;
  const parts: string[] = [];
  let from = 0;
  let count = 0;
  if (content.startsWith(search)) {
    // the match at the prepended "\n"
    parts.push(replace);
    from = search.length;
    count = 1;
  }
  for (let at = content.indexOf(needle, from); at >= 0; at = content.indexOf(needle, from)) {
    parts.push(content.slice(from, at), "\n", replace);
    from = at + needle.length;
    count++;
  }
  if (count === 0) return { text: content, count };
  parts.push(content.slice(from));
  return { text: parts.join(""), count };
}

/**
 * New content of every edited file. Per file: "\n" + old content (empty when the file is
 * new); each block's search and replace get a "\n" prefix so a search starts at a line
 * boundary; every occurrence is replaced; the leading "\n" is dropped at the end.
 */
export function applySearchReplace(
  codeContext: Readonly<Record<string, string>>,
  edits: SearchReplaceEdits,
): Record<string, string> {
  const result: Record<string, string> = Object.create(null); // paths are data ("__proto__" too)
  for (const [path, blocks] of edits) {
    let content = Object.hasOwn(codeContext, path) ? codeContext[path] : "";
    for (const block of blocks) {
      if (block.search === block.replace) throw new FormatError("Search and replace blocks are identical");
      const r = replaceAtLineStarts(content, block.search, block.replace); // str.replace: all, literal
      if (r.count === 0) throw new FormatError(`Search block not found in the code: \n${block.search}`);
      content = r.text;
    }
    result[path] = content;
  }
  return result;
}
