// repair.parser: strict — turning an answer into edited files exactly as SWE-RL's Agentless
// Mini does (facebookresearch/swe-rl, src/swerl/agentless_mini/repair.py:30-54 and
// utils/data.py:650-768; our own code, checked against outputs of those functions in
// test/fidelity/reference.test.ts): only ```python blocks; a block's file is the text before
// its SEARCH marker (leading #'s dropped), else the previous block's file in the same fenced
// block; edits only to files of the location set; a search applies when it is a plain
// substring of the original, and then replaces every occurrence. A file whose edits all fail
// is still "edited" (unchanged); the empty-lines check then empties the patch.
import { pyReplaceAll, pyStrip } from "./py-str.js";
import { pySplitLines } from "../util/py-splitlines.js";
import { thinkingAnswer } from "../model/answer-part.js";

export { thinkingAnswer };

const SEARCH = "<<<<<<< SEARCH";
const REPLACE = ">>>>>>> REPLACE";
const DIVIDER = "\n=======\n";

/** The bodies of ```python\n … \n``` blocks (non-greedy, left to right); `tag`: another language's fence (```go …). */
export const pythonBlocks = (text: string, tag = "python"): string[] =>
  [
    ...text.matchAll(
      tag === "python" ? /```python\n([\s\S]*?)\n```/g : new RegExp("```" + tag + "\\n([\\s\\S]*?)\\n```", "g"),
    ),
  ].map((m) => m[1]!);

/** file → its edit commands, in order of first appearance, each command once. */
export function commandsByFile(blocks: readonly string[]): Map<string, string[]> {
  const byFile = new Map<string, string[]>();
  for (const block of blocks) {
    let file: string | null = null;
    for (const raw of block.split(REPLACE).slice(0, -1)) {
      const sub = pyStrip(raw);
      const parts = sub.split(SEARCH);
      if (parts.length > 1) {
        const name = pyStrip(parts[0]!.replace(/^#+/, ""));
        if (name) file = name;
      }
      if (parts.length !== 2) continue;
      const command = `${SEARCH}${parts[1]}\n${REPLACE}`;
      if (file === null) continue;
      const list = byFile.get(file);
      if (!list) byFile.set(file, [command]);
      else if (!list.includes(command)) list.push(command);
    }
  }
  return byFile;
}

/** The file after its commands: those whose search is a substring of the original, applied in order. */
export function applyCommands(commands: readonly string[], content: string): string {
  const applicable: Array<[string, string]> = [];
  for (const command of commands) {
    const body = pySplitLines(command).slice(1, -1).join("\n");
    const halves = body.split(DIVIDER);
    if (halves.length !== 2) continue;
    if (content.includes(halves[0]!)) applicable.push([halves[0]!, halves[1]!]);
  }
  let out = content;
  for (const [search, replace] of applicable) out = pyReplaceAll(out, search, replace);
  return out;
}

export interface StrictEdits {
  /** Files with commands that are in the location set, in order of appearance (unchanged ones included). */
  edited_files: string[];
  new_contents: string[];
}

/** One pass of Agentless Mini's _post_process_multifile_repair. */
export function strictEditPass(
  text: string,
  fileContents: Readonly<Record<string, string>>,
  tag = "python",
): StrictEdits {
  const out: StrictEdits = { edited_files: [], new_contents: [] };
  for (const [file, commands] of commandsByFile(pythonBlocks(text, tag))) {
    if (!Object.hasOwn(fileContents, file)) continue;
    const next = applyCommands(commands, fileContents[file]!);
    if (next === "") continue;
    out.edited_files.push(file);
    out.new_contents.push(next);
  }
  return out;
}

/**
 * What Agentless Mini makes of a raw answer: a pass over the answer part against the location
 * set's files, then (post_process_repair) a pass over the raw generation against the files the
 * first pass edited — with THINKING on, blocks inside the thought count for those files.
 */
export function strictEdits(
  rawOutput: string,
  locationContents: Readonly<Record<string, string>>,
  thinking: boolean,
  tag = "python",
): StrictEdits {
  const first = strictEditPass(thinkingAnswer(rawOutput, thinking), locationContents, tag);
  if (first.edited_files.length === 0 || rawOutput === "") return { edited_files: [], new_contents: [] };
  const prev = Object.fromEntries(first.edited_files.map((f) => [f, locationContents[f]!]));
  return strictEditPass(rawOutput, prev, tag);
}

/** Python `"\n".join(l for l in s.splitlines() if l.strip() != "")`. */
const withoutEmptyLines = (s: string): string =>
  pySplitLines(s)
    .filter((l) => pyStrip(l) !== "")
    .join("\n");

/** Agentless Mini's check_code_differ_by_just_empty_lines (the files concatenated, as it does). */
export function differsOnlyByEmptyLines(newContents: readonly string[], oldContents: readonly string[]): boolean {
  let a = "";
  let b = "";
  for (let i = 0; i < Math.min(newContents.length, oldContents.length); i++) {
    a += withoutEmptyLines(newContents[i]!);
    b += withoutEmptyLines(oldContents[i]!);
  }
  return a === b;
}
