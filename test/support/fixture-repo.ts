// Test support: a real git repository built from a list of snapshots, with fixed authors and
// dates so that the same snapshots always give the same commit ids.
import { mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fixedIdentity, git } from "../../src/git/git.js";

/** Each snapshot maps paths to content (null deletes the file); returns one sha per snapshot. */
export async function makeFixtureRepo(dir: string, snapshots: Array<Record<string, string | null>>): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  await git(dir, ["init", "-q", "-b", "main"]);
  const shas: string[] = [];
  for (const [i, files] of snapshots.entries()) {
    await addCommit(dir, files, `snapshot ${i}`, i);
    shas.push((await git(dir, ["rev-parse", "HEAD"])).trim());
  }
  return shas;
}

export async function addCommit(
  dir: string,
  files: Record<string, string | null>,
  message: string,
  n = 0,
): Promise<string> {
  for (const [path, content] of Object.entries(files)) {
    const file = join(dir, path);
    if (content === null) {
      await rm(file, { force: true });
    } else {
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, content);
    }
  }
  await git(dir, ["add", "-A"]);
  const date = new Date(Date.UTC(2024, 0, 1) + n * 60_000).toISOString();
  await git(dir, ["commit", "-q", "--allow-empty", "-m", message], { env: fixedIdentity(date) });
  return (await git(dir, ["rev-parse", "HEAD"])).trim();
}
