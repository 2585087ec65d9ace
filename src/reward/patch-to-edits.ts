// Render a unified diff as SWE-RL SEARCH/REPLACE blocks, one per hunk: the hunk's old lines
// as SEARCH, its new lines as REPLACE (a new file gets an empty SEARCH). Used to turn a gold
// patch into a well-formed model answer (oracle policy, tests, benchmarks).
import { parsePatchSet } from "./patch-set.js";
import { stripDiffPrefix } from "../util/diff-path.js";

export interface EditBlock {
  path: string;
  search: string;
  replace: string;
}

/** One block per hunk, in patch order. Deleted files and binary diffs are skipped. */
export function editsFromPatch(patch: string): EditBlock[] {
  const blocks: EditBlock[] = [];
  for (const file of parsePatchSet(patch)) {
    if (file.isBinaryFile || file.targetFile === null || file.targetFile === "/dev/null") continue;
    const path = stripDiffPrefix(file.targetFile);
    for (const hunk of file.hunks) {
      const old: string[] = [];
      const neu: string[] = [];
      for (const line of hunk.lines) {
        const value = line.endsWith("\n") ? line.slice(1, -1) : line.slice(1);
        if (line[0] === " " || line[0] === "-") old.push(value);
        if (line[0] === " " || line[0] === "+") neu.push(value);
      }
      blocks.push({ path, search: old.join("\n"), replace: neu.join("\n") });
    }
  }
  return blocks;
}

/** The fenced SEARCH/REPLACE text of `blocks` (language tag `python`). */
export function renderEdits(blocks: readonly EditBlock[], language = "python"): string {
  return blocks
    .map(
      (b) =>
        `\`\`\`${language}\n### ${b.path}\n<<<<<<< SEARCH\n${b.search}\n=======\n${b.replace}\n>>>>>>> REPLACE\n\`\`\``,
    )
    .join("\n\n");
}

/** A complete SWE-RL-format answer: `<think>thought</think>\n<solution>\nblocks\n</solution>`. */
export function formatAnswer(thought: string, blocks: readonly EditBlock[]): string {
  return `<think>\n${thought}\n</think>\n<solution>\n${renderEdits(blocks)}\n</solution>`;
}
