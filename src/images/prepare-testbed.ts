// The repository as SWE-bench's setup leaves it in /testbed: base_commit checked out and
// reachable (a shallow fetch of just that commit), no newer commits, no tags, no remote,
// then an empty commit on top so the eval script's `git status/show/diff` stay short.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { existsSync } from "node:fs";
import { fixedIdentity, git } from "../git/git.js";

export const defaultRepoSource = (repo: string): string => `https://github.com/${repo}.git`;

/** Where to fetch a repo from: an explicit URL/path per repo, else GitHub. */
export function repoSourceFor(repo: string, sources: Record<string, string>): string {
  const src = sources[repo] ?? defaultRepoSource(repo);
  // git treats a plain path as a "local" clone source; file:// makes --depth work for it too
  // (an absolute one: git reads file://../x as /x).
  return existsSync(src) ? `file://${resolve(src)}` : src;
}

/** Make a temp dir holding `testbed/` prepared at base_commit; caller removes `dir`. */
export async function prepareTestbed(
  repo: string,
  baseCommit: string,
  sources: Record<string, string>,
): Promise<{ dir: string; testbed: string }> {
  const dir = await mkdtemp(join(tmpdir(), "swerl-testbed-"));
  const testbed = join(dir, "testbed");
  try {
    await git(dir, ["init", "-q", "-b", "main", testbed]);
    await git(testbed, ["fetch", "-q", "--depth", "1", "--no-tags", repoSourceFor(repo, sources), baseCommit]);
    await git(testbed, ["checkout", "-q", "-B", "main", baseCommit]);
    await git(testbed, ["commit", "-q", "--allow-empty", "-m", "swerl: instance image"], {
      env: fixedIdentity("2000-01-01T00:00:00Z"),
    });
    await git(testbed, ["gc", "-q", "--prune=now"]);
    return { dir, testbed };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
