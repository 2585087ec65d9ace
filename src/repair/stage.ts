// The repair stage: for every instance, N samples, each one prompt (the issue and a location
// set's files, shuffled per sample) and one model request, its answer parsed, applied, diffed,
// checked and scored, and one record appended to repair.jsonl as soon as it is done. Samples
// already recorded are skipped (resume); a failed call is recorded and the run goes on.
import pLimit from "p-limit";
import type { Instance } from "../dataset/schema.js";
import { log } from "../log/logger.js";
import { startProgress } from "../log/progress.js";
import { seededRandom } from "../model/oracle.js";
import type { ModelProvider, ModelResult, SamplingParams } from "../model/types.js";
import type { RunStore } from "../store/run-store.js";
import { buildFileContext, TokenCounter } from "./context.js";
import { localizationSets, locationSetIndex, type LocalizationRecord } from "./locations.js";
import { InstanceSkipped, prepareInstance, type PreparedInstance } from "./prepare.js";
import { processRepairOutput, type ProcessedOutput } from "./process-output.js";
import { repairMessages } from "./prompts.js";
import { digestOf, latestRecordDigests, recordKey, REPAIR_STAGE, summarize, type RepairRecord, type RepairSummary } from "./records.js";
import { readFilesAtCommit } from "../repo/files.js";

export interface RepairStageOptions {
  run: RunStore;
  instances: readonly Instance[];
  provider: ModelProvider;
  /** repo (owner/name) → local git repository. */
  repoSources: Readonly<Record<string, string>>;
  samples: number;
  maxInputTokens: number;
  locations: "localized" | "gold";
  params: SamplingParams;
  /** Seed of the per-sample file order. */
  seed: number;
  /** Samples in flight at once. */
  concurrency: number;
  /** Run again the samples whose latest record is a failed model call. */
  retryFailed?: boolean;
  /** Checked before each sample starts: true stops starting new ones (interrupt). */
  shouldStop?: () => boolean;
}

export interface RepairStageResult {
  summary: RepairSummary;
  /** Samples run (records appended) by this call. */
  ran: number;
  interrupted: boolean;
}

const EMPTY_PROCESSED = { thought_length: null, format_ok: null, format_error: null, reward: null, blocks: [], edited_files: [], patch: "", raw_patch: null, syntax_errors: {} };

async function loadLocationSets(run: RunStore): Promise<Map<string, string[][]>> {
  const records: LocalizationRecord[] = [];
  for await (const r of run.records<LocalizationRecord>("localization")) records.push(r);
  return localizationSets(records, run.stagePath("localization"));
}

