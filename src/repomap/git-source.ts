// Where the files of a map come from: a commit (ls-tree + cat-file, no checkout needed) or a
// work tree as it is on disk (blob ids computed here the way git does).
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join, posix } from "node:path";
import pLimit from "p-limit";
import { git } from "../git/git.js";

export interface TreeFile {
  path: string;
  blob: string;
  size: number;
}

/** Regular files and symlinks of a commit; submodules are left out (they have no content here). */
export async function listCommitFiles(gitDir: string, commit: string): Promise<TreeFile[]> {
  const out = await git(gitDir, ["ls-tree", "-r", "-z", "-l", "--full-tree", commit]);
  const files: TreeFile[] = [];
  const links: TreeFile[] = [];
  for (const rec of out.split("\0")) {
    if (!rec) continue;
    const tab = rec.indexOf("\t");
    const [mode, type, blob, size] = rec.slice(0, tab).split(/ +/);
    if (type !== "blob") continue;
    const file = { path: rec.slice(tab + 1), blob: blob!, size: Number(size) };
    (mode === "120000" ? links : files).push(file);
  }
  return [...files, ...(await resolveLinks(gitDir, links, files))].sort((a, b) => (a.path < b.path ? -1 : 1));
}

// A symlink stands for its target when the target is a file of the same commit (what a
// checkout would read); other links keep their own blob (the link text).
async function resolveLinks(gitDir: string, links: TreeFile[], files: TreeFile[]): Promise<TreeFile[]> {
  if (links.length === 0) return [];
  const byPath = new Map(files.map((f) => [f.path, f]));
  const targets = new Map<string, string>();
  await readBlobs(
    gitDir,
    links.map((l) => l.blob),
    (blob, data) => {
      targets.set(blob, data.toString("utf8"));
    },
  );
  return links.map((link) => {
    const target = posix.normalize(posix.join(posix.dirname(link.path), targets.get(link.blob) ?? ""));
    const file = byPath.get(target);
    return file ? { ...link, blob: file.blob, size: file.size } : link;
  });
}

/**
 * Streams blob contents through one `git cat-file --batch`, in the order asked. Each blob gets
 * its own exactly-sized buffer (copied into once), so it can be transferred to a worker.
 */
export function readBlobs(
  gitDir: string,
  blobs: string[],
  onBlob: (blob: string, data: Buffer) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", ["cat-file", "--batch"], { cwd: gitDir, stdio: ["pipe", "pipe", "pipe"] });
    let stderr = "";
    let failed = false;
    const fail = (err: Error) => {
      if (!failed) {
        failed = true;
        child.kill();
        reject(err);
      }
    };
    let head: Buffer | undefined; // part of a header line
    let blob = "";
    let target: Buffer | undefined; // the blob being filled
    let filled = 0;
    let skipNewline = false; // each blob is followed by "\n"

    child.stdout.on("data", (chunk: Buffer) => {
      let at = 0;
      while (at < chunk.length && !failed) {
        if (skipNewline) {
          skipNewline = false;
          at++;
          continue;
        }
        if (target) {
          const n = Math.min(target.length - filled, chunk.length - at);
          chunk.copy(target, filled, at, at + n);
          filled += n;
          at += n;
          if (filled === target.length) {
            const data = target;
            target = undefined;
            skipNewline = true;
            try {
              onBlob(blob, data);
            } catch (err) {
              fail(err as Error);
            }
          }
          continue;
        }
        const nl = chunk.indexOf(10, at);
        if (nl < 0) {
          head = head ? Buffer.concat([head, chunk.subarray(at)]) : Buffer.from(chunk.subarray(at));
          return;
        }
        const piece = chunk.subarray(at, nl);
        const line = (head ? Buffer.concat([head, piece]) : piece).toString("utf8");
        head = undefined;
        at = nl + 1;
        const [id, type, size] = line.split(" ");
        if (type !== "blob") return fail(new Error(`git cat-file in ${gitDir}: ${line} (expected a blob)`));
        blob = id!;
        target = Buffer.allocUnsafeSlow(Number(size));
        filled = 0;
        if (target.length === 0) {
          onBlob(blob, target);
          target = undefined;
          skipNewline = true;
        }
      }
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", (err) => fail(err));
    child.on("close", (code) => {
      if (failed) return;
      if (code !== 0) reject(new Error(`git cat-file --batch in ${gitDir} failed: ${stderr.trim()}`));
      else if (target) reject(new Error(`git cat-file --batch in ${gitDir}: output cut short`));
      else resolve();
    });
    child.stdin.on("error", () => {
      /* reported through close */
    });
    child.stdin.end(blobs.map((b) => b + "\n").join(""));
  });
}

export interface WorkTreeFile extends TreeFile {
  data: Buffer;
}

/** Tracked and untracked-but-not-ignored files of a work tree, read from disk. */
export async function listWorkTreeFiles(dir: string): Promise<WorkTreeFile[]> {
  const out = await git(dir, ["ls-files", "-z", "--cached", "--others", "--exclude-standard"]);
  const paths = [...new Set(out.split("\0").filter(Boolean))].sort();
  const limit = pLimit(64);
  const files = await Promise.all(
    paths.map((path) =>
      limit(async (): Promise<WorkTreeFile | undefined> => {
        try {
          const data = await readFile(join(dir, path));
          return { path, blob: gitBlobId(data), size: data.length, data };
        } catch {
          return undefined; // deleted from disk, or a submodule directory
        }
      }),
    ),
  );
  return files.filter((f): f is WorkTreeFile => f !== undefined);
}

export const gitBlobId = (data: Buffer): string =>
  createHash("sha1").update(`blob ${data.length}\0`).update(data).digest("hex");
