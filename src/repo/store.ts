// Repositories at a commit, for every instance that needs one.
//
//   <root>/bare/<owner>__<name>.git                       one bare clone per repo (shared by processes)
//   <root>/checkouts/p<pid>-<rand>/<owner>__<name>/<sha>   read-only snapshots of this process
//
// Checkouts are shared by the instances on the same commit (reference counted) and removed
// when the last one releases it. Clone and fetch run under an in-process mutex plus a lock file
// (two processes never clone or fetch the same repo at once). Each process keeps its own
// checkouts, so one process can never delete a tree another still reads; those left by a
// process that died are swept by the next store that starts.
import { randomBytes } from "node:crypto";
import { statSync } from "node:fs";
import { mkdir, readdir } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { cloneBare, fetchCommit, hasCommit } from "./bare.js";
import { extractCommit, removeTree } from "./checkout.js";
import { KeyedMutex, processAlive, withFileLock } from "./lock.js";
import { checkRepoName, repoFolder, repoSource, type RepoSources } from "./sources.js";

export interface RepoStoreOptions {
  /** Default $SWERL_HOME/repos or ~/.cache/swerl/repos. */
  root?: string;
  /** Per-repo clone source (URL or local path); GitHub otherwise. */
  repoSources?: RepoSources;
}

export interface Checkout {
  repo: string;
  commit: string;
  /** The commit's files, read-only. */
  dir: string;
  /** Drop this reference; the last one removes the directory. Calling twice is harmless. */
  release(): Promise<void>;
}

export interface RepoStoreStats {
  clones: number;
  fetches: number;
  extractions: number;
  removals: number;
}

interface Entry {
  refs: number;
  ready: Promise<string>;
}

export const defaultRepoRoot = (): string =>
  join(process.env.SWERL_HOME ?? join(homedir(), ".cache", "swerl"), "repos");

export class RepoStore {
  readonly root: string;
  readonly stats: RepoStoreStats = { clones: 0, fetches: 0, extractions: 0, removals: 0 };
  private readonly sources: RepoSources;
  private readonly checkoutRoot: string;
  private readonly repoLocks = new KeyedMutex();
  private readonly entries = new Map<string, Entry>();
  private readonly removing = new Map<string, Promise<void>>();
  private swept: Promise<void> | undefined;

  constructor(opts: RepoStoreOptions = {}) {
    this.root = opts.root ?? defaultRepoRoot();
    this.sources = { ...opts.repoSources };
    this.checkoutRoot = join(this.root, "checkouts", `p${process.pid}-${randomBytes(4).toString("hex")}`);
  }

  bareDir(repo: string): string {
    checkRepoName(repo);
    return join(this.root, "bare", `${repoFolder(repo)}.git`);
  }

  /** The bare clone of `repo`, holding `commit` (cloned or fetched as needed): for git reads without a checkout. */
  async gitDir(repo: string, commit?: string): Promise<string> {
    const dir = this.bareDir(repo);
    if (commit !== undefined ? await hasCommit(dir, commit) : existsDir(dir)) return dir;
    const source = repoSource(repo, this.sources);
    await mkdir(dirname(dir), { recursive: true });
    await this.repoLocks.run(repo, () =>
      withFileLock(`${dir}.lock`, async () => {
        if (!existsDir(dir)) {
          await cloneBare(source, dir);
          this.stats.clones++;
        }
        if (commit !== undefined && !(await hasCommit(dir, commit))) {
          await fetchCommit(dir, commit, `${repo} (from ${source})`);
          this.stats.fetches++;
        }
      }),
    );
    return dir;
  }

  /** A read-only checkout of `repo` at `commit`; call release() when done with it. */
  async checkout(repo: string, commit: string): Promise<Checkout> {
    const dir = join(this.checkoutRoot, repoFolder(repo), commit);
    const key = `${repo}@${commit}`;
    let entry = this.entries.get(key);
    if (entry) {
      entry.refs++;
    } else {
      entry = { refs: 1, ready: this.materialize(repo, commit, key, dir) };
      this.entries.set(key, entry);
    }
    try {
      await entry.ready;
    } catch (err) {
      if (this.entries.get(key) === entry) this.entries.delete(key);
      throw err;
    }
    let released = false;
    return {
      repo,
      commit,
      dir,
      release: async () => {
        if (released) return;
        released = true;
        await this.release(key, entry, dir);
      },
    };
  }

  /** Remove every checkout this store made (whatever their references). */
  async close(): Promise<void> {
    await Promise.allSettled([...this.entries.values()].map((e) => e.ready));
    this.entries.clear();
    await Promise.allSettled(this.removing.values());
    await removeTree(this.checkoutRoot);
  }

  private async materialize(repo: string, commit: string, key: string, dir: string): Promise<string> {
    this.swept ??= this.sweepDeadProcesses();
    await this.swept;
    await this.removing.get(key); // a previous generation of this checkout still being removed
    const gitDir = await this.gitDir(repo, commit);
    await extractCommit(gitDir, commit, dir);
    this.stats.extractions++;
    return dir;
  }

  private async release(key: string, entry: Entry, dir: string): Promise<void> {
    entry.refs--;
    if (entry.refs > 0 || this.entries.get(key) !== entry) return;
    this.entries.delete(key);
    const removal = removeTree(dir).then(() => {
      this.stats.removals++;
    });
    this.removing.set(key, removal);
    try {
      await removal;
    } finally {
      if (this.removing.get(key) === removal) this.removing.delete(key);
    }
  }

  private async sweepDeadProcesses(): Promise<void> {
    const parent = join(this.root, "checkouts");
    await mkdir(parent, { recursive: true });
    for (const name of await readdir(parent)) {
      const pid = /^p(\d+)-/.exec(name)?.[1];
      if (pid !== undefined && Number(pid) !== process.pid && !processAlive(Number(pid))) {
        await removeTree(join(parent, name)).catch(() => undefined);
      }
    }
  }
}

function existsDir(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
