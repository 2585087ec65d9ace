// The repair stage: for every instance, N samples, each one prompt (the issue and a location
// set's files, shuffled per sample) — samples with identical prompts asked in one request with
// n choices — each answer parsed, applied, diffed, checked and scored, and one record appended
// to repair.jsonl as soon as it is done. All instances share one request queue. Samples already
// recorded are skipped (resume); a failed call is recorded and the run goes on; a call cut
// short by Ctrl-C is not recorded (asked again on resume).
import { rawOutputFields, type RawOutputStorage } from "../store/raw-output.js";
import pLimit from "p-limit";
import type { Instance } from "../dataset/schema.js";
import { log } from "../log/logger.js";
import { startProgress } from "../log/progress.js";
import { seededRandom } from "../model/oracle.js";
import { groupIdenticalRequests, SampleQueue } from "../model/sample-queue.js";
import type { ModelProvider, ModelRequest, ModelResult, SamplingParams } from "../model/types.js";
import type { RunStore } from "../store/run-store.js";
import { buildFileContext, TokenCounter } from "./context.js";
import {
  AGENTLESS_REPAIR_SAMPLING,
  isFirstOfSet,
  localizationSets,
  locationSetIndex,
  type LocationFill,
  type LocalizationRecord,
} from "../records/locations.js";
import { prepareInstance, type PreparedInstance } from "./prepare.js";
import { InstanceSkipped } from "../stage-common/instance-skipped.js";
import { processRepairOutput, type ProcessedOutput } from "./process-output.js";
import { repairMessages } from "./prompts.js";
import {
  digestOf,
  latestRecordDigests,
  recordKey,
  REPAIR_STAGE,
  summarize,
  type RepairRecord,
  type RepairSummary,
} from "../records/repair.js";
import { readFilesAtCommit } from "../repo/files.js";
import { RECORD_FILES } from "../records/files.js";

