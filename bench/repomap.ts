// Repo-map speed on a real large repo (sympy: ~1,545 .py files, 31 MB at the commits below).
//
// Get a sympy git directory first, any of:
//   - a bare clone:  git clone --bare https://github.com/sympy/sympy.git /somewhere/sympy.git
//   - an existing checkout of sympy (its .git is used)
//   - on the swerl dev machines: the search tool's `fetch github:sympy/sympy` (prints the path)
// Then:
//   npx vite-node bench/repomap.ts <sympy git dir> [--rounds 3] [--check-full] [base] [second]
// base defaults to sympy__sympy-23262's base commit (SWE-bench Verified), second to
// sympy__sympy-23413's (the next Verified sympy instance). If the repo lacks a commit, its
// HEAD (and HEAD~50) is used and the output says so.
//
// Prints: local clone and checkout time (RepoStore), cold map time (empty cache: every file
// parsed; its cache entries are written in the background, and the time until they are on
// disk is printed apart; also without any disk cache), warm time (same commit, all from the cache), time for the second commit (only the
// blobs that changed are parsed), files/second, and peak RSS (main thread + workers; the git
// child processes are not counted). --check-full also maps with full tree-sitter parses (no
// skeleton) and counts the files whose maps differ (should be 0).
import { spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { git } from "../src/git/git.js";
import { RepoStore } from "../src/repo/store.js";
import { mapCommit } from "../src/repomap/build.js";
import { cacheWritesSettled } from "../src/repomap/cache.js";
import { ParsePool } from "../src/repomap/pool.js";
import type { RepoMap } from "../src/repomap/types.js";

const BASE = "fdc707f73a65a429935c01532cd3970d3355eab6"; // sympy__sympy-23262
const SECOND = "10de1a18a0efac0b19b611e40c928250dda688bf"; // sympy__sympy-23413

const args = process.argv.slice(2);
const flag = (name: string): boolean => {
  const i = args.indexOf(name);
  if (i >= 0) args.splice(i, 1);
  return i >= 0;
};
const option = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] ?? fallback : fallback;
};
const rounds = Number(option("--rounds", "3"));
const checkFull = flag("--check-full");
const [repoPath, baseArg, secondArg] = args;
if (!repoPath) {
  process.stderr.write("usage: npx vite-node bench/repomap.ts <sympy git dir> [--rounds N] [--check-full] [base] [second]\n");
  process.exit(2);
}

const gitDir = (await git(repoPath, ["rev-parse", "--absolute-git-dir"])).trim();
const has = async (c: string) => git(gitDir, ["cat-file", "-e", `${c}^{commit}`]).then(() => true, () => false);
let base = baseArg ?? BASE;
let second = secondArg ?? SECOND;
if (!(await has(base)) || !(await has(second))) {
  base = (await git(gitDir, ["rev-parse", "HEAD"])).trim();
  second = (await git(gitDir, ["rev-parse", "HEAD~50"])).trim();
  console.log(`note: ${gitDir} lacks the SWE-bench commits; using HEAD ${base} and HEAD~50 ${second}`);
}

/** Write back what earlier rounds left dirty, so a timed round does not pay for them. */
const settleDisk = (): void => { spawnSync("sync"); };

const tmp = await mkdtemp(join(tmpdir(), "swerl-bench-repomap-"));
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const timed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  const t = performance.now();
  const v = await fn();
  return [v, performance.now() - t];
};

