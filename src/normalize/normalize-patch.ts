// Patch normalization for voting, after Agentless's normalize_patch: apply the patch, and for
// every file it changes put the canonical form of the old and the new content (Python files:
// see canonical-python.ts) through a fresh diff. Samples whose normalized texts are equal are
// one candidate. The result is a key, not a patch to apply.
//
// As in Agentless: a change that only adds functions (no existing function changed or
// removed; see functionsOf) keeps only its -/+ lines, so the same new function inserted at
// different places is one candidate; a patch that changes only comments or docstrings
// normalizes to "". Unlike Agentless: files appear sorted by path (not in edit order); a Python
// file that does not parse on either side is compared on its raw text on both sides;
// non-Python files are compared on raw text, every byte counting.
import { applyUnifiedDiff, PatchApplyError } from "../reward/apply-diff.js";
import { unifiedDiff } from "../reward/unified-diff.js";
import { canonicalLines, functionsOf, parsePython } from "./canonical-python.js";

export interface NormalizedPatch {
  /** Normalized patch text; "" for an empty patch, a no-op one, or one that does not apply. */
  normalized: string;
  /** Why the patch could not be normalized (it does not apply or is not a diff). */
  error?: string;
}

export const isPythonPath = (path: string): boolean => path.endsWith(".py") || path.endsWith(".pyi");

export const rawLines = (text: string): string[] => (text === "" ? [] : text.split("\n"));

/** Agentless's is_just_new_function: functions only added, none changed or removed. */
export function onlyAddsFunctions(before: Map<string, string>, after: Map<string, string>): boolean {
  for (const [name, text] of before) if (after.get(name) !== text) return false;
  return after.size > before.size;
}

/** The normalized diff of one file; "" when it has no normalized change. */
export function normalizeFileChange(path: string, oldText: string, newText: string): string {
  let oldLines = rawLines(oldText);
  let newLines = rawLines(newText);
  let contextFree = false;
  if (isPythonPath(path)) {
    const oldTree = parsePython(oldText);
    const newTree = parsePython(newText);
    if (oldTree && newTree) {
      oldLines = canonicalLines(oldTree);
      newLines = canonicalLines(newTree);
      contextFree = onlyAddsFunctions(functionsOf(oldTree), functionsOf(newTree));
    }
  }
  const diff = unifiedDiff(oldLines, newLines, { fromfile: `a/${path}`, tofile: `b/${path}`, lineterm: "" });
  if (diff.length === 0) return "";
  const body = contextFree ? diff.filter((l) => l.startsWith("-") || l.startsWith("+")) : diff;
  return [`diff --git a/${path} b/${path}`, ...body].join("\n") + "\n";
}

/**
 * Normalize `patch` against the original contents of the files it touches (path → content;
 * files it creates need not be there). Deleted files count as emptied, renames as a deletion
 * plus a creation.
 */
export function normalizePatch(originalFiles: Readonly<Record<string, string>>, patch: string): NormalizedPatch {
  if (patch.trim() === "") return { normalized: "" };
  let result;
  try {
    result = applyUnifiedDiff(originalFiles, patch);
  } catch (err) {
    if (err instanceof PatchApplyError) return { normalized: "", error: err.message };
    throw err;
  }
  const { before, after } = result;
  const paths = Object.keys(after).sort();
  const normalized = paths.map((path) => normalizeFileChange(path, before[path] ?? "", after[path] ?? "")).join("");
  return { normalized };
}