export interface RepairStageOptions {
  run: RunStore;
  /** How records keep the model's answers (model.raw_output; default gzip). */
  rawOutput?: RawOutputStorage;
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
  /** Sequences in flight at once (a request with n choices counts n). */
  concurrency: number;
  /** Most samples asked in one request (n); default 16. */
  maxN?: number;
  /** model.system_prompt: swe-rl, none, or a text (default swe-rl). */
  systemPrompt?: string;
  /** repair.parser and repair.syntax_check (default tolerant and lenient). */
  parser?: "strict" | "tolerant";
  syntaxCheck?: "strict" | "lenient";
  /** repair.location_fill (default cycle): how location sets fill the samples (see locations.ts). */
  locationFill?: LocationFill;
  /** repair.sampling (default model): `agentless` = each set's first sample greedy, the rest at 0.8, 1,024 tokens. */
  sampling?: "model" | "agentless";
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

/** Instances prepared ahead of the request queue (their files read, prompts built). */
const PREPARE_AHEAD = 4;

interface SamplePlan {
  ctx: ReturnType<typeof buildFileContext>;
  setIndex: number;
  locationSet: string[];
}

const EMPTY_PROCESSED = {
  thought_length: null,
  format_ok: null,
  format_error: null,
  reward: null,
  blocks: [],
  edited_files: [],
  patch: "",
  raw_patch: null,
  syntax_errors: {},
};

async function loadLocationSets(run: RunStore): Promise<Map<string, string[][]>> {
  const records: LocalizationRecord[] = [];
  for await (const r of run.records<LocalizationRecord>(RECORD_FILES.localization)) records.push(r);
  return localizationSets(records, run.stagePath(RECORD_FILES.localization));
}

export async function runRepairStage(o: RepairStageOptions): Promise<RepairStageResult> {
  const latest = await latestRecordDigests(o.run);
  const needsRun = (id: string, s: number): boolean => {
    const r = latest.get(recordKey(id, s));
    return !r || (o.retryFailed === true && r.status === "model_error");
  };
  const locationSets = o.locations === "localized" ? await loadLocationSets(o.run) : undefined;
  const todo = new Map(
    o.instances.map((inst) => [
      inst.instance_id,
      Array.from({ length: o.samples }, (_, s) => s).filter((s) => needsRun(inst.instance_id, s)),
    ]),
  );
  const total = [...todo.values()].reduce((n, list) => n + list.length, 0);
  const progress = startProgress("repair", total);
  // One queue for all instances; a few instances are prepared ahead of it so it never runs dry.
  const queue = new SampleQueue(o.provider, o.concurrency, o.maxN ?? 16, () => o.shouldStop?.() ?? false);
  const prepareAhead = pLimit(PREPARE_AHEAD);
  const counter = new TokenCounter();
  const skipped: Record<string, string> = {};
  let ran = 0;
  let interrupted = false;

  const record = async (prep: PreparedInstance, s: number, sample: SamplePlan, result: ModelResult): Promise<void> => {
    if (!result.ok && result.reason === "interrupted") {
      interrupted = true;
      return;
    } // asked again on resume
    const inst = prep.instance;
    const { ctx, setIndex, locationSet } = sample;
    let processed: Omit<ProcessedOutput, "status" | "error" | "thought_length" | "format_ok"> &
      Pick<RepairRecord, "status" | "error" | "thought_length" | "format_ok"> = {
      ...EMPTY_PROCESSED,
      status: "model_error",
      error: null,
    };
    if (result.ok) {
      try {
        processed = await processRepairOutput({
          output: result.text,
          contextFiles: ctx.included,
          listing: prep.listing,
          contents: prep.contents,
          oracle: prep.oracle,
          syntax: prep.syntax,
          ...(prep.code ? { code: prep.code } : {}),
          parser: o.parser,
          syntaxCheck: o.syntaxCheck,
          locationSet,
          thinking: (o.systemPrompt ?? "swe-rl") === "swe-rl",
          readFiles: (paths) => readFilesAtCommit(prep.repoDir, inst.base_commit, paths),
        });
      } catch (err) {
        processed = {
          ...EMPTY_PROCESSED,
          status: "process_error",
          error: `processing the answer failed: ${(err as Error).message}`,
        };
      }
    } else {
      processed.error = `${result.reason}: ${result.message}`;
    }
    const rec: RepairRecord = {
      instance_id: inst.instance_id,
      stage: REPAIR_STAGE,
      sample: s,
      model: o.provider.name,
      provider: o.provider.kind,
      locations: o.locations,
      location_set_index: setIndex,
      location_set: locationSet,
      context_files: ctx.included,
      omitted_files: ctx.omitted,
      context_tokens: ctx.tokens,
      over_budget: ctx.overBudget,
      ...rawOutputFields(result.ok ? result.text : null, o.rawOutput),
      ...processed,
      model_error: result.ok ? null : result.reason,
      usage: result.ok ? result.usage : { prompt_tokens: 0, completion_tokens: 0 },
      latency_ms: Math.round(result.latencyMs),
      cached: result.ok ? result.cached : false,
      attempts: result.attempts ?? null,
      finish_reason: result.ok ? (result.finishReason ?? null) : null,
      thought_source: result.ok ? (result.thoughtSource ?? null) : null,
      oracle_variant: result.ok ? (result.oracleVariant ?? null) : null,
      created_at: new Date().toISOString(),
    };
    if (prep.oracle === null && result.ok) rec.error ??= `no reward: ${prep.oracleProblem}`;
    await o.run.append(REPAIR_STAGE, rec);
    latest.set(recordKey(inst.instance_id, s), digestOf(rec));
    ran++;
    progress.tick(rec.status === "model_error" || rec.status === "process_error" ? "error" : "ok", {
      truncated: rec.finish_reason === "length",
    });
  };

  // Each sample's prompt (its location set; `cycle`: files shuffled per sample, as Agentless
  // Mini; `per_set`: one prompt per set, as Agentless 1.5); samples whose prompts come out
  // identical are asked together (one request, n choices).
  const perSet = o.locationFill === "per_set";
  const paramsOf = (s: number, sets: number): SamplingParams =>
    o.sampling !== "agentless"
      ? o.params
      : {
          ...o.params,
          temperature: isFirstOfSet(s, sets) ? 0 : AGENTLESS_REPAIR_SAMPLING.temperature,
          max_tokens: AGENTLESS_REPAIR_SAMPLING.max_tokens,
        };
  const plan = (prep: PreparedInstance, s: number): SamplePlan & { req: ModelRequest } => {
    const inst = prep.instance;
    const setIndex = locationSetIndex(s, prep.sets.length);
    const locationSet = prep.sets[setIndex];
    const ctx = buildFileContext({
      key: inst.instance_id,
      paths: locationSet,
      contents: prep.contents,
      maxTokens: o.maxInputTokens,
      counter,
      random: o.samples > 1 && !perSet ? seededRandom(o.seed, inst.instance_id, "repair-file-order", s) : undefined,
    });
    const req: ModelRequest = {
      messages: repairMessages(inst.problem_statement, ctx.text, o.systemPrompt, prep.language),
      sampleIndex: s,
      instanceId: inst.instance_id,
      stage: REPAIR_STAGE,
      params: paramsOf(s, prep.sets.length),
    };
    return { ctx, setIndex, locationSet, req };
  };
  // Agentless 1.5 writes an empty answer for every sample of a set without files (repair.py:292-312): no call.
  const EMPTY_SET_ANSWER: ModelResult = {
    ok: true,
    text: "",
    usage: { prompt_tokens: 0, completion_tokens: 0 },
    latencyMs: 0,
    cached: false,
  };

  await Promise.all(
    o.instances.map(async (inst) => {
      const samples = todo.get(inst.instance_id)!;
      if (samples.length === 0) return;
      // The instance's slot ahead of the queue is held until all its requests are sent.
      // (the completion promise is wrapped: an async function returning a promise would wait for it)
      const pending = await prepareAhead(async (): Promise<{ done: Promise<void> } | undefined> => {
        if (o.shouldStop?.()) {
          interrupted = true;
          return;
        }
        let prep: PreparedInstance;
        try {
          prep = await prepareInstance(
            inst,
            o.repoSources,
            o.locations,
            locationSets?.get(inst.instance_id),
            o.samples,
            o.locationFill,
          );
        } catch (err) {
          const why =
            err instanceof InstanceSkipped ? err.message : `preparing the instance failed: ${(err as Error).message}`;
          skipped[inst.instance_id] = why;
          (err instanceof InstanceSkipped ? log.warn : log.error)(`repair: skipping ${inst.instance_id}: ${why}`);
          for (let k = 0; k < samples.length; k++) progress.tick("error");
          return;
        }
        if (prep.oracleProblem) log.warn(`repair: ${inst.instance_id}: rewards will be null: ${prep.oracleProblem}`);
        const plans = new Map(samples.map((s) => [s, plan(prep, s)]));
        const emptySet = [...plans].filter(([, p]) => p.locationSet.length === 0);
        await Promise.all(emptySet.map(([s, p]) => record(prep, s, p, EMPTY_SET_ANSWER)));
        const groups = groupIdenticalRequests(
          [...plans].filter(([, p]) => p.locationSet.length > 0).map(([sample, p]) => ({ sample, req: p.req })),
        );
        const submitted = groups.map((g) =>
          queue.submit(g.req, g.samples, (s, result) =>
            o.shouldStop?.() && !result.ok
              ? Promise.resolve(void (interrupted = true))
              : record(prep, s, plans.get(s)!, result),
          ),
        );
        await Promise.all(submitted.map((x) => x.sent));
        return { done: Promise.all(submitted.map((x) => x.done)).then(() => {}) };
      });
      await pending?.done;
    }),
  );
  progress.stop();

  const ids = new Set(o.instances.map((i) => i.instance_id));
  const mine = [...latest.values()].filter((r) => ids.has(r.instance_id));
  return { summary: summarize(mine, skipped), ran, interrupted };
}