try {
  console.log(`machine: ${availableParallelism()} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  const store = new RepoStore({ root: join(tmp, "repos"), repoSources: { "sympy/sympy": gitDir } });
  const [bare, cloneMs] = await timed(() => store.gitDir("sympy/sympy", base));
  const [checkout, checkoutMs] = await timed(() => store.checkout("sympy/sympy", base));
  console.log(`clone (local, bare): ${secs(cloneMs)}; checkout of ${base.slice(0, 12)} (git archive | tar): ${secs(checkoutMs)}`);
  await checkout.release();

  const colds: number[] = [];
  const cpus: number[] = [];
  const stored: number[] = []; // after the map is returned, until its cache entries are on disk
  let cold: RepoMap | undefined;
  for (let r = 0; r < rounds; r++) {
    const cacheDir = join(tmp, `cache-${r}`);
    settleDisk();
    const cpu = process.cpuUsage();
    const [map, ms] = await timed(() => mapCommit(bare, base, { cacheDir }));
    const used = process.cpuUsage(cpu);
    cpus.push((used.user + used.system) / 1000);
    colds.push(ms);
    stored.push((await timed(cacheWritesSettled))[1]);
    cold = map;
    // Each round writes its own fresh cache; the old ones are deleted at the end, not in
    // between, so one round's deletions and writeback do not run during the next.
  }
  const cacheDir = join(tmp, `cache-${rounds - 1}`);
  const s = cold!.stats;
  console.log(`cold map (${s.py_files} .py of ${s.files} files, ${s.parsed} parsed, ${s.workers} workers): `
    + `median ${secs(median(colds))} of ${rounds} [${colds.map(secs).join(", ")}], `
    + `${Math.round(s.py_files / (median(colds) / 1000))} files/s`);
  console.log(`  CPU time of this process until the map is returned (main + worker threads; git's own not counted): median ${secs(median(cpus))}`);
  console.log(`  last cold run: list ${s.ms.list} ms, cache lookups ${s.ms.cache} ms, parse ${s.ms.parse} ms`);
  console.log(`  cache entries written in the background: on disk ${secs(median(stored))} (median) after the map was returned [${stored.map(secs).join(", ")}]`);
  const bare1: number[] = [];
  for (let r = 0; r < rounds; r++) bare1.push((await timed(() => mapCommit(bare, base, { cacheDir: false })))[1]);
  console.log(`cold map without a disk cache (no lookups, no writes): median ${secs(median(bare1))} [${bare1.map(secs).join(", ")}]`);

  const warms: number[] = [];
  for (let r = 0; r < rounds; r++) warms.push((await timed(() => mapCommit(bare, base, { cacheDir })))[1]);
  console.log(`warm map (same commit, all from cache): median ${secs(median(warms))} [${warms.map(secs).join(", ")}]`);

  await cacheWritesSettled();
  const [next, nextMs] = await timed(() => mapCommit(bare, second, { cacheDir }));
  console.log(`second commit ${second.slice(0, 12)}: ${secs(nextMs)}; ${next.stats.parsed} parsed, `
    + `${next.stats.cache_hits} from cache`);

  // As `swerl localize` maps many instances: one parse pool kept across maps, so its workers
  // are started and warm when the second commit comes (fresh cache: the base commit first).
  const pool = await ParsePool.create(availableParallelism(), "skeleton");
  try {
    const pooledCache = join(tmp, "cache-pooled");
    await mapCommit(bare, base, { cacheDir: pooledCache, pool });
    await cacheWritesSettled();
    const [pooled, pooledMs] = await timed(() => mapCommit(bare, second, { cacheDir: pooledCache, pool }));
    console.log(`second commit on a warm pool (as localize keeps one): ${secs(pooledMs)}; ${pooled.stats.parsed} parsed on ${pooled.stats.workers} workers`);
  } finally {
    await pool.close();
  }

  if (checkFull) {
    const [full, fullMs] = await timed(() => mapCommit(bare, base, { cacheDir: false, mode: "full" }));
    const skel = new Map(cold!.files.map((f) => [f.path, JSON.stringify(f.py)]));
    const differ = full.files.filter((f) => skel.get(f.path) !== JSON.stringify(f.py)).map((f) => f.path);
    console.log(`full tree-sitter parses (no skeleton): ${secs(fullMs)}; maps differing from the skeleton's: `
      + `${differ.length}${differ.length ? ` (${differ.slice(0, 5).join(", ")})` : ""}`);
  }
  console.log(`peak RSS: ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
  await store.close();
} finally {
  await rm(tmp, { recursive: true, force: true });
}
