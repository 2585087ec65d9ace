// The repair stage's SEARCH/REPLACE parser: it accepts what models really write, where
// SWE-RL's strict regex (src/reward/search-replace.ts, used for the reward) does not, and
// names for every block each way it departs from the strict format. Line based: a block is a
// SEARCH marker, search lines, a `=======` line, replace lines, a REPLACE marker; its path is
// the path line just before it (inside or just before its fence), else the previous block's
// path in the same fence, else the only file in the context.
import type { BlockError, BlockRule } from "../records/repair.js";

export interface ParsedBlock {
  /** null when no path could be determined (error "no_path"). */
  path: string | null;
  search: string;
  replace: string;
  rules: BlockRule[];
  /** 1-based line of the SEARCH marker in the solution text. */
  line: number;
  error?: BlockError;
}

const SEARCH_RE = /^\s*<{5,9}\s*SEARCH\s*$/;
const DIVIDER_RE = /^\s*={7}\s*$/;
const REPLACE_RE = /^\s*>{5,9}\s*REPLACE\s*$/;
const FENCE_RE = /^\s*```/;
const CLOSE_FENCE_RE = /^\s*```\s*$/;
// SWE-RL's block regex, anchored to one block's text
const STRICT_BLOCK_RE =
  /^```[^\n]*?\n### ([^\n]*)\n<<<<<<< SEARCH\n([\s\S]*?)\n=======\n([\s\S]*?)\n>>>>>>> REPLACE\n```/;

const LOOKS_LIKE_PATH = /^[^\s`*'"<>|]+$/;

/** The path a line names, and whether it is written exactly as `### path`. */
export function parsePathLine(line: string): { path: string; strict: boolean } | null {
  const strict = /^### (\S+)$/.exec(line);
  if (strict && LOOKS_LIKE_PATH.test(strict[1])) return { path: strict[1], strict: true };
  let text = line.trim().replace(/^#+\s*/, "");
  const labelled = /^(?:\*\*)?(?:file(?:name)?|path)\s*:\s*(?:\*\*)?\s*(.+)$/i.exec(text);
  if (labelled) text = labelled[1];
  text = text.replace(/^[`*'"]+|[`*'":]+$/g, "").trim();
  if (text === "" || !LOOKS_LIKE_PATH.test(text)) return null;
  // a bare line counts only if it has a file name with an extension or a directory
  if (!line.trim().startsWith("#") && !labelled && !/[/.]/.test(text)) return null;
  return { path: text, strict: false };
}

/** The answer part where edits are expected: after <solution> (to </solution>), else after </think>, else all. */
export function solutionText(output: string): string {
  const open = output.indexOf("<solution>");
  if (open >= 0) {
    const rest = output.slice(open + "<solution>".length);
    const close = rest.indexOf("</solution>");
    return close >= 0 ? rest.slice(0, close) : rest;
  }
  const thinkEnd = output.lastIndexOf("</think>");
  return thinkEnd >= 0 ? output.slice(thinkEnd + "</think>".length) : output;
}

interface Fence {
  id: number;
  openLine: number;
  closed: boolean;
}

export function parseEditBlocks(solution: string, contextFiles: readonly string[]): ParsedBlock[] {
  const crlf = solution.includes("\r\n");
  const lines = solution.replace(/\r\n/g, "\n").split("\n");
  const blocks: Array<ParsedBlock & { fence: Fence | null; end: number }> = [];
  const fences: Fence[] = [];
  let fence: Fence | null = null;
  let pathInFence: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!SEARCH_RE.test(line)) {
      if (fence && CLOSE_FENCE_RE.test(line)) {
        fence.closed = true;
        fence = null;
      } else if (!fence && FENCE_RE.test(line)) {
        fence = { id: fences.length, openLine: i, closed: false };
        fences.push(fence);
        pathInFence = null;
      }
      continue;
    }
    const rules: BlockRule[] = [];
    if (crlf) rules.push("crlf");
    let markerFormat = line !== "<<<<<<< SEARCH";
    // the path: the nearest non-blank line above, or the one above the fence opener
    let path: string | null = null;
    let k = i - 1;
    while (k >= 0 && lines[k].trim() === "") k--;
    if (k >= 0 && fence && k === fence.openLine) {
      k--;
      while (k >= 0 && lines[k].trim() === "") k--;
    }
    const named = k >= 0 && (!blocks.length || k > blocks[blocks.length - 1].end) ? parsePathLine(lines[k]) : null;
    if (named) {
      path = named.path;
      if (!named.strict) rules.push("path_line_format");
      if (!fence || k !== fence.openLine + 1) rules.push("path_line_position");
    } else if (pathInFence !== null) {
      path = pathInFence;
      rules.push("path_from_previous_block");
    } else if (contextFiles.length === 1) {
      path = contextFiles[0];
      rules.push("missing_path");
    }
    // body
    const search: string[] = [];
    const replace: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !DIVIDER_RE.test(lines[j]); j++) search.push(lines[j]);
    if (j < lines.length && lines[j] !== "=======") markerFormat = true;
    let end = j + 1;
    for (; end < lines.length && !REPLACE_RE.test(lines[end]); end++) replace.push(lines[end]);
    const terminated = j < lines.length && end < lines.length;
    if (terminated && lines[end] !== ">>>>>>> REPLACE") markerFormat = true;
    if (markerFormat) rules.push("marker_format");
    const block = {
      path,
      search: search.join("\n"),
      replace: replace.join("\n"),
      rules,
      line: i + 1,
      fence,
      end: terminated ? end : lines.length - 1,
    } as ParsedBlock & { fence: Fence | null; end: number };
    if (!terminated) block.error = "unterminated";
    else if (path === null) block.error = "no_path";
    blocks.push(block);
    if (path !== null && fence) pathInFence = path;
    if (!terminated) break;
    // a closing fence right after the marker (with whitespace: a format slip) ends the fence
    const next = lines[end + 1];
    if (fence && next !== undefined && CLOSE_FENCE_RE.test(next)) {
      if (next !== "```") rules.push("marker_format");
      fence.closed = true;
      fence = null;
      i = end + 1;
    } else {
      i = end;
    }
  }
  const perFence = new Map<number, number>();
  for (const b of blocks) if (b.fence) perFence.set(b.fence.id, (perFence.get(b.fence.id) ?? 0) + 1);
  return blocks.map(({ fence: f, end, ...b }) => {
    if (!f) b.rules.push("no_fence");
    else {
      if ((perFence.get(f.id) ?? 0) > 1) b.rules.push("shared_fence");
      const closedRightAfter = f.closed && CLOSE_FENCE_RE.test(lines[end + 1] ?? "");
      if (!closedRightAfter && !b.rules.includes("shared_fence")) b.rules.push("fence_not_closed");
      if (b.rules.length === 0 && !b.error) {
        const text = lines.slice(f.openLine, end + 2).join("\n");
        if (!STRICT_BLOCK_RE.test(text)) b.rules.push("other");
      }
    }
    b.rules = [...new Set(b.rules)];
    return b;
  });
}
