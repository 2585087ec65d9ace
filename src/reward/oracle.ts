// The oracle side of the reward for a checked-out repository: read the files a gold patch
// touches from the repo directory, then apply the patch in memory.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { oracleFromPatch, PatchApplyError } from "./apply-diff.js";
import { parsePatchSet } from "./patch-set.js";
import { stripDiffPrefix } from "../util/diff-path.js";

/** Paths (repo-relative) of the files a patch reads: its modified, renamed and deleted files. */
export function patchSourcePaths(patch: string): string[] {
  const paths = new Set<string>();
  for (const file of parsePatchSet(patch)) {
    if (file.sourceFile && file.sourceFile !== "/dev/null") paths.add(stripDiffPrefix(file.sourceFile));
    // a file the patch creates must not exist yet: read it too so the applier can say so
    if (file.targetFile && file.targetFile !== "/dev/null") paths.add(stripDiffPrefix(file.targetFile));
  }
  return [...paths];
}

/** code_context and oracle_new_content for `goldPatch` on the repository checked out at `repoDir`. */
export async function oracleFromRepo(
  repoDir: string,
  goldPatch: string,
): Promise<{ codeContext: Record<string, string>; oracleNewContent: Record<string, string> }> {
  const files: Record<string, string> = Object.create(null);
  for (const path of patchSourcePaths(goldPatch)) {
    const full = join(repoDir, path);
    if (!full.startsWith(join(repoDir, "/")) && full !== repoDir)
      throw new PatchApplyError(`${path}: path leaves the repository`);
    if (existsSync(full)) files[path] = await readFile(full, "utf8");
  }
  return oracleFromPatch(files, goldPatch);
}
