// Post-processing throughput of repair samples: per answer, everything the repair stage does
// after the model call (SWE-RL reward against the gold patch, tolerant parse, apply, git diff,
// tree-sitter syntax check, whitespace check), on oracle answers for real SWE-bench Verified
// instances. Files come from the real repository when a local clone has the base commit
// (sympy: /work/.mirror/sympy+sympy/repo, or --repo owner/name=DIR), else they are rebuilt
// around the gold patch's hunks (test/support/verified-cases.ts).
//
//   npx vite-node bench/postprocess.ts [-- --instances 50 --samples 20 --workers 2 --no-repos --source repo|rebuilt]
//
// Two passes: "as emitted" (the oracle's answers; per instance they repeat a handful of edits,
// so the syntax checker's per-instance verdict cache hits often) and "unique edits" (a comment
// line with the sample number appended to every REPLACE, so no two samples share a patch and
// nothing per-sample is cached). Answers are generated before the clock starts. Rebuilt files
// are not valid Python (their filler lines are drawn at random), so the syntax check skips
// them as already broken: the instances with real files are also timed on their own.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadDataset } from "../src/dataset/load.js";
import type { Instance } from "../src/dataset/schema.js";
import { OracleProvider } from "../src/model/oracle.js";
import { goldPatchFiles } from "../src/records/locations.js";
import { applyEditBlocks } from "../src/repair/apply-edits.js";
import { parseEditBlocks, solutionText } from "../src/repair/edit-parser.js";
import { patchOf } from "../src/repair/git-diff.js";
import {
  onlyWhitespaceChanged,
  processRepairOutput,
  type OracleTarget,
  type ProcessedOutput,
} from "../src/repair/process-output.js";
import { hasCommit } from "../src/repo/bare.js";
import { listFilesAtCommit, readFilesAtCommit, type RepoListing } from "../src/repo/files.js";
import { newSyntaxErrors, PythonSyntaxChecker } from "../src/repair/syntax.js";
import { SearchReplaceRewardTarget } from "../src/reward/reward.js";
import { oracleFromPatch } from "../src/reward/apply-diff.js";
import { linePool, preImagesFromPatch, seededRandom } from "../test/support/verified-cases.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const opt = (name: string, fallback: number): number => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const instanceCount = opt("--instances", 50);
const samplesPer = opt("--samples", 20);
const workers = opt("--workers", 2);
const useRepos = !args.includes("--no-repos");
const onlySource = args.includes("--source") ? args[args.indexOf("--source") + 1] : undefined; // "repo" or "rebuilt"
const child = args.includes("--child");
const repoDirs: Record<string, string> = { "sympy/sympy": "/work/.mirror/sympy+sympy/repo" };
for (let i = args.indexOf("--repo"); i >= 0; i = args.indexOf("--repo", i + 1)) {
  const [repo, dir] = args[i + 1].split("=");
  repoDirs[repo] = dir;
}

interface BenchInstance {
  id: string;
  source: "repo" | "rebuilt";
  files: Record<string, string>;
  listing: RepoListing;
  contextFiles: string[];
  oracle: OracleTarget;
  outputs: { asEmitted: string[]; unique: string[] };
  variants: string[];
}

/** Original files of the gold patch: from the clone at base_commit when there is one, else rebuilt. */
async function filesOf(
  row: Instance,
  rng: () => number,
  pool: string[],
): Promise<{ files: Record<string, string>; listing: RepoListing; source: "repo" | "rebuilt" }> {
  const dir = repoDirs[row.repo];
  if (useRepos && dir && existsSync(dir) && (await hasCommit(dir, row.base_commit))) {
    const listing = await listFilesAtCommit(dir, row.base_commit);
    const files = await readFilesAtCommit(
      dir,
      row.base_commit,
      goldPatchFiles(row.patch).filter((p) => listing.has(p)),
    );
    return { files, listing, source: "repo" };
  }
  const files = preImagesFromPatch(row, rng, pool);
  return { files, listing: new Map(Object.keys(files).map((p) => [p, "100644"])), source: "rebuilt" };
}

