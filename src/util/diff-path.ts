// A diff's file path without git's a/ or b/ prefix (unidiff's PatchedFile.path does the same);
// other paths, /dev/null among them, unchanged.
export const stripDiffPrefix = (path: string): string =>
  path.startsWith("a/") || path.startsWith("b/") ? path.slice(2) : path;
