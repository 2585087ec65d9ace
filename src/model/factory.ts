// One entry point for stages: the `model` section of the run config in, a provider out,
// wrapped in the response cache (openai only: the oracle and replay cost nothing to ask again)
// and in a usage meter whose per-stage snapshot the run store saves. The meter also gives up
// on a stage whose first answers all failed (a wrong URL or served name, a server that rejects
// every request): the stage's remaining calls end as "interrupted" and the caller raises.
import type { Command } from "commander";
import type { SwerlConfig } from "../config/schema.js";
import { CachedProvider, defaultCacheDir, ResponseCache, type CacheIdentity } from "./cache.js";
import { OpenAIProvider } from "./openai-provider.js";
import { OracleProvider, type OracleAnswerBuilder, type OracleLookup } from "./oracle.js";
import { ReplayProvider } from "./replay.js";
import type { BackoffOptions } from "./retry.js";
import { log } from "../log/logger.js";
import {
  completeSamples,
  type BatchHooks,
  type ModelProvider,
  type ModelRequest,
  type ModelResult,
  type ProviderKind,
} from "./types.js";
import { UsageMeter } from "./usage.js";

export type ModelConfig = SwerlConfig["model"];

export interface ModelDeps {
  /** --no-cache: neither read nor write the response cache (config `model.cache: false` does the same). */
  noCache?: boolean;
  /** Cache directory (default SWERL_CACHE_DIR, else ~/.cache/swerl/model). */
  cacheDir?: string;
  /** Oracle: the gold patch and original files of an instance. Required for provider "oracle". */
  oracleLookup?: OracleLookup;
  /** Oracle: answer builders for stages other than localize/repair, by stage name. */
  oracleStageAnswers?: Record<string, OracleAnswerBuilder>;
  /** Environment to read the API key from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Retry waits (tests shorten them). */
  backoff?: Partial<BackoffOptions>;
  /** The run the answers are for: cache entries say so, and hits from other runs are counted. */
  runId?: string;
}

/** A provider plus what the run keeps about its calls. */
export interface ModelClient extends ModelProvider {
  readonly usage: UsageMeter;
  /** The provider under the cache and meter (e.g. to read replica counts). */
  readonly inner: ModelProvider;
  /** Set when the response cache is on. */
  readonly cacheDir?: string;
  /** Check the servers before any sample (openai: GET /models, served name, context length); a no-op elsewhere. */
  preflight(): Promise<void>;
  /** Why a stage was given up (its first answers all failed), or undefined; no stage: any stage. */
  stageFailure(stage?: string): string | undefined;
  /** Ctrl-C: no new attempts or retries. */
  stop(): void;
}

/** A stage whose first this-many answers all failed is given up. */
export const GIVE_UP_AFTER = 50;

/** Raised by callers when the meter gave up on a stage: a model that cannot answer is not a result. */
export class ModelUnusableError extends Error {}

/** Throws ModelUnusableError when `client` gave up on a stage. */
export function assertModelAnswered(client: ModelClient): void {
  const why = client.stageFailure();
  if (why) throw new ModelUnusableError(why);
}

class MeteredProvider implements ModelClient {
  readonly name: string;
  readonly kind: ProviderKind;
  readonly usage = new UsageMeter();
  /** Per stage: answers seen while all failed so far (null once one succeeded), and the verdict. */
  private readonly early = new Map<string, { failed: number; reasons: Record<string, number> } | null>();
  private readonly gaveUp = new Map<string, string>();

  constructor(
    private readonly outer: ModelProvider,
    readonly inner: ModelProvider,
    readonly cacheDir?: string,
  ) {
    this.name = outer.name;
    this.kind = outer.kind;
  }

  async preflight(): Promise<void> {
    const p = this.inner as { preflight?: () => Promise<unknown> };
    if (p.preflight) await p.preflight();
  }

  stop(): void {
    (this.inner as { stop?: () => void }).stop?.();
  }

  stageFailure(stage?: string): string | undefined {
    if (stage !== undefined) return this.gaveUp.get(stage);
    const [first] = this.gaveUp;
    return first ? `stage ${first[0]}: ${first[1]}` : undefined;
  }

  complete(req: ModelRequest): Promise<ModelResult> {
    return this.completeBatch(req, [req.sampleIndex]).then((r) => r[0]!);
  }

