// Which paths an edit may write: a regular file of the repository at base_commit, named by a
// relative path that stays inside it. Anything else is rejected with the reason.
import type { RepoListing } from "../repo/files.js";
import type { PathProblem } from "../records/repair.js";

/** `./a/b.py` → `a/b.py`; other paths unchanged. */
export const normalizeEditPath = (path: string): string => path.replace(/^(?:\.\/)+/, "");

export function checkEditPath(path: string, listing: RepoListing): PathProblem | null {
  if (path.trim() === "") return "empty";
  if (path.startsWith("/") || path.startsWith("\\") || path.startsWith("~") || /^[A-Za-z]:/.test(path))
    return "absolute";
  if (path.split(/[/\\]/).includes("..")) return "parent_dir";
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\"]/.test(path)) return "unsupported_characters";
  const mode = listing.get(path);
  if (mode === undefined) return "not_in_repo";
  if (mode !== "100644" && mode !== "100755") return "not_a_regular_file";
  return null;
}

/**
 * The repo path an edit writes. A path that is not in the repo but is a suffix of exactly one
 * file in the prompt (`x.py` for `pkg/x.py`) names that file (`completed`).
 */
export function resolveEditPath(
  raw: string,
  listing: RepoListing,
  contextFiles: readonly string[] = [],
): { path: string; problem: PathProblem | null; completed: boolean } {
  const path = normalizeEditPath(raw);
  const problem = checkEditPath(path, listing);
  if (problem === "not_in_repo") {
    const matches = contextFiles.filter((f) => f.endsWith("/" + path));
    if (matches.length === 1 && checkEditPath(matches[0], listing) === null)
      return { path: matches[0], problem: null, completed: true };
  }
  return { path, problem, completed: false };
}
