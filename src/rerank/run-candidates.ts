// Reranking a run's own records: validation.jsonl (one line per unique normalized patch, with
// its samples and test results) and reproduction_tests.jsonl (the ranked tests) → one
// prediction per instance in preds.jsonl (SWE-bench format plus the chosen sample) and why it
// won in rerank.jsonl. Samples whose patch normalized to nothing (no validation record) are
// empty samples: never chosen, but Agentless's rule counts them (0 regression failures).
import { existsSync } from "node:fs";
import type { Instance } from "../dataset/schema.js";
import { writeFileAtomic } from "../store/atomic.js";
import type { RunStore } from "../store/run-store.js";
import {
  regressionRecords,
  repairIndex,
  repairSamplesAt,
  reproductionTests,
  validationIndex,
  validationRecordsAt,
  type RepairSample,
} from "../records/validation-inputs.js";
import type { ReproductionTestsInput } from "../records/reproduction.js";
import type { ValidationRecord } from "../records/validation.js";
import {
  rerank,
  samplesOfCandidates,
  type RerankFilter,
  type RerankResult,
  type RerankRule,
  type RerankSample,
} from "./rerank.js";
import { RECORD_FILES } from "../records/files.js";

export interface RunRerankOptions {
  rule: RerankRule;
  filter: RerankFilter;
  maxSamples?: number;
  /** Reproduction tests used (the first t of the ranked list); default: the list's own top_tests. */
  maxTests?: number;
  modelName: string;
}

/** What rerank needs of one instance, read once (ablation reranks it many times). */
export interface InstancePool {
  instance_id: string;
  /** Every repair sample: validated ones with their record's results, the rest empty. */
  samples: RerankSample[];
  /** Unique non-empty normalized patches (validation records) among them. */
  candidates: number;
  /** patch_id by normalized patch (stripped). */
  patchIds: Map<string, string>;
  /** Ranked reproduction test ids, and how many the run kept. */
  rankedTests: string[];
  topTests: number;
  /** Repair samples of the instance (the largest index + 1). */
  sampleCount: number;
}

/**
 * validation.jsonl records (one per unique normalized patch) and repair samples → one entry per
 * sample. Each sample keeps its own written patch (repair.jsonl) and its record's results;
 * samples without a record (their patch normalized to nothing) are empty samples with no results.
 */
export function samplesFromRecords(
  records: readonly ValidationRecord[],
  repair: readonly RepairSample[] = [],
): { samples: RerankSample[]; patchIds: Map<string, string>; candidates: number } {
  const patchIds = new Map<string, string>();
  const ownPatch = new Map(repair.map((r) => [r.sample, r.patch]));
  const withPatch = records.filter((r) => r.normalized_patch.trim() !== "" && r.samples.length > 0);
  for (const r of withPatch) patchIds.set(r.normalized_patch.trim(), r.patch_id);
  const samples = samplesOfCandidates(
    withPatch.map((r) => ({
      normalized: r.normalized_patch,
      sampleIndices: r.samples,
      originalPatch: r.patch,
      regressionFailures: r.regression_failures,
      reproductionPassed: r.reproduction_passed,
    })),
    ownPatch,
  );
  const validated = new Set(samples.map((s) => s.sample));
  for (const r of repair) {
    if (!validated.has(r.sample))
      samples.push({
        sample: r.sample,
        normalized: "",
        patch: r.patch,
        regressionFailures: null,
        reproductionPassed: null,
      });
  }
  return { samples: samples.sort((x, y) => x.sample - y.sample), patchIds, candidates: withPatch.length };
}