export async function runRepairStage(o: RepairStageOptions): Promise<RepairStageResult> {
  const latest = await latestRecordDigests(o.run);
  const needsRun = (id: string, s: number): boolean => {
    const r = latest.get(recordKey(id, s));
    return !r || (o.retryFailed === true && r.status === "model_error");
  };
  const locationSets = o.locations === "localized" ? await loadLocationSets(o.run) : undefined;
  const todo = new Map(o.instances.map((inst) => [inst.instance_id,
    Array.from({ length: o.samples }, (_, s) => s).filter((s) => needsRun(inst.instance_id, s))]));
  const total = [...todo.values()].reduce((n, list) => n + list.length, 0);
  const progress = startProgress("repair", total);
  const sampleLimit = pLimit(o.concurrency);
  const instanceLimit = pLimit(Math.max(2, Math.min(16, Math.ceil(o.concurrency / o.samples) + 1)));
  const counter = new TokenCounter();
  const skipped: Record<string, string> = {};
  let ran = 0;
  let interrupted = false;

  const runSample = async (prep: PreparedInstance, s: number): Promise<void> => {
    if (o.shouldStop?.()) { interrupted = true; return; }
    const inst = prep.instance;
    const setIndex = locationSetIndex(s, prep.sets.length);
    const locationSet = prep.sets[setIndex];
    const ctx = buildFileContext({
      key: inst.instance_id, paths: locationSet, contents: prep.contents, maxTokens: o.maxInputTokens, counter,
      random: o.samples > 1 ? seededRandom(o.seed, inst.instance_id, "repair-file-order", s) : undefined,
    });
    const started = performance.now();
    let result: ModelResult | { ok: false; reason: string; message: string; latencyMs: number; attempts?: number };
    try {
      result = await o.provider.complete({
        messages: repairMessages(inst.problem_statement, ctx.text),
        sampleIndex: s, instanceId: inst.instance_id, stage: REPAIR_STAGE, params: o.params,
      });
    } catch (err) { // providers report failures as results; a throw is a bug, recorded all the same
      result = { ok: false, reason: "exception", message: (err as Error).message, latencyMs: performance.now() - started };
    }
    let processed: Omit<ProcessedOutput, "status" | "error" | "thought_length" | "format_ok"> &
      Pick<RepairRecord, "status" | "error" | "thought_length" | "format_ok"> = { ...EMPTY_PROCESSED, status: "model_error", error: null };
    if (result.ok) {
      try {
        processed = await processRepairOutput({
          output: result.text, contextFiles: ctx.included, listing: prep.listing, contents: prep.contents, oracle: prep.oracle, syntax: prep.syntax,
          readFiles: (paths) => readFilesAtCommit(prep.repoDir, inst.base_commit, paths),
        });
      } catch (err) {
        processed = { ...EMPTY_PROCESSED, status: "process_error", error: `processing the answer failed: ${(err as Error).message}` };
      }
    } else {
      processed.error = `${result.reason}: ${result.message}`;
    }
    const record: RepairRecord = {
      instance_id: inst.instance_id, stage: REPAIR_STAGE, sample: s, model: o.provider.name, provider: o.provider.kind,
      locations: o.locations, location_set_index: setIndex, location_set: locationSet,
      context_files: ctx.included, omitted_files: ctx.omitted, context_tokens: ctx.tokens, over_budget: ctx.overBudget,
      raw_output: result.ok ? result.text : null,
      ...processed,
      model_error: result.ok ? null : result.reason,
      usage: result.ok ? result.usage : { prompt_tokens: 0, completion_tokens: 0 },
      latency_ms: Math.round(result.latencyMs), cached: result.ok ? result.cached : false,
      attempts: result.attempts ?? null, finish_reason: result.ok ? (result.finishReason ?? null) : null,
      oracle_variant: result.ok ? (result.oracleVariant ?? null) : null,
      created_at: new Date().toISOString(),
    };
    if (prep.oracle === null && result.ok) record.error ??= `no reward: ${prep.oracleProblem}`;
    await o.run.append(REPAIR_STAGE, record);
    latest.set(recordKey(inst.instance_id, s), digestOf(record));
    ran++;
    progress.tick(record.status === "model_error" || record.status === "process_error" ? "error" : "ok");
  };

  await Promise.all(o.instances.map((inst) => instanceLimit(async () => {
    const samples = todo.get(inst.instance_id)!;
    if (samples.length === 0) return;
    if (o.shouldStop?.()) { interrupted = true; return; }
    let prep: PreparedInstance;
    try {
      prep = await prepareInstance(inst, o.repoSources, o.locations, locationSets?.get(inst.instance_id), o.samples);
    } catch (err) {
      const why = err instanceof InstanceSkipped ? err.message : `preparing the instance failed: ${(err as Error).message}`;
      skipped[inst.instance_id] = why;
      (err instanceof InstanceSkipped ? log.warn : log.error)(`repair: skipping ${inst.instance_id}: ${why}`);
      for (let k = 0; k < samples.length; k++) progress.tick("error");
      return;
    }
    if (prep.oracleProblem) log.warn(`repair: ${inst.instance_id}: rewards will be null: ${prep.oracleProblem}`);
    await Promise.all(samples.map((s) => sampleLimit(() => runSample(prep, s))));
  })));
  progress.stop();

  const ids = new Set(o.instances.map((i) => i.instance_id));
  const mine = [...latest.values()].filter((r) => ids.has(r.instance_id));
  return { summary: summarize(mine, skipped), ran, interrupted };
}
