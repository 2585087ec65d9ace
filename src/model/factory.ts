// One entry point for stages: the `model` section of the run config in, a provider out,
// wrapped in the response cache (openai only: the oracle and replay cost nothing to ask again)
// and in a usage meter whose per-stage snapshot the run store saves.
import type { Command } from "commander";
import type { SwerlConfig } from "../config/schema.js";
import { CachedProvider, defaultCacheDir, ResponseCache } from "./cache.js";
import { OpenAIProvider } from "./openai-provider.js";
import { OracleProvider, type OracleAnswerBuilder, type OracleLookup } from "./oracle.js";
import { ReplayProvider } from "./replay.js";
import type { BackoffOptions } from "./retry.js";
import type { ModelProvider, ModelRequest, ModelResult, ProviderKind } from "./types.js";
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
}

/** A provider plus what the run keeps about its calls. */
export interface ModelClient extends ModelProvider {
  readonly usage: UsageMeter;
  /** The provider under the cache and meter (e.g. to read replica counts). */
  readonly inner: ModelProvider;
  /** Set when the response cache is on. */
  readonly cacheDir?: string;
}

class MeteredProvider implements ModelClient {
  readonly name: string;
  readonly kind: ProviderKind;
  readonly usage = new UsageMeter();

  constructor(private readonly outer: ModelProvider, readonly inner: ModelProvider, readonly cacheDir?: string) {
    this.name = outer.name;
    this.kind = outer.kind;
  }

  async complete(req: ModelRequest): Promise<ModelResult> {
    const end = this.usage.begin(req.stage);
    let result: ModelResult | undefined;
    try {
      result = await this.outer.complete(req);
      return result;
    } finally {
      end(result);
    }
  }
}

/** Model dependencies from a command's options: `--no-cache` (see addNoCacheOption). */
export const noCacheFromOptions = (opts: { cache?: boolean }): Pick<ModelDeps, "noCache"> => ({ noCache: opts.cache === false });

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
        backoff: deps.backoff,
      });
      break;
    case "oracle":
      if (!deps.oracleLookup) throw new Error("model.provider oracle needs the instances' gold patches (no oracle lookup was given)");
      inner = new OracleProvider(deps.oracleLookup, config.oracle, deps.oracleStageAnswers);
      break;
    case "replay":
      if (!config.replay_file) throw new Error("model.provider replay needs model.replay_file (the samples JSONL of an earlier run)");
      inner = new ReplayProvider(config.replay_file, config.name === "default" ? undefined : config.name);
      break;
  }
  const useCache = inner.kind === "openai" && config.cache && !deps.noCache;
  if (!useCache) return new MeteredProvider(inner, inner);
  const dir = deps.cacheDir ?? defaultCacheDir();
  return new MeteredProvider(new CachedProvider(inner, new ResponseCache(dir)), inner, dir);
}
