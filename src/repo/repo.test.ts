import { spawn } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import pLimit from "p-limit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { addCommit, makeFixtureRepo } from "../../test/support/fixture-repo.js";
import { withFileLock } from "./lock.js";
import { readFilesAtCommit } from "./files.js";
import { resolveRepoSources } from "./local-sources.js";
import { parseRepoSources, repoSource } from "./sources.js";
import { RepoStore } from "./store.js";

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), "swerl-repo-"));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const REPO = "acme/widget";

// 20 commits; commit i has version.txt = "i" and a file that only it has.
async function twentyCommits(): Promise<{ source: string; shas: string[] }> {
  const source = join(tmp, "source");
  const shas = await makeFixtureRepo(
    source,
    Array.from({ length: 20 }, (_, i) => ({
      "version.txt": `${i}\n`,
      [`only/${i}.txt`]: `commit ${i}\n`,
      ...(i > 0 ? { [`only/${i - 1}.txt`]: null } : {}),
      "pkg/mod.py": `VERSION = ${i}\n`,
    })),
  );
  return { source, shas };
}

describe("RepoStore", () => {
  it("materializes 20 commits of one repo, 4 at a time, from a single clone", async () => {
    const { source, shas } = await twentyCommits();
    const store = new RepoStore({ root: join(tmp, "cache"), repoSources: { [REPO]: source } });
    const limit = pLimit(4);
    await Promise.all(
      shas.map((sha, i) =>
        limit(async () => {
          const co = await store.checkout(REPO, sha);
          expect(await readFile(join(co.dir, "version.txt"), "utf8")).toBe(`${i}\n`);
          expect(await readdir(join(co.dir, "only"))).toEqual([`${i}.txt`]);
          await co.release();
          expect(existsSync(co.dir)).toBe(false);
        }),
      ),
    );
    expect(store.stats).toEqual({ clones: 1, fetches: 0, extractions: 20, removals: 20 });
    await store.close();
  });

  it("gives read-only files and shares one checkout between users of a commit", async () => {
    const { source, shas } = await twentyCommits();
    const store = new RepoStore({ root: join(tmp, "cache"), repoSources: { [REPO]: source } });
    const users = await Promise.all(Array.from({ length: 6 }, () => store.checkout(REPO, shas[3]!)));
    expect(new Set(users.map((u) => u.dir)).size).toBe(1);
    expect(store.stats.extractions).toBe(1);
    const dir = users[0]!.dir;
    expect(statSync(join(dir, "version.txt")).mode & 0o222).toBe(0);
    expect(statSync(join(dir, "pkg")).mode & 0o222).toBe(0);

    for (const u of users.slice(0, 5)) await u.release();
    await users[0]!.release(); // a second release of the same handle does not count
    expect(existsSync(dir)).toBe(true);
    await users[5]!.release();
    expect(existsSync(dir)).toBe(false);
    expect(store.stats.removals).toBe(1);

    const again = await store.checkout(REPO, shas[3]!); // after removal: extracted anew
    expect(await readFile(join(again.dir, "version.txt"), "utf8")).toBe("3\n");
    expect(store.stats.extractions).toBe(2);
    await store.close();
    expect(existsSync(again.dir)).toBe(false);
  });

  it("fetches a commit the clone does not have yet, and names a commit nobody has", async () => {
    const { source, shas } = await twentyCommits();
    const store = new RepoStore({ root: join(tmp, "cache"), repoSources: { [REPO]: source } });
    await (await store.checkout(REPO, shas[0]!)).release();
    const newer = await addCommit(source, { "version.txt": "new\n" }, "later work", 99);
    const co = await store.checkout(REPO, newer);
    expect(await readFile(join(co.dir, "version.txt"), "utf8")).toBe("new\n");
    expect(store.stats).toMatchObject({ clones: 1, fetches: 1 });

    const missing = "0123456789abcdef0123456789abcdef01234567";
    await expect(store.checkout(REPO, missing)).rejects.toThrow(`commit ${missing} not found`);
    await store.close();
  });

  it("checks out the commit's bytes: no export-subst, no export-ignore", async () => {
    const source = join(tmp, "source");
    const [sha] = await makeFixtureRepo(source, [
      {
        ".gitattributes": "version.py export-subst\nsecret.txt export-ignore\n",
        "version.py": 'REFS = "$Format:%H$"\n',
        "secret.txt": "kept\n",
      },
    ]);
    const store = new RepoStore({ root: join(tmp, "cache"), repoSources: { [REPO]: source } });
    const co = await store.checkout(REPO, sha!);
    expect(await readFile(join(co.dir, "version.py"), "utf8")).toBe('REFS = "$Format:%H$"\n');
    expect(await readFile(join(co.dir, "secret.txt"), "utf8")).toBe("kept\n");
    await store.close();
  });

  it("two stores on one root (as two processes would be) clone the repo once", async () => {
    const { source, shas } = await twentyCommits();
    const root = join(tmp, "cache");
    const a = new RepoStore({ root, repoSources: { [REPO]: source } });
    const b = new RepoStore({ root, repoSources: { [REPO]: source } });
    const [ca, cb] = await Promise.all([a.checkout(REPO, shas[1]!), b.checkout(REPO, shas[2]!)]);
    expect(a.stats.clones + b.stats.clones).toBe(1);
    expect(ca.dir).not.toBe(cb.dir);
    await Promise.all([a.close(), b.close()]);
  });

  it("waits for a clone lock held by a live process and breaks one left by a dead process", async () => {
    const { source, shas } = await twentyCommits();
    const store = new RepoStore({ root: join(tmp, "cache"), repoSources: { [REPO]: source } });
    const lock = `${store.bareDir(REPO)}.lock`;
    await mkdir(join(tmp, "cache", "bare"), { recursive: true });

    const holder = spawn("sleep", ["30"]);
    await writeFile(lock, JSON.stringify({ pid: holder.pid, host: hostname(), since: "now" }));
    let done = false;
    const pending = store.gitDir(REPO, shas[0]!).then((d) => {
      done = true;
      return d;
    });
    await new Promise((r) => setTimeout(r, 700));
    expect(done).toBe(false); // the lock's owner is alive: wait
    expect(store.stats.clones).toBe(0);

    holder.kill("SIGKILL"); // the owner dies without unlocking: the lock is stale
    await new Promise((r) => holder.once("exit", r));
    await pending;
    expect(store.stats.clones).toBe(1);
    expect(existsSync(lock)).toBe(false);
    await store.close();
  });

  it("withFileLock serializes work across holders of the same file", async () => {
    const lock = join(tmp, "x.lock");
    const order: string[] = [];
    const job = (name: string) =>
      withFileLock(
        lock,
        async () => {
          order.push(`${name}+`);
          await new Promise((r) => setTimeout(r, 50));
          order.push(`${name}-`);
        },
        { pollMs: 10 },
      );
    await Promise.all([job("a"), job("b"), job("c")]);
    expect(order.join(" ")).toMatch(/^(\w)\+ \1- (\w)\+ \2- (\w)\+ \3-$/);
  });
});

