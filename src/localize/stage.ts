// The localization stage: for every instance, the tree-sitter map of the repository at
// base_commit, then k samples, each one prompt (SWE-RL's, over the listing) and one model
// request, its answer parsed into files of the listing, one record appended to
// localization.jsonl as soon as it is done. Samples already recorded are skipped (resume); a
// failed call is recorded and the run goes on. Maps are built one at a time (each uses every
// core), requests run concurrently.
import { rawOutputFields, type RawOutputStorage } from "../store/raw-output.js";
import pLimit from "p-limit";
import type { Instance } from "../dataset/schema.js";
import { log } from "../log/logger.js";
import { startProgress } from "../log/progress.js";
import { groupIdenticalRequests, SampleQueue } from "../model/sample-queue.js";
import type { ModelProvider, ModelRequest, ModelResult, SamplingParams } from "../model/types.js";
import { InstanceSkipped } from "../stage-common/instance-skipped.js";
import { availableParallelism } from "node:os";
import { mapCommit, type MapOptions } from "../repomap/build.js";
import { ParsePool } from "../repomap/pool.js";
import { structureFiles } from "../repomap/render.js";
import { codeListingFiles } from "../repomap/code-render.js";
import { isCodeLanguage, specLanguage, detectLanguage } from "../language/instance-language.js";
import type { RunStore } from "../store/run-store.js";
import { writeJsonAtomic } from "../store/atomic.js";
import { localizationMetrics } from "../records/localization-metrics.js";
import { parseLocalizationOutput, parseLocalizationStrict, type ParseContext } from "./parse.js";
import {
  buildLocalizationPrompt,
  listingFilters,
  localizationMessages,
  promptHash,
  promptSettings,
  type PromptSettings,
} from "./prompt.js";
import {
  consolidateLocations,
  latestLocalizeRecords,
  LOCALIZATION_FILE,
  LOCALIZE_STAGE,
  recordKey,
  summarize,
  type LocalizeRecord,
  type LocalizeSummary,
} from "../records/localization.js";
import type { InstanceRepos } from "./repos.js";

export interface LocalizeStageOptions {
  run: RunStore;
  /** How records keep the model's answers (model.raw_output; default gzip). */
  rawOutput?: RawOutputStorage;
  instances: readonly Instance[];
  provider: ModelProvider;
  /** Where each instance's repository is read from. */
  repos: InstanceRepos;
  /** k: samples per instance (1: greedy). */
  samples: number;
  /** n of the greedy prompt and the top of the sampled range (SWE-RL: 5). */
  maxFiles: number;
  params: SamplingParams;
  /** Seed of the sampled prompts' n, indent and shuffle. */
  seed: number;
  /** Sequences in flight at once (a request with n choices counts n). */
  concurrency: number;
  /** Most samples asked in one request (n); default 16. */
  maxN?: number;
  /** Repo map options (cache directory, workers). */
  map?: MapOptions;
  /** localize.parser (default tolerant); `thinking`: answers in the <solution> format (strict reads that part). */
  parser?: "strict" | "tolerant";
  thinking?: boolean;
  /** Run again the samples whose latest record is a failed model call. */
  retryFailed?: boolean;
  /** Checked before each sample starts: true stops starting new ones (interrupt). */
  shouldStop?: () => boolean;
}

export interface LocalizeStageResult {
  summary: LocalizeSummary;
  ran: number;
  interrupted: boolean;
}

interface SamplePrompt {
  sample: number;
  settings: PromptSettings;
  prompt: string;
}

/** Instances mapped and prompted ahead of the request queue. */
const PREPARE_AHEAD = 2;

/** The consolidated sets of the run, next to its records. */
export const LOCATION_SETS_FILE = "localization_sets.json";

