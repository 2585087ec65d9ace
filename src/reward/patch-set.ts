// Port of the parser of python-unidiff 0.7.5 (`unidiff.PatchSet`), the library SWE-RL's
// unified-diff reward uses: same line classification, same errors, same str(hunk). Only what
// the reward needs is kept: per file its source/target names, binary flag and hunk texts.
// Python regexes are transcribed with [^\n] for `.` and "\n?$" for `$` (Python's `$` also
// matches before a final newline); `\d` is ASCII here (Python's also accepts other scripts'
// digits, which no diff tool writes).

import { splitKeepEnds } from "./py-str.js";
import { stripDiffPrefix } from "../util/diff-path.js";

export class UnidiffParseError extends Error {
  override name = "UnidiffParseError";
}

export interface ParsedHunk {
  sourceStart: number;
  sourceLength: number;
  targetStart: number;
  targetLength: number;
  /** Each line as its type character (" ", "-", "+", "\\") + value (with its "\n" if it had one). */
  lines: string[];
  /** Python's str(hunk): normalized "@@ -s,l +s,l @@[ section]\n" header + the lines. */
  text: string;
}

export interface PatchedFile {
  sourceFile: string | null;
  targetFile: string | null;
  isBinaryFile: boolean;
  hunks: ParsedHunk[];
}

const DEV_NULL = "/dev/null";
const RE_SOURCE_FILENAME = /^--- ([^\t\n]+)(?:\t([^\n]+))?/;
const RE_TARGET_FILENAME = /^\+\+\+ ([^\t\n]+)(?:\t([^\n]+))?/;
const RE_DIFF_GIT_HEADER = /^diff --git (a\/[^\t\n]+) (b\/[^\t\n]+)/;
const RE_DIFF_GIT_HEADER_URI_LIKE = /^diff --git ([^\n]*:\/\/[^\t\n]+) ([^\n]*:\/\/[^\t\n]+)/;
const RE_DIFF_GIT_HEADER_NO_PREFIX = /^diff --git ([^\t\n]+) ([^\t\n]+)/;
const RE_DIFF_GIT_DELETED_FILE = /^deleted file mode [0-9]+\n?$/;
const RE_DIFF_GIT_NEW_FILE = /^new file mode [0-9]+\n?$/;
const RE_HUNK_HEADER = /^@@ -([0-9]+)(?:,([0-9]+))? \+([0-9]+)(?:,([0-9]+))? @@[ ]?([^\n]*)/;
const RE_HUNK_BODY_LINE = /^([- +\\])([\s\S]*)/;
const RE_HUNK_EMPTY_BODY_LINE = /^([- +\\]?)([\r\n]{1,2})/;
const RE_NO_NEWLINE_MARKER = /^\\ No newline at end of file/;
const RE_BINARY_DIFF =
  /^Binary files? ([^\t]+?)(?:\t([\s0-9:+-]+))?(?: and ([^\t]+?)(?:\t([\s0-9:+-]+))?)? (differ|has changed)/;

type HunkBuilder = Omit<ParsedHunk, "text"> & { header: string };

class FileBuilder {
  hunks: HunkBuilder[] = [];
  constructor(
    public sourceFile: string | null,
    public targetFile: string | null,
    public isBinaryFile = false,
  ) {}

  lastHunk(what: string): HunkBuilder {
    if (this.hunks.length === 0) throw new UnidiffParseError(what);
    return this.hunks[this.hunks.length - 1];
  }
}

/** Parse one hunk starting at lines[at] (its header); returns the index after its last line. */
function parseHunk(file: FileBuilder, header: string, lines: string[], at: number): number {
  const m = RE_HUNK_HEADER.exec(header)!;
  const sourceStart = Number(m[1]);
  const sourceLength = m[2] === undefined ? 1 : Number(m[2]);
  const targetStart = Number(m[3]);
  const targetLength = m[4] === undefined ? 1 : Number(m[4]);
  const section = m[5];
  const hunk: HunkBuilder = {
    sourceStart,
    sourceLength,
    targetStart,
    targetLength,
    header: `@@ -${sourceStart},${sourceLength} +${targetStart},${targetLength} @@${section ? " " + section : ""}\n`,
    lines: [],
  };
  let sourceLine = sourceStart;
  let targetLine = targetStart;
  const sourceEnd = sourceStart + sourceLength;
  const targetEnd = targetStart + targetLength;
  let i = at + 1;
  while (i < lines.length) {
    const line = lines[i++];
    const valid = RE_HUNK_BODY_LINE.exec(line) ?? RE_HUNK_EMPTY_BODY_LINE.exec(line);
    if (!valid) throw new UnidiffParseError(`Hunk diff line expected: ${line}`);
    const lineType = valid[1] === "" ? " " : valid[1];
    if (lineType === "+") targetLine++;
    else if (lineType === "-") sourceLine++;
    else if (lineType === " ") {
      targetLine++;
      sourceLine++;
    }
    if (sourceLine > sourceEnd || targetLine > targetEnd) throw new UnidiffParseError("Hunk is longer than expected");
    hunk.lines.push(lineType + valid[2]);
    if (sourceLine === sourceEnd && targetLine === targetEnd) break;
  }
  if (sourceLine < sourceEnd || targetLine < targetEnd) throw new UnidiffParseError("Hunk is shorter than expected");
  file.hunks.push(hunk);
  return i;
}

