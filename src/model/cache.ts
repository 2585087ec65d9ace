// Response cache on disk: one JSON file per answer, <dir>/<key[0..2]>/<key>.json, written via
// temp + rename. The key covers what changes the answer (provider kind, served name, the
// checkpoint behind it as the server reports it plus model.revision, messages, sampling params,
// extra body fields, sample index) and nothing that does not (URLs, concurrency, retries,
// timeouts, how samples were grouped into n-choice requests), so a rerun on other replicas or
// with other transport settings reuses it, and a second checkpoint under the same served name
// does not. Failed calls and empty answers are never stored; identical calls in flight share
// one call.
import { mkdir, readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { log } from "../log/logger.js";
import { writeFileAtomic } from "../store/atomic.js";
import { hashValue } from "../store/hash.js";
import {
  completeSamples,
  type BatchHooks,
  type ModelProvider,
  type ModelRequest,
  type ModelResult,
  type ProviderKind,
  type TokenUsage,
} from "./types.js";

const CACHE_FORMAT = 2;

export function defaultCacheDir(): string {
  if (process.env.SWERL_CACHE_DIR) return process.env.SWERL_CACHE_DIR;
  return join(process.env.SWERL_HOME ?? join(homedir(), ".cache", "swerl"), "model");
}

/**
 * Besides the request: which checkpoint answers (the server's `root` for the served name, the
 * context length that clamps max_tokens, model.revision) and the request fields set by config.
 */
export interface CacheIdentity {
  root: string | null;
  max_model_len: number | null;
  revision: string | null;
  extra_body: Record<string, unknown> | null;
  token_param: string;
}

/** What decides the answer, and only that. */
export function cacheKey(
  kind: ProviderKind,
  model: string,
  req: ModelRequest,
  identity: CacheIdentity | null = null,
): string {
  const p = req.params;
  return hashValue({
    format: CACHE_FORMAT,
    kind,
    model,
    identity,
    messages: req.messages.map((m) => ({ role: m.role, content: m.content })),
    params: {
      temperature: p.temperature,
      top_p: p.top_p,
      max_tokens: p.max_tokens,
      seed: p.seed ?? null,
      stop: p.stop && p.stop.length > 0 ? p.stop : null,
    },
    sample_index: req.sampleIndex,
  });
}

export const CACHE_FILE_PATTERN = /^[0-9a-f]{64}\.json$/;
export const CACHE_SUBDIR_PATTERN = /^[0-9a-f]{2}$/;

export const cacheEntryPath = (dir: string, key: string): string => join(dir, key.slice(0, 2), `${key}.json`);

interface CacheEntry {
  format: number;
  key: string;
  kind: ProviderKind;
  model: string;
  created_at: string;
  text: string;
  usage: TokenUsage;
  finish_reason?: string;
  /** For people reading the cache; not part of the key. */
  origin: { instance_id: string; stage: string; sample_index: number; run_id?: string; root?: string | null };
}

export class ResponseCache {
  constructor(readonly dir: string = defaultCacheDir()) {}

  async get(key: string): Promise<CacheEntry | undefined> {
    const path = cacheEntryPath(this.dir, key);
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw err;
    }
    try {
      const entry = JSON.parse(text) as CacheEntry;
      if (entry.format === CACHE_FORMAT && entry.key === key && typeof entry.text === "string") return entry;
    } catch {
      /* fall through */
    }
    log.warn(`model cache: ignoring unreadable entry ${path}`);
    return undefined;
  }

  async put(entry: CacheEntry): Promise<void> {
    const path = cacheEntryPath(this.dir, entry.key);
    await mkdir(join(this.dir, entry.key.slice(0, 2)), { recursive: true });
    await writeFileAtomic(path, JSON.stringify(entry) + "\n");
  }
}

/** `inner` behind the disk cache and in-flight de-duplication. */
export class CachedProvider implements ModelProvider {
  readonly name: string;
  readonly kind: ProviderKind;
  private readonly inFlight = new Map<string, Promise<ModelResult>>();