export async function runLocalizeStage(o: LocalizeStageOptions): Promise<LocalizeStageResult> {
  const latest = await latestLocalizeRecords(o.run);
  const needsRun = (id: string, s: number): boolean => {
    const r = latest.get(recordKey(id, s));
    return !r || (o.retryFailed === true && r.status === "model_error");
  };
  const todo = new Map(
    o.instances.map((inst) => [
      inst.instance_id,
      Array.from({ length: o.samples }, (_, s) => s).filter((s) => needsRun(inst.instance_id, s)),
    ]),
  );
  const total = [...todo.values()].reduce((n, list) => n + list.length, 0);
  const progress = startProgress("localize", total);
  const mapLimit = pLimit(1);
  // Several instances to map: one parse pool for all of them, so its threads start once and
  // stay warm (a second commit of a repo then parses its changed files on warm workers).
  const toMap = o.instances.filter((i) => todo.get(i.instance_id)!.length > 0).length;
  let sharedPool: Promise<ParsePool> | undefined;
  const mapOptions = (): Promise<MapOptions> => {
    if (o.map?.pool || toMap < 2 || o.map?.workers === 0) return Promise.resolve(o.map ?? {});
    sharedPool ??= ParsePool.create(o.map?.workers ?? availableParallelism(), o.map?.mode ?? "skeleton");
    return sharedPool.then((pool) => ({ ...o.map, pool }));
  };
  // One queue for all instances; maps are built one at a time ahead of it.
  const queue = new SampleQueue(o.provider, o.concurrency, o.maxN ?? 16, () => o.shouldStop?.() ?? false);
  const prepareAhead = pLimit(PREPARE_AHEAD);
  const skipped: Record<string, string> = {};
  let ran = 0;
  let interrupted = false;

  const prepare = async (
    inst: Instance,
    samples: number[],
  ): Promise<{ ctx: Omit<ParseContext, "maxFiles">; prompts: SamplePrompt[] }> => {
    const gitDir = await o.repos.gitDir(inst);
    // The repo's language (spec tables, else its files): another language's repo gets a code map and its listing.
    const known = specLanguage(inst);
    const languageOf = (paths: readonly string[]) => {
      const l = known ?? detectLanguage(paths);
      return isCodeLanguage(l) ? l : undefined;
    };
    const map = await mapLimit(async () =>
      mapCommit(gitDir, inst.base_commit, { ...(await mapOptions()), languageOf }),
    );
    const listed = new Set(
      map.language ? codeListingFiles(map, { family: map.language }) : structureFiles(map, listingFilters(inst.repo)),
    );
    if (listed.size === 0) {
      throw new InstanceSkipped(
        `the listing at ${inst.base_commit} is empty (no ${map.language ? `${map.language} source file` : ".py file"} outside tests)`,
      );
    }
    const prompts = samples.map((sample) => {
      const settings = promptSettings({
        seed: o.seed,
        instanceId: inst.instance_id,
        sample,
        samples: o.samples,
        maxFiles: o.maxFiles,
      });
      return { sample, settings, prompt: buildLocalizationPrompt(map, inst.repo, inst.problem_statement, settings) };
    });
    return { ctx: { listed, repoFiles: new Set(map.files.map((f) => f.path)), repo: inst.repo }, prompts };
  };

  const requestOf = (inst: Instance, p: SamplePrompt): ModelRequest => ({
    messages: localizationMessages(p.prompt),
    sampleIndex: p.sample,
    instanceId: inst.instance_id,
    stage: LOCALIZE_STAGE,
    params: o.params,
  });

  const record = async (
    inst: Instance,
    ctx: Omit<ParseContext, "maxFiles">,
    p: SamplePrompt,
    result: ModelResult,
  ): Promise<void> => {
    if (!result.ok && (result.reason === "interrupted" || o.shouldStop?.())) {
      interrupted = true;
      return;
    } // asked again on resume
    const messages = localizationMessages(p.prompt);
    const parsed = !result.ok
      ? null
      : o.parser === "strict"
        ? parseLocalizationStrict(result.text, ctx.listed, o.thinking ?? false)
        : parseLocalizationOutput(result.text, { ...ctx, maxFiles: p.settings.n });
    const record: LocalizeRecord = {
      instance_id: inst.instance_id,
      stage: LOCALIZE_STAGE,
      sample: p.sample,
      model: o.provider.name,
      provider: o.provider.kind,
      greedy: p.settings.greedy,
      n: p.settings.n,
      indent: p.settings.indent,
      shuffle_seed: p.settings.shuffleSeed,
      prompt_hash: promptHash(messages),
      listed_files: ctx.listed.size,
      found_files: parsed ? parsed.found_files : null,
      ...rawOutputFields(result.ok ? result.text : null, o.rawOutput),
      status: parsed ? parsed.status : "model_error",
      error: parsed ? parsed.error : `model call failed: ${result.ok ? "" : `${result.reason}: ${result.message}`}`,
      model_error: result.ok ? null : result.reason,
      thinking: parsed?.thinking ?? null,
      fenced: parsed?.fenced ?? null,
      dropped: parsed?.dropped ?? [],
      notes: parsed?.notes ?? [],
      usage: result.ok ? result.usage : { prompt_tokens: 0, completion_tokens: 0 },
      latency_ms: Math.round(result.latencyMs),
      cached: result.ok ? result.cached : false,
      attempts: result.attempts ?? null,
      finish_reason: result.ok ? (result.finishReason ?? null) : null,
      oracle_variant: result.ok ? (result.oracleVariant ?? null) : null,
      created_at: new Date().toISOString(),
    };
    await o.run.append(LOCALIZATION_FILE, record);
    latest.set(recordKey(inst.instance_id, p.sample), record);
    ran++;
    progress.tick(record.status === "ok" ? "ok" : "error", { truncated: record.finish_reason === "length" });
  };

  try {
    await Promise.all(
      o.instances.map(async (inst) => {
        const samples = todo.get(inst.instance_id)!;
        if (samples.length === 0) return;
        // held until the instance's requests are all sent (the completion promise is wrapped so the slot is not held for it)
        const pending = await prepareAhead(async (): Promise<{ done: Promise<void> } | undefined> => {
          if (o.shouldStop?.()) {
            interrupted = true;
            return;
          }
          let prepared;
          try {
            prepared = await prepare(inst, samples);
          } catch (err) {
            const why =
              err instanceof InstanceSkipped ? err.message : `preparing the instance failed: ${(err as Error).message}`;
            skipped[inst.instance_id] = why;
            (err instanceof InstanceSkipped ? log.warn : log.error)(`localize: skipping ${inst.instance_id}: ${why}`);
            for (let k = 0; k < samples.length; k++) progress.tick("error");
            return;
          }
          const { ctx, prompts } = prepared;
          const bySample = new Map(prompts.map((p) => [p.sample, p]));
          const groups = groupIdenticalRequests(prompts.map((p) => ({ sample: p.sample, req: requestOf(inst, p) })));
          const submitted = groups.map((g) =>
            queue.submit(g.req, g.samples, (s, result) => record(inst, ctx, bySample.get(s)!, result)),
          );
          await Promise.all(submitted.map((x) => x.sent));
          return { done: Promise.all(submitted.map((x) => x.done)).then(() => {}) };
        });
        await pending?.done;
      }),
    );
  } finally {
    if (sharedPool) await (await sharedPool).close();
  }
  progress.stop();

  const ids = new Set(o.instances.map((i) => i.instance_id));
  const mine = [...latest.values()].filter((r) => ids.has(r.instance_id));
  await writeJsonAtomic(o.run.path(LOCATION_SETS_FILE), consolidateLocations(latest.values()));
  const metrics = localizationMetrics(mine, o.instances);
  return { summary: summarize(mine, metrics, skipped), ran, interrupted };
}