/** One instance's rerank inputs: its validation records, its repair samples' own patches, its ranked reproduction tests. */
function poolOf(
  id: string,
  records: readonly ValidationRecord[],
  repair: readonly RepairSample[],
  t: ReproductionTestsInput | undefined,
): InstancePool {
  const { samples, patchIds, candidates } = samplesFromRecords(records, repair);
  return {
    instance_id: id,
    samples,
    candidates,
    patchIds,
    rankedTests: t?.tests.map((x) => x.test_id) ?? [],
    topTests: t?.top_tests ?? 0,
    sampleCount: Math.max(0, ...samples.map((s) => s.sample + 1)),
  };
}

/** Reads one instance's pool at a time (a paper-scale run has many records): byte-offset indexes of validation and repair. */
async function poolReader(run: RunStore, ids: ReadonlySet<string>): Promise<(id: string) => Promise<InstancePool>> {
  const [validation, repair, tests] = await Promise.all([
    validationIndex(run, ids),
    repairIndex(run, ids),
    reproductionTests(run, ids),
  ]);
  return async (id) =>
    poolOf(
      id,
      await validationRecordsAt(run, validation.get(id)),
      await repairSamplesAt(run, repair.get(id) ?? new Map()),
      tests.get(id),
    );
}

/** Every instance's rerank inputs from the run's records. */
export async function loadInstancePools(
  run: RunStore,
  instanceIds: readonly string[],
): Promise<Map<string, InstancePool>> {
  const read = await poolReader(run, new Set(instanceIds));
  const pools = new Map<string, InstancePool>();
  for (const id of instanceIds) pools.set(id, await read(id));
  return pools;
}

export function rerankPool(
  pool: InstancePool,
  o: Pick<RunRerankOptions, "rule" | "filter" | "maxSamples" | "maxTests"> & { onlySamples?: ReadonlySet<number> },
): RerankResult & { patch_id: string | null; tests: string[] } {
  const tests = pool.rankedTests.slice(0, o.maxTests ?? pool.topTests);
  const result = rerank(pool.samples, {
    rule: o.rule,
    filter: o.filter,
    maxSamples: o.maxSamples,
    onlySamples: o.onlySamples,
    tests,
  });
  return { ...result, patch_id: result.sample === null ? null : (pool.patchIds.get(result.normalized) ?? null), tests };
}

export interface RerankRunResult {
  instances: number;
  withPatch: number;
  predsPath: string;
}

export async function rerankRun(
  run: RunStore,
  instances: readonly Instance[],
  o: RunRerankOptions,
): Promise<RerankRunResult> {
  if (!existsSync(run.stagePath(RECORD_FILES.validation)))
    throw new Error(`rerank: ${run.stagePath(RECORD_FILES.validation)} is missing (run swerl validate first)`);
  const ids = instances.map((i) => i.instance_id);
  // One instance's records in memory at a time (a paper-scale run has many).
  const read = await poolReader(run, new Set(ids));
  const regression = await regressionRecords(run, new Set(ids));
  const preds: string[] = [];
  const explanations: string[] = [];
  let withPatch = 0;
  for (const id of ids) {
    const pool = await read(id);
    const r = rerankPool(pool, o);
    if (r.patch) withPatch++;
    preds.push(
      JSON.stringify({ instance_id: id, model_name_or_path: o.modelName, model_patch: r.patch, sample: r.sample }),
    );
    explanations.push(
      JSON.stringify({
        instance_id: id,
        rule: o.rule,
        filter: o.filter,
        max_samples: o.maxSamples ?? null,
        max_tests: r.tests.length,
        sample: r.sample,
        patch_id: r.patch_id,
        reason: r.reason,
        candidates: pool.candidates,
        samples: pool.sampleCount,
        regression_scope: (regression.get(id) as { scope?: string } | undefined)?.scope ?? null,
      }),
    );
  }
  await writeFileAtomic(run.stagePath(RECORD_FILES.rerank), explanations.map((l) => l + "\n").join(""));
  await writeFileAtomic(run.path("preds.jsonl"), preds.map((l) => l + "\n").join(""));
  return { instances: ids.length, withPatch, predsPath: run.path("preds.jsonl") };
}