async function prepare(): Promise<{ instances: BenchInstance[]; dropped: string[] }> {
  const rows = await loadDataset(join(root, "..", "shared", "datasets", "swe-bench-verified.test.jsonl"));
  const step = Math.max(1, Math.floor(rows.length / instanceCount));
  const chosen = rows.filter((_, i) => i % step === 0).slice(0, instanceCount);
  const pool = linePool(rows);
  const rng = seededRandom(7);
  const gold = new Map<string, { patch: string; files: Record<string, string> }>();
  const provider = new OracleProvider((id) => gold.get(id), {
    wrong_edit_rate: 0.2,
    format_error_rate: 0.1,
    noop_rate: 0.1,
    seed: 1,
  });
  const instances: BenchInstance[] = [];
  const dropped: string[] = [];
  for (const row of chosen) {
    const { files, listing, source } = await filesOf(row, rng, pool);
    if (onlySource && source !== onlySource) continue;
    let oracle: OracleTarget;
    try {
      oracle = oracleFromPatch(files, row.patch);
    } catch (err) {
      dropped.push(`${row.instance_id}: ${(err as Error).message}`);
      continue;
    }
    gold.set(row.instance_id, { patch: row.patch, files });
    const asEmitted: string[] = [];
    const unique: string[] = [];
    const variants: string[] = [];
    for (let s = 0; s < samplesPer; s++) {
      const r = await provider.complete({
        messages: [],
        sampleIndex: s,
        instanceId: row.instance_id,
        stage: "repair",
        params: { temperature: 1, top_p: 1, max_tokens: 4096 },
      });
      if (!r.ok) throw new Error(`oracle failed on ${row.instance_id}: ${r.message}`);
      asEmitted.push(r.text);
      // a comment line at the indentation of the REPLACE's last line (a column-0 comment inside
      // a block is legal too, but not what models write)
      unique.push(
        r.text.replace(
          /([^\n]*)\n>>>>>>> REPLACE/g,
          (_, last: string) =>
            `${last}\n${last === "=======" ? "" : /^[ \t]*/.exec(last)![0]}# swerl bench sample ${s}\n>>>>>>> REPLACE`,
        ),
      );
      variants.push(r.oracleVariant ?? "?");
    }
    const contextFiles = Object.keys(files);
    instances.push({
      id: row.instance_id,
      source,
      files,
      listing,
      contextFiles,
      oracle,
      outputs: { asEmitted, unique },
      variants,
    });
  }
  return { instances, dropped };
}

interface PassResult {
  samples: number;
  wallS: number;
  cpuS: number;
  statuses: Record<string, number>;
  meanReward: number;
  /** Samples and wall seconds per file source. */
  bySource: Record<string, { samples: number; wallS: number }>;
  /** sha256 of every processed record (JSON), in order: equal digests, identical results. */
  digest: string;
}