  async completeBatch(req: ModelRequest, sampleIndices: readonly number[], hooks?: BatchHooks): Promise<ModelResult[]> {
    const given = this.gaveUp.get(req.stage);
    if (given) return sampleIndices.map(() => ({ ok: false, reason: "interrupted", message: given, latencyMs: 0 }));
    const ends = sampleIndices.map(() => this.usage.begin(req.stage));
    let results: ModelResult[] | undefined;
    try {
      results = await completeSamples(this.outer, req, sampleIndices, hooks);
      for (const r of results) this.watch(req.stage, r);
      return results;
    } finally {
      ends.forEach((end, i) => end(results?.[i]));
    }
  }

  private watch(stage: string, r: ModelResult): void {
    if (r.ok) {
      this.early.set(stage, null);
      return;
    }
    if (r.reason === "interrupted") return;
    let e = this.early.get(stage);
    if (e === null) return;
    if (!e) this.early.set(stage, (e = { failed: 0, reasons: {} }));
    e.failed++;
    e.reasons[r.reason] = (e.reasons[r.reason] ?? 0) + 1;
    if (e.failed >= GIVE_UP_AFTER && !this.gaveUp.has(stage)) {
      const reasons = Object.entries(e.reasons)
        .map(([k, v]) => `${k} ×${v}`)
        .join(", ");
      this.gaveUp.set(
        stage,
        `the first ${e.failed} model answers all failed (${reasons}; last: ${r.message.slice(0, 300)}); stopped asking`,
      );
      log.error(`${stage}: ${this.gaveUp.get(stage)}`);
    }
  }
}

/** Model dependencies from a command's options: `--no-cache` (see addNoCacheOption). */
export const noCacheFromOptions = (opts: { cache?: boolean }): Pick<ModelDeps, "noCache"> => ({
  noCache: opts.cache === false,
});

/** Add `--no-cache` to a stage command (commander sets `cache: false` when given). */
export function addNoCacheOption<T extends Command>(cmd: T): T {
  cmd.option("--no-cache", "neither read nor write the model response cache");
  return cmd;
}

export function apiKeyFrom(config: ModelConfig, env: NodeJS.ProcessEnv = process.env): string {
  const key = env[config.api_key_env];
  return key && key.trim() !== "" ? key : "EMPTY"; // vLLM/SGLang/TGI accept any key
}

export function createModelProvider(config: ModelConfig, deps: ModelDeps = {}): ModelClient {
  let inner: ModelProvider;
  switch (config.provider) {
    case "openai":
      inner = new OpenAIProvider({
        model: config.name,
        baseUrls: config.base_urls,
        apiKey: apiKeyFrom(config, deps.env),
        concurrency: config.concurrency,
        timeoutMs: config.timeout_s * 1000,
        maxRetries: config.max_retries,
        maxN: config.max_n,
        extraBody: config.extra_body,
        tokenParam: config.token_param,
        stream: config.stream,
        backoff: deps.backoff,
      });
      break;
    case "oracle":
      if (!deps.oracleLookup)
        throw new Error("model.provider oracle needs the instances' gold patches (no oracle lookup was given)");
      inner = new OracleProvider(deps.oracleLookup, config.oracle, deps.oracleStageAnswers);
      break;
    case "replay":
      if (!config.replay_file)
        throw new Error("model.provider replay needs model.replay_file (the samples JSONL of an earlier run)");
      inner = new ReplayProvider(config.replay_file, config.name === "default" ? undefined : config.name);
      break;
  }
  const useCache = inner.kind === "openai" && config.cache && !deps.noCache;
  const metered = (outer: ModelProvider, dir?: string): MeteredProvider => {
    const m = new MeteredProvider(outer, inner, dir);
    if (inner instanceof OpenAIProvider) inner.stageGivenUp = (stage) => m.stageFailure(stage);
    return m;
  };
  if (!useCache) return metered(inner);
  const dir = deps.cacheDir ?? defaultCacheDir();
  const served = inner as OpenAIProvider;
  const identity = (): CacheIdentity => ({
    root: served.served?.root ?? null,
    max_model_len: served.served?.maxModelLen ?? null,
    revision: config.revision ?? null,
    extra_body: config.extra_body ?? null,
    token_param: config.token_param,
  });
  return metered(new CachedProvider(inner, new ResponseCache(dir), identity, deps.runId), dir);
}
