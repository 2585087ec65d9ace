// Locks: a keyed in-process mutex, and a lock file for work that must not run in two
// processes at once (cloning or fetching a repo). A lock file holds its owner's pid and host;
// one whose owner is gone (same host, pid dead) is broken, so a crash never wedges the cache.
import { hostname } from "node:os";
import { open, readFile, rename, unlink } from "node:fs/promises";

export class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key) ?? Promise.resolve();
    const result = before.then(fn, fn);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await result;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}

export interface FileLockOptions {
  /** Give up after this long (default 1 hour: a first clone of a big repo takes minutes). */
  timeoutMs?: number;
  pollMs?: number;
}

interface Owner {
  pid: number;
  host: string;
  since: string;
}

export async function withFileLock<T>(path: string, fn: () => Promise<T>, opts: FileLockOptions = {}): Promise<T> {
  await acquire(path, opts.timeoutMs ?? 3_600_000, opts.pollMs ?? 100);
  try {
    return await fn();
  } finally {
    await unlink(path).catch(() => undefined);
  }
}

async function acquire(path: string, timeoutMs: number, pollMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const me: Owner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  for (;;) {
    try {
      const handle = await open(path, "wx");
      await handle.writeFile(JSON.stringify(me));
      await handle.close();
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const owner = await readOwner(path);
    if (owner && owner.host === me.host && !processAlive(owner.pid)) {
      // Stale: move it aside (only one process wins the rename), then try again.
      const aside = `${path}.stale-${process.pid}-${Date.now()}`;
      if (
        await rename(path, aside).then(
          () => true,
          () => false,
        )
      )
        await unlink(aside).catch(() => undefined);
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `lock ${path} still held after ${Math.round(timeoutMs / 1000)} s` +
          (owner ? ` (by pid ${owner.pid} on ${owner.host} since ${owner.since})` : ""),
      );
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

async function readOwner(path: string): Promise<Owner | undefined> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as Owner;
  } catch {
    return undefined; // vanished, or being written right now
  }
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
