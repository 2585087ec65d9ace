// Apply a unified diff (git or plain) to in-memory file contents the way `git apply` does by
// default: exact context, no fuzz; a hunk is tried at its stated line first, then at the
// nearest offset where its old lines match; a hunk that starts at line 1 is anchored to the
// start of the file and one without trailing context to its end; no match is an error.
import { parsePatchSet, UnidiffParseError, type ParsedHunk, type PatchedFile } from "./patch-set.js";
import { splitKeepEnds } from "./py-str.js";
import { stripDiffPrefix } from "../util/diff-path.js";

export class PatchApplyError extends Error {
  override name = "PatchApplyError";
}

const DEV_NULL = "/dev/null";

interface HunkSides {
  old: string[];
  new: string[];
  trailingContext: number;
}

/** Old and new lines of a hunk; a "\ No newline" marker drops the "\n" of the line before it. */
function hunkSides(hunk: ParsedHunk): HunkSides {
  const old: string[] = [];
  const neu: string[] = [];
  let trailingContext = 0;
  let lastType = "";
  for (const line of hunk.lines) {
    const type = line[0];
    const value = line.slice(1);
    if (type === "\\") {
      const chop = (side: string[]) => {
        if (side.length) side[side.length - 1] = side[side.length - 1].replace(/\n$/, "");
      };
      if (lastType === "-" || lastType === " ") chop(old);
      if (lastType === "+" || lastType === " ") chop(neu);
      continue;
    }
    if (type !== " " && type !== "-" && type !== "+") continue; // a blank line after the hunk
    if (type !== "+") old.push(value);
    if (type !== "-") neu.push(value);
    trailingContext = type === " " ? trailingContext + 1 : 0;
    lastType = type;
  }
  return { old, new: neu, trailingContext };
}

function matchesAt(lines: string[], at: number, want: string[]): boolean {
  if (at < 0 || at + want.length > lines.length) return false;
  for (let k = 0; k < want.length; k++) if (lines[at + k] !== want[k]) return false;
  return true;
}

/** [start, end, text]: the characters [start, end) of the old text replaced by text (UTF-16 offsets). */
export type TextEdit = [number, number, string];

/** Apply the hunks of one file to its lines; `label` names the file in errors. The hunks as
 * edits of the old text are appended to `edits` when given. */
function applyHunks(oldText: string, file: PatchedFile, label: string, edits?: TextEdit[]): string {
  const lines = splitKeepEnds(oldText);
  const out: string[] = [];
  let cursor = 0; // lines before this are already copied or replaced
  let offset = 0; // drift found so far, carried to later hunks as git apply does
  let cursorChar = 0; // where line `cursor` starts in oldText (kept only for `edits`)
  file.hunks.forEach((hunk, h) => {
    const sides = hunkSides(hunk);
    // a hunk with no old lines inserts after line sourceStart; otherwise starts at sourceStart
    const stated = (hunk.sourceLength === 0 ? hunk.sourceStart : hunk.sourceStart - 1) + offset;
    // git apply's anchoring: a hunk at line 0/1 must match at the start of the file, and one
    // without trailing context must match at its end (the diff tool ran out of lines there)
    const atStart = hunk.sourceStart <= 1;
    const atEnd = sides.trailingContext === 0;
    const fits = (pos: number) =>
      pos >= cursor &&
      (!atStart || pos === 0) &&
      (!atEnd || pos + sides.old.length === lines.length) &&
      matchesAt(lines, pos, sides.old);
    let at = -1;
    for (let d = 0; at < 0 && (stated - d >= cursor || stated + d <= lines.length); d++) {
      if (fits(stated - d)) at = stated - d;
      else if (d > 0 && fits(stated + d)) at = stated + d;
    }
    if (at < 0) {
      const where = atEnd ? " at the end of the file" : atStart ? " at the start of the file" : "";
      throw new PatchApplyError(
        `${label}: hunk ${h + 1} (@@ -${hunk.sourceStart},${hunk.sourceLength} @@) does not apply: its old lines are not in the file${where}`,
      );
    }
    offset += at - stated;
    for (let k = cursor; k < at; k++) out.push(lines[k]);
    out.push(...sides.new);
    if (edits) {
      let start = cursorChar;
      for (let k = cursor; k < at; k++) start += lines[k].length;
      let end = start;
      for (const line of sides.old) end += line.length;
      edits.push([start, end, sides.new.join("")]);
      cursorChar = end;
    }
    cursor = at + sides.old.length;
  });
  for (let k = cursor; k < lines.length; k++) out.push(lines[k]);
  return out.join("");
}