/** One pass over every instance's answers, as the stage runs them: one syntax checker per instance. */
async function runPass(instances: BenchInstance[], which: "asEmitted" | "unique"): Promise<PassResult> {
  const statuses: Record<string, number> = {};
  let rewardSum = 0;
  let rewarded = 0;
  let samples = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const bySource: PassResult["bySource"] = {};
  const records: ProcessedOutput[] = [];
  for (const inst of instances) {
    const started = performance.now();
    const syntax = new PythonSyntaxChecker();
    for (const output of inst.outputs[which]) {
      const r: ProcessedOutput = await processRepairOutput({
        output,
        contextFiles: inst.contextFiles,
        listing: inst.listing,
        contents: inst.files,
        oracle: inst.oracle,
        syntax,
        readFiles: async (paths) =>
          Object.fromEntries(paths.filter((p) => Object.hasOwn(inst.files, p)).map((p) => [p, inst.files[p]])),
      });
      records.push(r);
      statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      if (r.reward !== null && r.reward >= 0) {
        rewardSum += r.reward;
        rewarded++;
      }
      samples++;
    }
    const src = (bySource[inst.source] ??= { samples: 0, wallS: 0 });
    src.samples += inst.outputs[which].length;
    src.wallS += (performance.now() - started) / 1000;
  }
  const wallS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const hash = createHash("sha256");
  for (const r of records) hash.update(JSON.stringify(r) + "\n");
  return {
    samples,
    wallS,
    cpuS: (cpu.user + cpu.system) / 1e6,
    statuses,
    meanReward: rewarded ? rewardSum / rewarded : 0,
    bySource,
    digest: hash.digest("hex").slice(0, 16),
  };
}

/** Best of `repeats` passes (after a warm-up pass), by wall time. */
async function bestPass(instances: BenchInstance[], which: "asEmitted" | "unique", repeats = 3): Promise<PassResult> {
  await runPass(instances, which);
  let best: PassResult | undefined;
  for (let k = 0; k < repeats; k++) {
    const r = await runPass(instances, which);
    if (!best || r.wallS < best.wallS) best = r;
  }
  return best!;
}

/**
 * Milliseconds per sample in each step processRepairOutput takes, the steps called one by one
 * on the unique edits (one reward target and one syntax checker per instance, as in the stage).
 */
function phaseBreakdown(instances: BenchInstance[]): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const inst of instances) {
    const ms = (out[inst.source] ??= { samples: 0, reward: 0, "parse+apply": 0, diff: 0, syntax: 0, whitespace: 0 });
    const target = new SearchReplaceRewardTarget(
      { ...inst.files, ...inst.oracle.codeContext },
      inst.oracle.oracleNewContent,
    );
    const syntax = new PythonSyntaxChecker();
    for (const output of inst.outputs.unique) {
      let t = performance.now();
      const lap = (phase: string) => {
        const now = performance.now();
        ms[phase] += now - t;
        t = now;
      };
      target.score(output);
      lap("reward");
      const blocks = parseEditBlocks(solutionText(output), inst.contextFiles);
      const { newContents } = applyEditBlocks(blocks, inst.files, inst.listing, inst.contextFiles);
      lap("parse+apply");
      patchOf(inst.files, newContents);
      lap("diff");
      newSyntaxErrors(inst.files, newContents, syntax);
      lap("syntax");
      for (const p of Object.keys(newContents)) onlyWhitespaceChanged(inst.files[p], newContents[p]);
      lap("whitespace");
      ms.samples++;
    }
  }
  for (const ms of Object.values(out)) for (const k of Object.keys(ms)) if (k !== "samples") ms[k] /= ms.samples;
  return out;
}

const rate = (n: number, s: number) => `${(n / s).toFixed(0).padStart(5)} samples/s`;

if (child) {
  // parallel mode: prepare, say ready, wait for "go", run one pass of unique edits, report
  const { instances } = await prepare();
  await runPass(instances, "unique"); // warm-up
  process.stdout.write("ready\n");
  await new Promise((resolve) => process.stdin.once("data", resolve));
  const r = await runPass(instances, "unique");
  process.stdout.write(JSON.stringify(r) + "\n");
  process.exit(0);
}

const { instances, dropped } = await prepare();
const fromRepo = instances.filter((i) => i.source === "repo");
const lines = instances.reduce((n, i) => n + Object.values(i.files).reduce((m, t) => m + t.split("\n").length, 0), 0);
const variants: Record<string, number> = {};
for (const i of instances)
  for (const v of i.variants) {
    const k = v.split(":")[0];
    variants[k] = (variants[k] ?? 0) + 1;
  }