  /**
   * `identity` is read at each call (the served model is known only after preflight);
   * `runId` marks the entries this run writes, so hits from other runs can be told apart.
   */
  constructor(
    private readonly inner: ModelProvider,
    readonly cache: ResponseCache,
    private readonly identity: () => CacheIdentity | null = () => null,
    private readonly runId?: string,
  ) {
    this.name = inner.name;
    this.kind = inner.kind;
  }

  complete(req: ModelRequest): Promise<ModelResult> {
    return this.completeBatch(req, [req.sampleIndex]).then((r) => r[0]!);
  }

  /** Each sample looked up on its own; the misses asked together (n choices where the provider can). */
  async completeBatch(req: ModelRequest, sampleIndices: readonly number[], hooks?: BatchHooks): Promise<ModelResult[]> {
    const started = performance.now();
    const identity = this.identity();
    const results: Array<Promise<ModelResult>> = [];
    const misses: Array<{ index: number; key: string; req: ModelRequest; settle: (r: ModelResult) => void }> = [];
    for (const s of sampleIndices) {
      const one = { ...req, sampleIndex: s };
      const key = cacheKey(this.kind, this.name, one, identity);
      const shared = this.inFlight.get(key);
      if (shared) {
        results.push(shared.then((r) => (r.ok ? { ...r, cached: true, latencyMs: performance.now() - started } : r)));
        continue;
      }
      let settle!: (r: ModelResult) => void;
      const p = new Promise<ModelResult>((resolve) => {
        settle = resolve;
      });
      this.inFlight.set(key, p);
      void p.finally(() => this.inFlight.delete(key));
      results.push(p);
      misses.push({ index: s, key, req: one, settle });
    }
    if (misses.length > 0) await this.lookupOrCall(req, misses, started, hooks);
    return Promise.all(results);
  }

  private async lookupOrCall(
    req: ModelRequest,
    misses: Array<{ index: number; key: string; req: ModelRequest; settle: (r: ModelResult) => void }>,
    started: number,
    hooks?: BatchHooks,
  ): Promise<void> {
    const hits = await Promise.all(
      misses.map((m) =>
        this.cache.get(m.key).catch((err: unknown) => {
          log.warn(`model cache: read failed, calling the model: ${err instanceof Error ? err.message : String(err)}`);
          return undefined;
        }),
      ),
    );
    const ask: typeof misses = [];
    misses.forEach((m, i) => {
      const hit = hits[i];
      if (!hit) {
        ask.push(m);
        return;
      }
      const from = hit.origin?.run_id;
      hooks?.onSampleDone?.(m.index);
      m.settle({
        ok: true,
        text: hit.text,
        usage: hit.usage,
        latencyMs: performance.now() - started,
        cached: true,
        ...(hit.finish_reason !== undefined ? { finishReason: hit.finish_reason } : {}),
        ...(from !== undefined && from !== this.runId ? { cachedFromRun: from } : {}),
      });
    });
    if (ask.length === 0) return;
    let answers: ModelResult[];
    try {
      answers = await completeSamples(
        this.inner,
        req,
        ask.map((m) => m.index),
        hooks,
      );
    } catch (err) {
      const failed: ModelResult = {
        ok: false,
        reason: "exception",
        message: (err as Error).message,
        latencyMs: performance.now() - started,
      };
      answers = ask.map(() => failed);
    }
    const root = this.identity()?.root ?? null;
    await Promise.all(
      ask.map(async (m, i) => {
        const result = answers[i]!;
        if (result.ok && result.text.trim() !== "") {
          await this.cache
            .put({
              format: CACHE_FORMAT,
              key: m.key,
              kind: this.kind,
              model: this.name,
              created_at: new Date().toISOString(),
              text: result.text,
              usage: result.usage,
              ...(result.finishReason !== undefined ? { finish_reason: result.finishReason } : {}),
              origin: {
                instance_id: m.req.instanceId,
                stage: m.req.stage,
                sample_index: m.index,
                ...(this.runId ? { run_id: this.runId } : {}),
                root,
              },
            })
            .catch((err: unknown) =>
              log.warn(`model cache: write failed: ${err instanceof Error ? err.message : String(err)}`),
            );
        }
        m.settle(result);
      }),
    );
  }
}
