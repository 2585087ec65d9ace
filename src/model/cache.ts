// Response cache on disk: one JSON file per answer, <dir>/<key[0..2]>/<key>.json, written via
// temp + rename. The key covers what changes the answer (provider kind, model, messages,
// sampling params, sample index) and nothing that does not (URLs, concurrency, retries,
// timeouts), so a rerun on other replicas or with other transport settings reuses it.
// Failed calls and empty answers are never stored; identical calls in flight share one call.
import { mkdir, readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { log } from "../log/logger.js";
import { writeFileAtomic } from "../store/atomic.js";
import { hashValue } from "../store/hash.js";
import type { ModelProvider, ModelRequest, ModelResult, ProviderKind, TokenUsage } from "./types.js";

const CACHE_FORMAT = 1;

export function defaultCacheDir(): string {
  if (process.env.SWERL_CACHE_DIR) return process.env.SWERL_CACHE_DIR;
  return join(process.env.SWERL_HOME ?? join(homedir(), ".cache", "swerl"), "model");
}

/** What decides the answer, and only that. */
export function cacheKey(kind: ProviderKind, model: string, req: ModelRequest): string {
  const p = req.params;
  return hashValue({
    format: CACHE_FORMAT,
    kind,
    model,
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
  origin: { instance_id: string; stage: string; sample_index: number };
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
    } catch { /* fall through */ }
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

  constructor(private readonly inner: ModelProvider, readonly cache: ResponseCache) {
    this.name = inner.name;
    this.kind = inner.kind;
  }

  async complete(req: ModelRequest): Promise<ModelResult> {
    const started = performance.now();
    const key = cacheKey(this.kind, this.name, req);
    const shared = this.inFlight.get(key);
    if (shared) {
      const result = await shared;
      return result.ok ? { ...result, cached: true, latencyMs: performance.now() - started } : result;
    }
    const call = this.lookupOrCall(key, req, started);
    this.inFlight.set(key, call);
    try {
      return await call;
    } finally {
      this.inFlight.delete(key);
    }
  }

  private async lookupOrCall(key: string, req: ModelRequest, started: number): Promise<ModelResult> {
    const hit = await this.cache.get(key).catch((err: unknown) => {
      log.warn(`model cache: read failed, calling the model: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    });
    if (hit) {
      return {
        ok: true, text: hit.text, usage: hit.usage, latencyMs: performance.now() - started, cached: true,
        ...(hit.finish_reason !== undefined ? { finishReason: hit.finish_reason } : {}),
      };
    }
    const result = await this.inner.complete(req);
    if (result.ok && result.text.trim() !== "") {
      await this.cache.put({
        format: CACHE_FORMAT, key, kind: this.kind, model: this.name, created_at: new Date().toISOString(),
        text: result.text, usage: result.usage,
        ...(result.finishReason !== undefined ? { finish_reason: result.finishReason } : {}),
        origin: { instance_id: req.instanceId, stage: req.stage, sample_index: req.sampleIndex },
      }).catch((err: unknown) => log.warn(`model cache: write failed: ${err instanceof Error ? err.message : String(err)}`));
    }
    return result;
  }
}
