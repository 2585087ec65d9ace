// Repo-map speed on a real large repo (sympy: ~1,545 .py files, 31 MB at the commits below).
//
// Get a sympy git directory first, any of:
//   - a bare clone:  git clone --bare https://github.com/sympy/sympy.git /somewhere/sympy.git
//   - an existing checkout of sympy (its .git is used)
//   - on the swerl dev machines: the search tool's `fetch github:sympy/sympy` (prints the path)
// Then:
//   npx vite-node bench/repomap.ts <sympy git dir> [--rounds 3] [--check-full] [--cli-only] [--agentless DIR] [base] [second]
// base defaults to sympy__sympy-23262's base commit (SWE-bench Verified), second to
// sympy__sympy-23413's (the next Verified sympy instance). If the repo lacks a commit, its
// HEAD (and HEAD~50) is used and the output says so.
//
// Prints: local clone and checkout time (RepoStore), cold map time (empty cache: every file
// parsed, then stored in the cache database; also without any disk cache), warm time (same
// commit, all from the cache), time for the second commit (only the blobs that changed are
// parsed), files/second, and peak RSS (main thread + workers; the git child processes are not
// counted). Then the CLI as a user runs it, a whole process each (`node dist/cli/main.cjs
// repo-map --repo <git dir> --commit <base>`, JSON on stdout to /dev/null; build dist/ first):
// cold (fresh cache directory) and warm. --agentless DIR (a checkout of OpenAutoCoder/Agentless)
// also times Agentless's create_structure on a checkout of the same commit, with python3, in
// the same run, and prints the ratio. --check-full also maps with full tree-sitter parses (no
// skeleton) and counts the files whose maps differ (should be 0).
import { spawn, spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { git } from "../src/git/git.js";
import { RepoStore } from "../src/repo/store.js";
import { mapCommit } from "../src/repomap/build.js";
import { closeMapCaches } from "../src/repomap/cache.js";
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
  return i >= 0 ? (args.splice(i, 2)[1] ?? fallback) : fallback;
};
const rounds = Number(option("--rounds", "3"));
const checkFull = flag("--check-full");
const cliOnly = flag("--cli-only"); // only the CLI processes (and Agentless)
const agentlessDir = option("--agentless", "");
const agentlessRounds = Number(option("--agentless-rounds", "1"));
const cli = fileURLToPath(new URL("../dist/cli/main.cjs", import.meta.url));

// Runs the fetched Agentless's own create_structure (its module imports pandas and tqdm, which
// create_structure does not use: stand-ins are put in their place when they are not installed).
const AGENTLESS_TIMER = `
import importlib, json, sys, time, types
sys.path.insert(0, sys.argv[1])
for name in ("pandas", "tqdm"):
    try:
        importlib.import_module(name)
    except ImportError:
        stand_in = types.ModuleType(name)
        stand_in.tqdm = lambda it=None, **kw: it
        sys.modules[name] = stand_in
from get_repo_structure.get_repo_structure import create_structure
t = time.perf_counter()
structure = create_structure(sys.argv[2])
seconds = time.perf_counter() - t
def count(node):
    return sum(1 if k.endswith(".py") and isinstance(v, dict) and "classes" in v else count(v) if isinstance(v, dict) else 0 for k, v in node.items())
print(json.dumps({"seconds": seconds, "py_files": count(structure)}))
`;
const [repoPath, baseArg, secondArg] = args;
if (!repoPath) {
  process.stderr.write(
    "usage: npx vite-node bench/repomap.ts <sympy git dir> [--rounds N] [--check-full] [--cli-only] [--agentless DIR] [base] [second]\n",
  );
  process.exit(2);
}

const gitDir = (await git(repoPath, ["rev-parse", "--absolute-git-dir"])).trim();
const has = async (c: string) =>
  git(gitDir, ["cat-file", "-e", `${c}^{commit}`]).then(
    () => true,
    () => false,
  );
let base = baseArg ?? BASE;
let second = secondArg ?? SECOND;
if (!(await has(base)) || !(await has(second))) {
  base = (await git(gitDir, ["rev-parse", "HEAD"])).trim();
  second = (await git(gitDir, ["rev-parse", "HEAD~50"])).trim();
  console.log(`note: ${gitDir} lacks the SWE-bench commits; using HEAD ${base} and HEAD~50 ${second}`);
}