console.log(
  `SWE-bench Verified: ${instances.length} instances (${fromRepo.length} with files from the real repo: ${[...new Set(fromRepo.map((i) => i.id.split("__")[0]))].join(", ") || "none"}; ` +
    `${instances.length - fromRepo.length} rebuilt from the patch hunks), ${samplesPer} oracle answers each, ${lines} lines of original files`,
);
if (dropped.length) console.log(`dropped (gold patch does not apply to the files): ${dropped.join("; ")}`);
console.log(
  `oracle variants: ${Object.entries(variants)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ")}`,
);
console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")} on ${cpus().length} CPUs, node ${process.version}`,
);

for (const which of ["asEmitted", "unique"] as const) {
  const r = await bestPass(instances, which);
  const label = which === "asEmitted" ? "as emitted  " : "unique edits";
  console.log(
    `${label} ${r.samples} samples in ${(r.wallS * 1000).toFixed(0)} ms: single process ${rate(r.samples, r.wallS)}, ` +
      `per CPU-second ${rate(r.samples, r.cpuS)}  (mean reward ${r.meanReward.toFixed(3)}; ${Object.entries(r.statuses)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ")})`,
  );
  console.log(
    `             records digest ${r.digest}; by file source: ${Object.entries(r.bySource)
      .map(
        ([k, v]) =>
          `${k === "repo" ? "real repo files" : "rebuilt files"} ${rate(v.samples, v.wallS)} (${v.samples} samples)`,
      )
      .join(", ")}`,
  );
}

phaseBreakdown(instances); // warm-up
for (const [source, ms] of Object.entries(phaseBreakdown(instances))) {
  const { samples, ...phases } = ms;
  const total = Object.values(phases).reduce((a, b) => a + b, 0);
  console.log(
    `ms per sample, unique edits, ${source === "repo" ? "real repo files" : "rebuilt files"} (${samples}): ` +
      `${Object.entries(phases)
        .map(([k, v]) => `${k} ${v.toFixed(3)}`)
        .join(", ")}; sum ${total.toFixed(3)}`,
  );
}

if (workers > 1) {
  const script = fileURLToPath(import.meta.url);
  const vite = join(root, "node_modules", ".bin", "vite-node");
  const childArgs = [
    script,
    "--",
    "--child",
    "--instances",
    String(instanceCount),
    "--samples",
    String(samplesPer),
    ...(useRepos ? [] : ["--no-repos"]),
    ...Object.entries(repoDirs).flatMap(([r, d]) => ["--repo", `${r}=${d}`]),
  ];
  const procs = Array.from({ length: workers }, () =>
    spawn(vite, childArgs, { cwd: root, stdio: ["pipe", "pipe", "inherit"] }),
  );
  const outputs = procs.map((p) => {
    let buf = "";
    const ready = new Promise<void>((resolve) =>
      p.stdout.on("data", (c: Buffer) => {
        buf += c.toString();
        if (buf.includes("ready\n")) resolve();
      }),
    );
    const done = new Promise<PassResult>((resolve, reject) =>
      p.on("close", (code) => {
        if (code !== 0) return reject(new Error(`bench child exited with ${code}`));
        resolve(JSON.parse(buf.slice(buf.indexOf("ready\n") + 6).trim()) as PassResult);
      }),
    );
    return { ready, done };
  });
  await Promise.all(outputs.map((o) => o.ready));
  const t0 = performance.now();
  for (const p of procs) p.stdin.write("go\n");
  const results = await Promise.all(outputs.map((o) => o.done));
  const wallS = (performance.now() - t0) / 1000;
  const total = results.reduce((n, r) => n + r.samples, 0);
  console.log(
    `unique edits, ${workers} processes at once: ${total} samples in ${(wallS * 1000).toFixed(0)} ms: ${rate(total, wallS)} in all, ` +
      `${rate(total / workers, wallS)} per process  (load average now ${loadavg()[0].toFixed(2)})`,
  );
}
