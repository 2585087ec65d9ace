// Which files a unified diff touches, read the way the harness reads them (python-unidiff's
// PatchSet): file headers come from `diff --git` lines, `new file mode` / `deleted file mode`
// set the source / target to /dev/null, and hunk bodies are skipped by their line counts, so
// a removed line that happens to start with "-- " is never taken for a `---` header.

export const DEV_NULL = "/dev/null";

export interface PatchedFile {
  /** "a/path", "/dev/null", or whatever the header said. */
  source: string;
  /** "b/path", "/dev/null", or whatever the header said. */
  target: string;
}

const GIT_HEADER = /^diff --git (a\/[^\t\n]+) (b\/[^\t\n]+)/;
const GIT_HEADER_NO_PREFIX = /^diff --git ([^\t\n]+) ([^\t\n]+)/;
const NEW_FILE = /^new file mode \d+\n?$/;
const DELETED_FILE = /^deleted file mode \d+\n?$/;
const SOURCE_HEADER = /^--- ([^\t\n]+)/;
const TARGET_HEADER = /^\+\+\+ ([^\t\n]+)/;
const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
const BINARY = /^Binary files? ([^\t]+?)(?:\t[\s0-9:+-]+)?(?: and ([^\t]+?)(?:\t[\s0-9:+-]+)?)? (differ|has changed)/;

/** Split keeping each line's "\n", as Python iterates a StringIO. */
function linesOf(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

export function parsePatchFiles(patch: string): PatchedFile[] {
  const files: PatchedFile[] = [];
  const lines = linesOf(patch);
  let current: PatchedFile | undefined;
  let inInfo = false; // between a file's headers and its first hunk
  let pendingSource = "";

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const git = GIT_HEADER.exec(line) ?? GIT_HEADER_NO_PREFIX.exec(line);
    if (git) {
      current = { source: git[1]!, target: git[2]! };
      files.push(current);
      inInfo = true;
      continue;
    }
    if (NEW_FILE.test(line) || DELETED_FILE.test(line)) {
      if (!current) throw new Error(`unexpected "${line.trimEnd()}" before any file header`);
      if (NEW_FILE.test(line)) current.source = DEV_NULL;
      else current.target = DEV_NULL;
      continue;
    }
    const source = SOURCE_HEADER.exec(line);
    if (source) {
      pendingSource = source[1]!;
      // A `---` naming another file than the git header starts a new file.
      if (current && current.source !== pendingSource) current = undefined;
      continue;
    }
    const target = TARGET_HEADER.exec(line);
    if (target) {
      if (!current) {
        current = { source: pendingSource, target: target[1]! };
        files.push(current);
        inInfo = false;
      }
      continue;
    }
    const hunk = HUNK_HEADER.exec(line);
    if (hunk) {
      if (!current) throw new Error(`hunk "${line.trimEnd()}" has no file header`);
      inInfo = false;
      i = skipHunkBody(lines, i + 1, Number(hunk[2] ?? 1), Number(hunk[4] ?? 1)) - 1;
      continue;
    }
    if (line.startsWith("\\ No newline at end of file") || (line === "\n" && current)) continue;
    if (!inInfo) {
      current = undefined;
      inInfo = true;
    }
    const binary = BINARY.exec(line);
    if (binary) {
      if (!current) files.push({ source: binary[1]!, target: binary[2] ?? "" });
      current = undefined;
      inInfo = false;
    }
  }
  return files;
}

/** Index of the first line after a hunk body holding `sourceLen` old and `targetLen` new lines. */
function skipHunkBody(lines: string[], start: number, sourceLen: number, targetLen: number): number {
  let seenSource = 0;
  let seenTarget = 0;
  let i = start;
  while (i < lines.length && (seenSource < sourceLen || seenTarget < targetLen)) {
    const kind = lines[i]![0];
    if (kind === "+") seenTarget++;
    else if (kind === "-") seenSource++;
    else if (kind === " " || kind === "\n" || kind === "\r") {
      seenSource++;
      seenTarget++;
    } else if (kind !== "\\") {
      throw new Error(`hunk body line expected, got "${lines[i]!.trimEnd()}"`);
    }
    i++;
  }
  return i;
}

/** Files the patch changes that exist before it (no new files), without the "a/" prefix. */
export function modifiedFiles(patch: string): string[] {
  return parsePatchFiles(patch)
    .filter((f) => f.source !== DEV_NULL && f.source.startsWith("a/"))
    .map((f) => f.source.slice(2));
}

/** A diff path without git's "a/" (source side) or "b/" (target side) prefix. */
export const withoutPrefix = (path: string, prefix: "a/" | "b/") => (path.startsWith(prefix) ? path.slice(2) : path);

/** Files the patch creates, without the "b/" prefix. */
export function newFiles(patch: string): string[] {
  return parsePatchFiles(patch)
    .filter((f) => f.source === DEV_NULL)
    .map((f) => withoutPrefix(f.target, "b/"));
}

/** Every file the patch touches, in patch order, by its name after the patch (deleted: before). */
export function touchedFiles(patch: string): string[] {
  return parsePatchFiles(patch).map((f) =>
    f.target === DEV_NULL ? withoutPrefix(f.source, "a/") : withoutPrefix(f.target, "b/"),
  );
}