/** unidiff.PatchSet(text): the files of a unified diff, in order. Throws UnidiffParseError. */
export function parsePatchSet(text: string): PatchedFile[] {
  const files: FileBuilder[] = [];
  let current: FileBuilder | null = null;
  let patchInfo: string[] | null = null;
  // Python locals that can be unbound when a "+++" line comes first (an UnboundLocalError there).
  let sourceFile: string | null | undefined;
  let sourceTimestampBound = false;
  const lines = splitKeepEnds(text);
  for (let i = 0; i < lines.length; ) {
    const line = lines[i++];
    const gitHeader =
      RE_DIFF_GIT_HEADER.exec(line) ??
      RE_DIFF_GIT_HEADER_URI_LIKE.exec(line) ??
      RE_DIFF_GIT_HEADER_NO_PREFIX.exec(line);
    if (gitHeader) {
      patchInfo = [line];
      sourceFile = gitHeader[1];
      current = new FileBuilder(gitHeader[1], gitHeader[2]);
      files.push(current);
      continue;
    }
    if (RE_DIFF_GIT_NEW_FILE.test(line)) {
      if (!current || !patchInfo) throw new UnidiffParseError(`Unexpected new file found: ${line}`);
      current.sourceFile = DEV_NULL;
      patchInfo.push(line);
      continue;
    }
    if (RE_DIFF_GIT_DELETED_FILE.test(line)) {
      if (!current || !patchInfo) throw new UnidiffParseError(`Unexpected deleted file found: ${line}`);
      current.targetFile = DEV_NULL;
      patchInfo.push(line);
      continue;
    }
    const source = RE_SOURCE_FILENAME.exec(line);
    if (source) {
      sourceFile = source[1];
      sourceTimestampBound = true;
      // reset the current file unless this continues it (a git header named the same source)
      if (current && current.sourceFile !== sourceFile) current = null;
      continue;
    }
    const target = RE_TARGET_FILENAME.exec(line);
    if (target) {
      if (current && current.targetFile !== target[1]) throw new UnidiffParseError(`Target without source: ${line}`);
      if (!current) {
        if (sourceFile === undefined || !sourceTimestampBound) {
          throw new UnidiffParseError("local variable referenced before assignment (unidiff UnboundLocalError)");
        }
        current = new FileBuilder(sourceFile, target[1]);
        files.push(current);
        patchInfo = null;
      }
      continue;
    }
    if (RE_HUNK_HEADER.test(line)) {
      patchInfo = null;
      if (!current) throw new UnidiffParseError(`Unexpected hunk found: ${line}`);
      i = parseHunk(current, line, lines, i - 1);
      continue;
    }
    if (RE_NO_NEWLINE_MARKER.test(line)) {
      if (!current) throw new UnidiffParseError(`Unexpected marker: ${line}`);
      current.lastHunk("Unexpected marker: No newline at end of file").lines.push("\\ No newline at end of file\n");
      continue;
    }
    if (line === "\n" && current) {
      current.lastHunk("Unexpected trailing newline character").lines.push("\n");
      continue;
    }
    // anything else is patch info (extended headers, commit message, ...)
    if (patchInfo === null) {
      current = null;
      patchInfo = [];
    }
    const binary = RE_BINARY_DIFF.exec(line);
    if (binary) {
      sourceFile = binary[1];
      patchInfo.push(line);
      if (current) current.isBinaryFile = true;
      else files.push(new FileBuilder(binary[1], binary[3] ?? null, true));
      patchInfo = null;
      current = null;
      continue;
    }
    if (line === "GIT binary patch\n") {
      if (!current) throw new UnidiffParseError("'NoneType' object has no attribute 'is_binary_file'");
      current.isBinaryFile = true;
      patchInfo = null;
      current = null;
      continue;
    }
    patchInfo.push(line);
  }
  return files.map((f) => ({
    sourceFile: f.sourceFile,
    targetFile: f.targetFile,
    isBinaryFile: f.isBinaryFile,
    hunks: f.hunks.map(({ header, ...h }) => ({ ...h, text: header + h.lines.join("") })),
  }));
}

/** unidiff's PatchedFile.is_rename. */
export function isRename(file: PatchedFile): boolean {
  const { sourceFile: s, targetFile: t } = file;
  if (s === DEV_NULL || t === DEV_NULL) return false;
  if (s === null || t === null) throw new UnidiffParseError("'NoneType' object is not subscriptable");
  return s.slice(2) !== t.slice(2);
}

/** unidiff's PatchedFile.path: the path without an a/ or b/ prefix (target for new files and renames). */
export function patchedFilePath(file: PatchedFile): string {
  let path = file.sourceFile;
  if (
    path === null ||
    path === DEV_NULL ||
    (isRename(file) && file.targetFile !== null && file.targetFile !== DEV_NULL)
  ) {
    path = file.targetFile;
  }
  if (path === null) throw new UnidiffParseError("'NoneType' object has no attribute 'startswith'");
  return stripDiffPrefix(path);
}
