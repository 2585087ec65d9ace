// The cache of bare clones: one `git clone --bare` per repo, `git fetch` when a commit is
// missing. Clones land in a temp dir and are renamed into place, so a crash mid-clone leaves
// no half repository behind.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { git } from "../git/git.js";

// git archive must give the commit's bytes: no export-subst/export-ignore, no eol or filters.
const RAW_ATTRIBUTES = "* -export-subst -export-ignore -text -ident -filter\n";

export async function cloneBare(source: string, dest: string): Promise<void> {
  await mkdir(dirname(dest), { recursive: true });
  const tmp = `${dest}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
  try {
    await git(dirname(dest), ["clone", "--bare", "--quiet", "--", source, tmp]);
    // A bare clone fetches nothing by default; keep branches and tags current.
    await git(tmp, ["config", "remote.origin.fetch", "+refs/heads/*:refs/heads/*"]);
    await git(tmp, ["config", "--add", "remote.origin.fetch", "+refs/tags/*:refs/tags/*"]);
    await writeFile(join(tmp, "info", "attributes"), RAW_ATTRIBUTES);
    await rename(tmp, dest);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}

export async function hasCommit(gitDir: string, commit: string): Promise<boolean> {
  if (!existsSync(gitDir)) return false;
  try {
    await git(gitDir, ["cat-file", "-e", `${commit}^{commit}`]);
    return true;
  } catch {
    return false;
  }
}

/** Fetch branches and tags; then, if the commit is still missing and is a full sha, ask for it by id. */
export async function fetchCommit(gitDir: string, commit: string, what: string): Promise<void> {
  await git(gitDir, ["fetch", "--quiet", "origin"]);
  if (await hasCommit(gitDir, commit)) return;
  if (/^[0-9a-f]{40}$/.test(commit)) {
    await git(gitDir, ["fetch", "--quiet", "origin", commit]).catch(() => undefined);
    if (await hasCommit(gitDir, commit)) return;
  }
  throw new Error(`${what}: commit ${commit} not found in the source, even after fetching`);
}
