// `swerl merge OUT RUN…`: shard runs (`swerl run --shard i/n` on n machines) joined into one
// run directory so report / ablate / compare see the whole. Refuses runs whose configs differ
// (other than run_id and the shard) and runs whose instances overlap. Stage files are
// concatenated, per-instance directories copied, usage summed, the run report recomputed.
import { existsSync } from "node:fs";
import { appendFile, cp, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { SwerlConfig } from "../config/schema.js";
import { loadDatasetSelection, selectionOfConfig } from "../dataset/options.js";
import type { Instance } from "../dataset/schema.js";
import { loadPredictions } from "../records/predictions.js";
import { makeRunReport } from "../records/run-report.js";
import type { ErrorKind, EvaluationRecord } from "../records/evaluation.js";
import { addStageUsage, type StageUsage } from "../model/usage.js";
import { writeJsonAtomic } from "../store/atomic.js";
import { hashValue } from "../store/hash.js";
import { readRecords } from "../store/jsonl.js";
import { RunStore, type RunManifest } from "../store/run-store.js";
import { InputError } from "../util/input-error.js";

/** Per-instance directories a run may hold (copied whole). */
const INSTANCE_DIRS = ["evaluation", "grading"];

/** The config with what may differ between shards taken out. */
export function shardNeutralConfig(config: SwerlConfig): unknown {
  const { run_id: _r, results_dir: _d, ...rest } = config;
  const { shard: _s, ...dataset } = rest.dataset;
  return { ...rest, dataset };
}

export interface MergeResult {
  dir: string;
  runs: number;
  instances: number;
  files: Record<string, number>;
}

export async function mergeRuns(resultsDir: string, outId: string, inputIds: readonly string[]): Promise<MergeResult> {
  if (inputIds.length < 2) throw new InputError("merge: give at least two runs to merge");
  // `swerl slurm submit` keeps its scripts and job ids in <out>/slurm/ before the merge.
  const outDir = join(resultsDir, outId);
  if (existsSync(outDir) && (await readdir(outDir)).some((name) => name !== "slurm"))
    throw new InputError(`merge: ${outDir} already exists; pick a new run id`);
  const manifests: RunManifest[] = [];
  for (const id of inputIds) {
    const m = await RunStore.readManifest(join(resultsDir, id));
    if (!m) throw new InputError(`merge: no run ${id} in ${resultsDir}`);
    if (m.status !== "success")
      throw new InputError(`merge: run ${id} has status ${m.status}; finish it first (run the same command again)`);
    manifests.push(m);
  }
  const first = manifests[0].config as SwerlConfig;
  const firstHash = hashValue(shardNeutralConfig(first));
  for (const [i, m] of manifests.entries()) {
    const config = m.config as SwerlConfig;
    if (hashValue(shardNeutralConfig(config)) !== firstHash) {
      throw new InputError(
        `merge: run ${inputIds[i]} has another config than ${inputIds[0]} (${differingKey(shardNeutralConfig(first), shardNeutralConfig(config))} differs)`,
      );
    }
    if (m.dataset_digest !== manifests[0].dataset_digest)
      throw new InputError(`merge: run ${inputIds[i]} used another dataset file than ${inputIds[0]}`);
  }
  // Which instances each run owns: its dataset selection, shard included.
  const owner = new Map<string, string>();
  const selections: Instance[][] = [];
  for (const [i, m] of manifests.entries()) {
    const { selected } = await loadDatasetSelection(selectionOfConfig((m.config as SwerlConfig).dataset));
    for (const inst of selected) {
      const before = owner.get(inst.instance_id);
      if (before) throw new InputError(`merge: instance ${inst.instance_id} is in both ${before} and ${inputIds[i]}`);
      owner.set(inst.instance_id, inputIds[i]);
    }
    selections.push(selected);
  }
  const config = { ...first, run_id: outId, dataset: { ...first.dataset, shard: undefined } };
  const out = await RunStore.open({
    runId: outId,
    command: `merge ${inputIds.join(" ")}`,
    config,
    datasetDigest: manifests[0].dataset_digest,
    resultsDir,
  });
  const files: Record<string, number> = {};
  const usage: Record<string, StageUsage> = {};
  for (const id of inputIds) {
    const dir = join(resultsDir, id);
    for (const name of await readdir(dir)) {
      if (name.endsWith(".jsonl")) {
        const text = await readFile(join(dir, name), "utf8");
        const lines = text.split("\n").filter((l) => l.trim() !== "" && isJson(l)); // a torn last line is dropped
        await appendFile(out.path(name), lines.map((l) => l + "\n").join(""));
        files[name] = (files[name] ?? 0) + lines.length;
      } else if (INSTANCE_DIRS.includes(name)) {
        await cp(join(dir, name), out.path(name), { recursive: true, errorOnExist: true, force: false });
      } else if (name === "usage.json") {
        const u = JSON.parse(await readFile(join(dir, name), "utf8")) as Record<string, StageUsage | null>;
        for (const [stage, v] of Object.entries(u)) if (v) usage[stage] = addStageUsage(usage[stage], v);
      }
    }
  }
  await writeJsonAtomic(out.path("usage.json"), usage);
  const instances = selections.flat();
  if (existsSync(out.path("preds.jsonl"))) {
    const predictions = await loadPredictions(
      out.path("preds.jsonl"),
      instances,
      new Set(instances.map((i) => i.instance_id)),
    );
    const errorKinds: Record<string, ErrorKind> = {};
    for await (const r of readRecords<EvaluationRecord>(out.path("evaluation.jsonl")))
      if (r.error_kind) errorKinds[r.instance_id] = r.error_kind;
    await writeJsonAtomic(
      out.path("run_report.json"),
      await makeRunReport(instances, predictions, out.path("evaluation"), errorKinds),
    );
  }
  await out.finish("success");
  return { dir: out.dir, runs: inputIds.length, instances: instances.length, files };
}

function isJson(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}

/** The first key path where two JSON values differ (for the refusal message). */
function differingKey(a: unknown, b: unknown, path = "config"): string {
  if (JSON.stringify(a) === JSON.stringify(b)) return "";
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of [...keys].sort()) {
      const d = differingKey((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      if (d) return d;
    }
  }
  return path;
}
