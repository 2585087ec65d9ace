// Paper scale on one machine (issue 17).
//
//   npx vite-node bench/scale.ts grouping [--sympy <git dir>] [--samples 500] [--before 40]
//                                         [--normalize canonical|agentless] [--pool N] [--sympy-instances 45]
//     50 instances: the 5 demo instances and 45 SWE-bench Verified sympy instances on their real
//     files at the base commit (read from a sympy git directory: on the dev machines the search
//     tool's `fetch github:sympy/sympy`). Each gets `--samples` noisy samples of its gold patch
//     (test/support/noisy-patches.ts: gold, commented, reformatted, mutated, renamed, comment-only,
//     not applying), grouped the way `swerl validate` groups them (src/validate/group.ts).
//     Prints samples/s per core (samples over the process's CPU seconds), distinct raw patches
//     and unique patches per instance, and peak RSS. --before K also times the normalizer as it
//     was before (normalizePatch on every sample, no caches) on the first K samples of each.
//   npx vite-node bench/scale.ts pipeline [--instances 500] [--samples 500] [--answer-kb 16]
//     See scale-pipeline.ts.
import { existsSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import {
  demoGroupingCases,
  type GroupingCase,
  realFilesGroupingCases,
  sympyRows,
} from "../test/support/grouping-cases.js";
import { normalizePatch } from "../src/normalize/normalize-patch.js";
import { groupByNormalized, normalizeDistinctPatches } from "../src/validate/group.js";
import { createPatchNormalizer, type NormalizerKind } from "../src/normalize/patch-normalizer.js";
import { NormalizePool } from "../src/normalize/normalize-pool.js";
import { runPipelineBench } from "./scale-pipeline.js";

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
};
const cpuSeconds = (since: NodeJS.CpuUsage): number => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
};
/** CPU seconds of this process's children that have exited and been waited for (/proc/self/stat cutime + cstime). */
const childCpuSeconds = (): number => {
  const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[13]) + Number(fields[14])) / 100; // clock ticks (USER_HZ = 100 on Linux)
};
const peakRss = (): string => `${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`;

async function groupingBench(): Promise<void> {
  const samples = Number(option("--samples", "500"));
  const before = Number(option("--before", "0"));
  const gitDir = option("--sympy", "/work/.mirror/sympy+sympy/repo");
  // canonical (swerl's tree-sitter form) or agentless (Agentless's normalize_patch in python3:
  // its CPU is the python process's, counted once it has exited)
  const kind = option("--normalize", "canonical") as NormalizerKind;
  // --pool N: the canonical form on N worker threads, as validate runs it (their CPU is this process's)
  const poolSize = Number(option("--pool", "0"));
  const pool = poolSize > 0 ? new NormalizePool(poolSize) : undefined;
  // the agentless worker appends how it re-rendered the changed regions of patched files here at exit
  const statsFile = join(tmpdir(), `swerl-agentless-stats-${process.pid}.jsonl`);
  process.env.SWERL_AGENTLESS_STATS = statsFile;
  const normalizer = pool && kind === "canonical" ? pool.normalizer() : createPatchNormalizer(kind);
  const childCpu0 = childCpuSeconds();
  console.log(
    `bench/scale grouping: ${samples} samples per instance, load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(" ")}`,
  );
  const sympyCount = Number(option("--sympy-instances", "45"));
  // samples made one instance at a time (making them parses whole files: trees must be freed)
  const demo = await demoGroupingCases(samples);
  const real = await sympyRows(gitDir, sympyCount);
  const cases: GroupingCase[] = [];
  let total = 0,
    cpu = 0,
    wall = 0,
    minDistinct = Infinity,
    uniqueSum = 0,
    lines = 0;
  for (let k = 0; k < demo.length + real.length; k++) {
    const c = k < demo.length ? demo[k]! : realFilesGroupingCases([real[k - demo.length]!], samples, "sympy")[0]!;
    await new Promise((resolve) => setImmediate(resolve));
    if (before > 0) cases.push({ ...c, patches: c.patches.slice(0, before) });
    const list = c.patches.map((patch, sample) => ({ instance_id: c.id, sample, patch }));
    const wall0 = performance.now();
    const cpu0 = process.cpuUsage();
    const distinct = [...new Set(list.filter((s) => s.patch.trim() !== "").map((s) => s.patch))];
    const unique = groupByNormalized(
      list,
      distinct,
      await normalizeDistinctPatches(c.files, distinct, normalizer, c.id),
    );
    cpu += cpuSeconds(cpu0);
    wall += performance.now() - wall0;
    total += list.length;
    minDistinct = Math.min(minDistinct, distinct.length);
    uniqueSum += unique.length;
    lines += Object.values(c.files).reduce((n, t) => n + t.split("\n").length, 0);
  }
  await Promise.all([normalizer.close(), pool?.close()]);
  if (pool)
    console.log(
      `normalize pool: ${poolSize} workers, ${pool.stats.onWorkers} patches on them, ${pool.stats.inline} inline`,
    );
  if (kind === "agentless") {
    const python = childCpuSeconds() - childCpu0;
    console.log(`normalizer: agentless (python3): ${python.toFixed(1)} CPU s in python, ${cpu.toFixed(1)} in node`);
    cpu += python;
    if (existsSync(statsFile)) {
      const levels: Record<string, number> = {};
      for (const line of readFileSync(statsFile, "utf8").split("\n").filter(Boolean))
        for (const [k, n] of Object.entries(JSON.parse(line) as Record<string, number>))
          levels[k] = (levels[k] ?? 0) + n;
      rmSync(statsFile);
      console.log(
        `changed regions of patched files re-rendered: per member of a class or function ${levels.member ?? 0}, head and first members ${levels.head ?? 0}, whole class or function ${levels.class ?? 0}, other top-level statements ${levels.statement ?? 0}, new top-level statements between others ${levels.between ?? 0}; whole file parsed again ${levels.file ?? 0}`,
      );
      const why = Object.entries(levels).filter(([k]) => k.includes(":"));
      if (why.length) console.log(`why: ${why.map(([k, n]) => `${k} ${n}`).join(", ")}`);
    }
  }
  console.log(
    `instances ${demo.length + real.length}, samples ${total}, distinct raw patches per instance ≥ ${minDistinct}, unique patches per instance ${(uniqueSum / (demo.length + real.length)).toFixed(1)}, original lines per instance ${(lines / (demo.length + real.length)).toFixed(0)}`,
  );
  console.log(
    `grouping: ${(total / cpu).toFixed(0)} samples/s per core (${cpu.toFixed(1)} CPU s, ${(wall / 1000).toFixed(1)} s wall)`,
  );
  if (before > 0) {
    let n = 0;
    const cpu0 = process.cpuUsage();
    for (const c of cases)
      for (const p of c.patches.slice(0, before)) {
        normalizePatch(c.files, p);
        n++;
      }
    const s = cpuSeconds(cpu0);
    console.log(
      `before (normalizePatch per sample, first ${before} of each): ${(n / s).toFixed(1)} samples/s per core (${s.toFixed(1)} CPU s)`,
    );
  }
  console.log(`peak RSS of the whole run: ${peakRss()}`);
}

const mode = args[0];
if (mode === "grouping") await groupingBench();
else if (mode === "pipeline") await runPipelineBench(option, peakRss);
else {
  console.error("usage: bench/scale.ts grouping|pipeline [options]");
  process.exit(2);
}
process.exit(0);