export interface PatchResult {
  /** Content before the patch of every file the patch touches that existed. */
  before: Record<string, string>;
  /** Content after the patch of every touched path; a deleted (or renamed-away) file maps to null. */
  after: Record<string, string | null>;
  /** after[path] as edits of before[path], for a file the patch changes in place with one diff
   * (asked for with opts.edits; else empty). */
  edits: Record<string, TextEdit[]>;
}

/**
 * Apply `patch` to `files` (path → content). Files the patch does not touch are not in the
 * result. Binary diffs are an error (there is no content to apply).
 */
export function applyUnifiedDiff(
  files: Readonly<Record<string, string>>,
  patch: string,
  opts: { edits?: boolean } = {},
): PatchResult {
  let parsed: PatchedFile[];
  try {
    parsed = parsePatchSet(patch);
  } catch (err) {
    if (err instanceof UnidiffParseError)
      throw new PatchApplyError(`patch is not a valid unified diff: ${err.message}`);
    throw err;
  }
  const before: Record<string, string> = Object.create(null);
  const after: Record<string, string | null> = Object.create(null);
  const edits: Record<string, TextEdit[]> = Object.create(null);
  // files already patched earlier in this diff continue from their patched content
  const current = (path: string): string | undefined =>
    path in after ? (after[path] ?? undefined) : Object.hasOwn(files, path) ? files[path] : undefined;
  for (const file of parsed) {
    const source =
      file.sourceFile === null ? null : file.sourceFile === DEV_NULL ? DEV_NULL : stripDiffPrefix(file.sourceFile);
    const target =
      file.targetFile === null ? null : file.targetFile === DEV_NULL ? DEV_NULL : stripDiffPrefix(file.targetFile);
    const label = target && target !== DEV_NULL ? target : (source ?? "(unnamed file)");
    if (file.isBinaryFile) throw new PatchApplyError(`${label}: binary diff cannot be applied to text`);
    if (source === null || target === null) throw new PatchApplyError(`${label}: diff names no source or target file`);
    let oldText = "";
    if (source !== DEV_NULL) {
      const text = current(source);
      if (text === undefined) throw new PatchApplyError(`${source}: the patch modifies a file that does not exist`);
      oldText = text;
      if (!(source in before) && !(source in after)) before[source] = text;
    } else if (current(target) !== undefined) {
      throw new PatchApplyError(`${target}: the patch creates a file that already exists`);
    }
    const fileEdits: TextEdit[] | undefined = opts.edits ? [] : undefined;
    const newText = applyHunks(oldText, file, label, fileEdits);
    // edits of the original only: a path patched before in this diff (in place, renamed to,
    // deleted) is in `after` already, and a rename or deletion has none
    if (fileEdits && source === target && source !== DEV_NULL && !(source in after)) edits[source] = fileEdits;
    else if (fileEdits) {
      delete edits[source];
      delete edits[target];
    }
    if (target === DEV_NULL) {
      after[source] = null;
    } else {
      if (source !== DEV_NULL && source !== target) after[source] = null; // rename
      after[target] = newText;
    }
  }
  return { before, after, edits };
}

/**
 * SWE-RL's reward inputs from a repository's files and a gold patch: code_context holds the
 * touched files as they were, oracle_new_content the same paths after the patch (a deleted
 * file becomes "", a new file appears only here).
 */
export function oracleFromPatch(
  files: Readonly<Record<string, string>>,
  goldPatch: string,
): { codeContext: Record<string, string>; oracleNewContent: Record<string, string> } {
  const { before, after } = applyUnifiedDiff(files, goldPatch);
  const oracleNewContent: Record<string, string> = Object.create(null);
  for (const [path, text] of Object.entries(after)) oracleNewContent[path] = text ?? "";
  return { codeContext: { ...before }, oracleNewContent };
}
