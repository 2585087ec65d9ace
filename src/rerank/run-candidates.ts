// Reranking a run's own records: validation.jsonl (one line per unique normalized patch, with
// its samples and test results) and reproduction_tests.jsonl (the ranked tests) → one
// prediction per instance in preds.jsonl (SWE-bench format plus the chosen sample) and why it
// won in rerank.jsonl. Samples whose patch normalized to nothing never become candidates.
import { existsSync } from "node:fs";
import type { Instance } from "../dataset/schema.js";
import { writeFileAtomic } from "../store/atomic.js";
import type { RunStore } from "../store/run-store.js";
import { regressionRecords, reproductionTests, validationIndex, validationRecordsAt, type ReproductionTestsInput } from "../validate/inputs.js";
import type { ValidationRecord } from "../validate/records.js";
import { rerank, type RerankCandidate, type RerankFilter, type RerankResult, type RerankRule } from "./rerank.js";

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
  candidates: RerankCandidate[];
  /** patch_id by normalized patch. */
  patchIds: Map<string, string>;
  /** Ranked reproduction test ids, and how many the run kept. */
  rankedTests: string[];
  topTests: number;
  /** Repair samples of the instance with a validated patch (the largest index + 1 bounds k). */
  samples: number;
}

export function candidatesFromValidation(records: readonly ValidationRecord[]): { candidates: RerankCandidate[]; patchIds: Map<string, string> } {
  const patchIds = new Map<string, string>();
  const candidates = records.filter((r) => r.normalized_patch.trim() !== "" && r.samples.length > 0).map((r) => {
    patchIds.set(r.normalized_patch, r.patch_id);
    return {
      normalized: r.normalized_patch, sampleIndices: r.samples, originalPatch: r.patch,
      regressionFailures: r.regression_failures, reproductionPassed: r.reproduction_passed,
    };
  });
  return { candidates, patchIds };
}

/** One instance's rerank inputs from its validation records and ranked reproduction tests. */
function poolOf(id: string, records: readonly ValidationRecord[], t: ReproductionTestsInput | undefined): InstancePool {
  const { candidates, patchIds } = candidatesFromValidation(records);
  return {
    instance_id: id, candidates, patchIds,
    rankedTests: t?.tests.map((x) => x.test_id) ?? [], topTests: t?.top_tests ?? 0,
    samples: Math.max(0, ...candidates.flatMap((c) => c.sampleIndices.map((s) => s + 1))),
  };
}

/** Every instance's rerank inputs from the run's records. */
export async function loadInstancePools(run: RunStore, instanceIds: readonly string[]): Promise<Map<string, InstancePool>> {
  const ids = new Set(instanceIds);
  const index = await validationIndex(run, ids);
  const tests = await reproductionTests(run, ids);
  const pools = new Map<string, InstancePool>();
  for (const id of instanceIds) pools.set(id, poolOf(id, await validationRecordsAt(run, index.get(id)), tests.get(id)));
  return pools;
}

export function rerankPool(pool: InstancePool, o: Pick<RunRerankOptions, "rule" | "filter" | "maxSamples" | "maxTests"> & { onlySamples?: ReadonlySet<number> }): RerankResult & { patch_id: string | null; tests: string[] } {
  const tests = pool.rankedTests.slice(0, o.maxTests ?? pool.topTests);
  const result = rerank(pool.candidates, { rule: o.rule, filter: o.filter, maxSamples: o.maxSamples, onlySamples: o.onlySamples, tests });
  return { ...result, patch_id: result.sample === null ? null : pool.patchIds.get(result.normalized) ?? null, tests };
}

export interface RerankRunResult { instances: number; withPatch: number; predsPath: string }

export async function rerankRun(run: RunStore, instances: readonly Instance[], o: RunRerankOptions): Promise<RerankRunResult> {
  if (!existsSync(run.stagePath("validation"))) throw new Error(`rerank: ${run.stagePath("validation")} is missing (run swerl validate first)`);
  const ids = instances.map((i) => i.instance_id);
  // One instance's validation records in memory at a time (a paper-scale run has many).
  const index = await validationIndex(run, new Set(ids));
  const tests = await reproductionTests(run, new Set(ids));
  const regression = await regressionRecords(run, new Set(ids));
  const preds: string[] = [];
  const explanations: string[] = [];
  let withPatch = 0;
  for (const id of ids) {
    const pool = poolOf(id, await validationRecordsAt(run, index.get(id)), tests.get(id));
    const r = rerankPool(pool, o);
    if (r.patch) withPatch++;
    preds.push(JSON.stringify({ instance_id: id, model_name_or_path: o.modelName, model_patch: r.patch, sample: r.sample }));
    explanations.push(JSON.stringify({
      instance_id: id, rule: o.rule, filter: o.filter, max_samples: o.maxSamples ?? null, max_tests: r.tests.length,
      sample: r.sample, patch_id: r.patch_id, reason: r.reason, candidates: pool.candidates.length, samples: pool.samples,
      regression_scope: (regression.get(id) as { scope?: string } | undefined)?.scope ?? null,
    }));
  }
  await writeFileAtomic(run.stagePath("rerank"), explanations.map((l) => l + "\n").join(""));
  await writeFileAtomic(run.path("preds.jsonl"), preds.map((l) => l + "\n").join(""));
  return { instances: ids.length, withPatch, predsPath: run.path("preds.jsonl") };
}