/** Write back what earlier rounds left dirty, so a timed round does not pay for them. */
const settleDisk = (): void => {
  spawnSync("sync");
};

const tmp = await mkdtemp(join(tmpdir(), "swerl-bench-repomap-"));
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const timed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  const t = performance.now();
  const v = await fn();
  return [v, performance.now() - t];
};

try {
  console.log(
    `machine: ${availableParallelism()} cores, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  const store = new RepoStore({ root: join(tmp, "repos"), repoSources: { "sympy/sympy": gitDir } });
  const [bare, cloneMs] = await timed(() => store.gitDir("sympy/sympy", base));
  const [checkout, checkoutMs] = await timed(() => store.checkout("sympy/sympy", base));
  console.log(
    `clone (local, bare): ${secs(cloneMs)}; checkout of ${base.slice(0, 12)} (git archive | tar): ${secs(checkoutMs)}`,
  );

  const colds: number[] = [];
  if (!cliOnly) {
    const cpus: number[] = [];
    const stored: number[] = []; // the new maps written to the cache database (inside the map time)
    let cold: RepoMap | undefined;
    for (let r = 0; r < rounds; r++) {
      const cacheDir = join(tmp, `cache-${r}`);
      settleDisk();
      const cpu = process.cpuUsage();
      const [map, ms] = await timed(() => mapCommit(bare, base, { cacheDir }));
      const used = process.cpuUsage(cpu);
      cpus.push((used.user + used.system) / 1000);
      colds.push(ms);
      stored.push(map.stats.ms.store);
      cold = map;
      // Each round writes its own fresh cache; the old ones are deleted at the end, not in
      // between, so one round's deletions and writeback do not run during the next.
    }
    const cacheDir = join(tmp, `cache-${rounds - 1}`);
    const s = cold!.stats;
    console.log(
      `cold map (${s.py_files} .py of ${s.files} files, ${s.parsed} parsed, ${s.workers} workers): ` +
        `median ${secs(median(colds))} of ${rounds} [${colds.map(secs).join(", ")}], ` +
        `${Math.round(s.py_files / (median(colds) / 1000))} files/s`,
    );
    console.log(
      `  CPU time of this process until the map is returned (main + worker threads; git's own not counted): median ${secs(median(cpus))}`,
    );
    console.log(`  last cold run: list ${s.ms.list} ms, cache lookups ${s.ms.cache} ms, parse ${s.ms.parse} ms`);
    console.log(
      `  of which storing ${s.parsed} maps in the cache database: median ${secs(median(stored))} [${stored.map(secs).join(", ")}]`,
    );
    const bare1: number[] = [];
    for (let r = 0; r < rounds; r++) bare1.push((await timed(() => mapCommit(bare, base, { cacheDir: false })))[1]);
    console.log(
      `cold map without a disk cache (no lookups, no writes): median ${secs(median(bare1))} [${bare1.map(secs).join(", ")}]`,
    );

    const warms: number[] = [];
    for (let r = 0; r < rounds; r++) warms.push((await timed(() => mapCommit(bare, base, { cacheDir })))[1]);
    console.log(
      `warm map (same commit, all from cache): median ${secs(median(warms))} [${warms.map(secs).join(", ")}]`,
    );

    const [next, nextMs] = await timed(() => mapCommit(bare, second, { cacheDir }));
    console.log(
      `second commit ${second.slice(0, 12)}: ${secs(nextMs)}; ${next.stats.parsed} parsed, ` +
        `${next.stats.cache_hits} from cache`,
    );

    // As `swerl localize` maps many instances: one parse pool kept across maps, so its workers
    // are started and warm when the second commit comes (fresh cache: the base commit first).
    const pool = await ParsePool.create(availableParallelism(), "skeleton");
    try {
      const pooledCache = join(tmp, "cache-pooled");
      await mapCommit(bare, base, { cacheDir: pooledCache, pool });
      const [pooled, pooledMs] = await timed(() => mapCommit(bare, second, { cacheDir: pooledCache, pool }));
      console.log(
        `second commit on a warm pool (as localize keeps one): ${secs(pooledMs)}; ${pooled.stats.parsed} parsed on ${pooled.stats.workers} workers`,
      );
    } finally {
      await pool.close();
    }

    if (checkFull) {
      const [full, fullMs] = await timed(() => mapCommit(bare, base, { cacheDir: false, mode: "full" }));
      const skel = new Map(cold!.files.map((f) => [f.path, JSON.stringify(f.py)]));
      const differ = full.files.filter((f) => skel.get(f.path) !== JSON.stringify(f.py)).map((f) => f.path);
      console.log(
        `full tree-sitter parses (no skeleton): ${secs(fullMs)}; maps differing from the skeleton's: ` +
          `${differ.length}${differ.length ? ` (${differ.slice(0, 5).join(", ")})` : ""}`,
      );
    }
  }
  console.log(`peak RSS: ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
  closeMapCaches();

  // The CLI, one whole process per map, as a user runs it.
  const cliColds: number[] = [];
  let cliCache = "";
  const cliCold = async (tag: string): Promise<number> => {
    cliCache = join(tmp, `cli-cache-${tag}`);
    settleDisk();
    return runTimed("node", [cli, "-q", "repo-map", "--repo", bare, "--commit", base, "--cache-dir", cliCache]);
  };
  for (let r = 0; r < rounds; r++) cliColds.push(await cliCold(`${r}`));
  const cliWarms: number[] = [];
  for (let r = 0; r < rounds; r++)
    cliWarms.push(
      await runTimed("node", [cli, "-q", "repo-map", "--repo", bare, "--commit", base, "--cache-dir", cliCache]),
    );
  const nodeStart: number[] = [];
  for (let r = 0; r < rounds; r++) nodeStart.push(await runTimed("node", ["-e", "0"]));
  console.log(
    `swerl repo-map (whole process, JSON to /dev/null), cold: median ${secs(median(cliColds))} [${cliColds.map(secs).join(", ")}]`,
  );
  console.log(`swerl repo-map, warm (same cache): median ${secs(median(cliWarms))} [${cliWarms.map(secs).join(", ")}]`);
  console.log(`  for scale, \`node -e 0\`: median ${secs(median(nodeStart))}`);

  if (agentlessDir) {
    const runs: Array<{ seconds: number; wall: number; py_files: number }> = [];
    for (let r = 0; r < agentlessRounds; r++) runs.push(await agentlessCreateStructure(agentlessDir, checkout.dir));
    // The machine may be busier or quieter during Agentless's long run: CLI rounds after it too.
    const after: number[] = [];
    for (let r = 0; r < rounds; r++) after.push(await cliCold(`after-${r}`));
    console.log(
      `swerl repo-map cold again, after Agentless: median ${secs(median(after))} [${after.map(secs).join(", ")}]`,
    );
    cliColds.push(...after);
    const inProcess = median(runs.map((x) => x.seconds * 1000));
    const wall = median(runs.map((x) => x.wall));
    console.log(
      `Agentless create_structure on the checkout (${runs[0]!.py_files} .py files): median ${secs(inProcess)} in python ` +
        `[${runs.map((x) => secs(x.seconds * 1000)).join(", ")}], ${secs(wall)} with python's start`,
    );
    console.log(
      `  ratio Agentless / swerl repo-map cold (whole processes; median of the ${cliColds.length} CLI rounds before and after): ${(wall / median(cliColds)).toFixed(1)}×` +
        (colds.length
          ? `; in-process builders (create_structure vs mapCommit cold): ${(inProcess / median(colds)).toFixed(1)}×`
          : ""),
    );
  }
  await checkout.release();
  await store.close();
} finally {
  await rm(tmp, { recursive: true, force: true });
}

/** Wall time of a child process, its stdout discarded; a failure is an error. */
function runTimed(cmd: string, argv: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const child = spawn(cmd, argv, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.once("error", reject);
    child.once("close", (code) =>
      code === 0
        ? resolve(performance.now() - t)
        : reject(new Error(`${cmd} ${argv.join(" ")}: exit ${code}\n${stderr}`)),
    );
  });
}

function agentlessCreateStructure(
  agentless: string,
  dir: string,
): Promise<{ seconds: number; wall: number; py_files: number }> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const child = spawn("python3", ["-c", AGENTLESS_TIMER, agentless, dir], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "",
      err = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    child.once("error", reject);
    child.once("close", (code) => {
      const wall = performance.now() - t;
      const last = out.trim().split("\n").at(-1) ?? "";
      if (code !== 0 || !last.startsWith("{")) {
        reject(new Error(`Agentless create_structure failed (exit ${code}):\n${err.slice(-2000)}`));
        return;
      }
      resolve({ ...(JSON.parse(last) as { seconds: number; py_files: number }), wall });
    });
  });
}
