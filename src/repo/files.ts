// Files of a repository at a commit, read with the real git CLI from a local clone or a bare
// one (no checkout): the listing from `git ls-tree`, contents from one `git cat-file --batch`.
import { spawn } from "node:child_process";
import { git } from "../git/git.js";

/** path → git mode ("100644", "100755", "120000" for a symlink, "160000" for a submodule). */
export type RepoListing = Map<string, string>;

export async function listFilesAtCommit(repoDir: string, commit: string): Promise<RepoListing> {
  const out = await git(repoDir, ["ls-tree", "-r", "-z", "--full-tree", commit]);
  const listing: RepoListing = new Map();
  for (const entry of out.split("\0")) {
    if (entry === "") continue;
    const tab = entry.indexOf("\t");
    const mode = entry.slice(0, entry.indexOf(" "));
    listing.set(entry.slice(tab + 1), mode);
  }
  return listing;
}

/**
 * Contents (UTF-8) of `paths` at `commit`; paths that do not exist there, or are not regular
 * files, are left out of the result.
 */
export async function readFilesAtCommit(
  repoDir: string,
  commit: string,
  paths: readonly string[],
): Promise<Record<string, string>> {
  const wanted = [...new Set(paths)].filter((p) => p !== "" && !/[\n\r\0]/.test(p));
  const result: Record<string, string> = {};
  if (wanted.length === 0) return result;
  const stdout = await new Promise<Buffer>((resolve, reject) => {
    const child = spawn("git", ["cat-file", "--batch"], { cwd: repoDir, stdio: ["pipe", "pipe", "pipe"] });
    const chunks: Buffer[] = [];
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => chunks.push(c));
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(Buffer.concat(chunks));
      else reject(new Error(`git cat-file --batch (in ${repoDir}) failed: ${stderr.trim() || `exit ${code}`}`));
    });
    child.stdin.end(wanted.map((p) => `${commit}:${p}\n`).join(""));
  });
  let at = 0;
  for (const path of wanted) {
    const eol = stdout.indexOf(10, at);
    if (eol < 0) throw new Error(`git cat-file --batch (in ${repoDir}): output ended early at ${path}`);
    const header = stdout.subarray(at, eol).toString("utf8");
    at = eol + 1;
    const m = /^([0-9a-f]+) (\w+) (\d+)$/.exec(header);
    if (!m) continue; // "<object> missing" or "ambiguous"
    const size = Number(m[3]);
    if (m[2] === "blob") result[path] = stdout.subarray(at, at + size).toString("utf8");
    at += size + 1; // content, then "\n"
  }
  return result;
}