describe("repo sources", () => {
  it("defaults to GitHub, accepts URLs and existing paths, rejects the rest", async () => {
    expect(repoSource("sympy/sympy")).toBe("https://github.com/sympy/sympy.git");
    expect(repoSource("a/b", { "a/b": "git@example.com:a/b.git" })).toBe("git@example.com:a/b.git");
    expect(repoSource("a/b", { "a/b": tmp })).toBe(tmp);
    expect(() => repoSource("a/b", { "a/b": join(tmp, "nope") })).toThrow(
      /source of a\/b: local path .*nope does not exist/,
    );
    expect(() => repoSource("not-a-repo")).toThrow(/not of the form owner\/name/);
    expect(parseRepoSources(["sympy/sympy=/mirrors/sympy.git"])).toEqual({ "sympy/sympy": "/mirrors/sympy.git" });
    expect(() => parseRepoSources(["sympy/sympy"])).toThrow(/expected owner\/name=URL/);
  });
});

describe("local repositories for the stage commands", () => {
  it("fall back to the bare clone `localize --clone` left in the repo cache", async () => {
    const { source, shas } = await twentyCommits();
    const store = new RepoStore({ root: join(tmp, "cache"), repoSources: { [REPO]: source } });
    expect(() => resolveRepoSources([REPO], { repoCache: join(tmp, "cache") })).toThrow(
      /no local git repository for acme\/widget: .*localize --clone/,
    );
    const gitDir = await store.gitDir(REPO, shas[3]);
    const found = resolveRepoSources([REPO], { repoCache: join(tmp, "cache") });
    expect(found).toEqual({ [REPO]: gitDir });
    expect(await readFilesAtCommit(found[REPO]!, shas[3]!, ["version.txt"])).toEqual({ "version.txt": "3\n" });
    // An explicit clone or a --repos-dir one still wins; `false` leaves the cache out.
    expect(resolveRepoSources([REPO], { repoCache: join(tmp, "cache"), explicit: { [REPO]: source } })).toEqual({
      [REPO]: source,
    });
    expect(() => resolveRepoSources([REPO], { repoCache: false })).toThrow(/no local git repository/);
  });
});
