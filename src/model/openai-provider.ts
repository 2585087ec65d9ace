// The real model: chat completions on any OpenAI-compatible server (vLLM, SGLang, TGI, OpenAI).
// Replicas are picked by load; at most `concurrency` sequences are in flight (a request with
// n choices counts n); failed attempts are retried here (the openai package's own retries are
// off). Samples that share one request body go out as one request with n = k (≤ maxN).
// Timeouts: undici's header/body timeouts follow `timeoutMs` (its 300 s default would end any
// longer generation), and our own clock starts when the request is sent, not while it waits
// for a slot here. A timed-out generation is retried once at most; timeouts and 429s never
// count against a server's health (only connection errors, bad bodies and 5xx do).
// Streamed (`stream`): the clock is idle time (no event for timeoutMs), and each choice of an
// n-choice request gives its sequence slot back as it ends, not when the longest one does.
import OpenAI from "openai";
import { Agent, fetch as undiciFetch } from "undici";
import { clampMaxTokens, roomFromContextError } from "./context-clamp.js";
import { wrapErrorBodies } from "./error-bodies.js";
import { ReplicaPool, type ReplicaHealthOptions, type ReplicaStats } from "./replicas.js";
import { attemptCompletion, serverSide, type Outcome } from "./openai-attempt.js";
import { backoffDelay, defaultBackoff, type BackoffOptions } from "./retry.js";
import { fetchServedModel, mergeServed, type ServedModel } from "./served-model.js";
import { WeightedLimit } from "./slots.js";
import type { BatchHooks, ModelProvider, ModelRequest, ModelResult } from "./types.js";

export interface OpenAIProviderOptions {
  model: string;
  /** Servers: a URL, or {url, concurrency} for a server with its own limit of sequences in flight. */
  baseUrls: Array<string | { url: string; concurrency?: number }>;
  apiKey: string;
  /** Sequences (choices) in flight at once, over all replicas. */
  concurrency: number;
  /** Per attempt, from sending the request to the end of its body. */
  timeoutMs: number;
  /** Retries after the first attempt (a timeout is retried once at most). */
  maxRetries: number;
  /** Most choices in one request (default 16). */
  maxN?: number;
  /** Fields added to every request body (e.g. chat_template_kwargs, top_k, min_p). */
  extraBody?: Record<string, unknown>;
  /** Ask for server-sent events (stream: true) and put the answer back together. */
  stream?: boolean;
  /** The body field that carries the completion budget (default max_tokens). */
  tokenParam?: "max_tokens" | "max_completion_tokens";
  backoff?: Partial<BackoffOptions>;
  /** Fetch for the client (tests); default undici's, with timeouts from timeoutMs. */
  fetch?: typeof fetch;
  /** Pausing and probing failing servers (tests shorten the intervals). */
  health?: Omit<ReplicaHealthOptions, "probe" | "names">;
}

const MAX_TIMEOUT_ATTEMPTS = 2;

export class OpenAIProvider implements ModelProvider {
  readonly kind = "openai" as const;
  readonly name: string;
  readonly replicas: ReplicaPool<{ baseUrl: string; client: OpenAI }>;
  /** What GET /models said (after preflight). */
  served: ServedModel | null = null;
  /** Checked before each attempt: a stage given up sends nothing more (set by the factory's meter). */
  stageGivenUp: (stage: string) => string | undefined = () => undefined;
  private readonly limit: WeightedLimit;
  private readonly backoff: BackoffOptions;
  private readonly doFetch: typeof fetch;
  private readonly agent?: Agent;
  private readonly urls: string[];
  private stopped = false;
  private readonly onStop = new Set<() => void>();

  constructor(private readonly opts: OpenAIProviderOptions) {
    this.name = opts.model;
    const servers = opts.baseUrls.map((b) => (typeof b === "string" ? { url: b, concurrency: undefined } : b));
    for (const { url } of servers) {
      if (!/^https?:\/\//.test(url)) throw new Error(`model.base_urls: "${url}" is not an http(s) URL`);
    }
    this.urls = servers.map((s) => s.url);
    if (!opts.fetch) {
      const t = opts.timeoutMs + 1000; // ours fires first and says "timeout"
      this.agent = new Agent({ headersTimeout: t, bodyTimeout: t, keepAliveTimeout: 30_000 });
      const agent = this.agent;
      this.doFetch = ((input: string | URL | Request, init?: RequestInit) =>
        undiciFetch(input as never, { ...(init as object), dispatcher: agent } as never)) as unknown as typeof fetch;
    } else {
      this.doFetch = opts.fetch;
    }
    const doFetch = this.doFetch;
    this.replicas = new ReplicaPool(
      servers.map(({ url }) => ({
        baseUrl: url,
        client: new OpenAI({
          baseURL: url,
          apiKey: opts.apiKey,
          maxRetries: 0,
          timeout: opts.timeoutMs + 2000,
          fetch: wrapErrorBodies(doFetch),
        }),
      })),
      servers.map((s) => s.concurrency),
      {
        ...opts.health,
        names: this.urls,
        probe: async (i) => {
          const res = await doFetch(`${this.urls[i]!.replace(/\/$/, "")}/models`, {
            headers: { authorization: `Bearer ${opts.apiKey}` },
            signal: AbortSignal.timeout(5000),
          });
          await res.body?.cancel();
          return res.ok;
        },
      },
    );
    this.limit = new WeightedLimit(opts.concurrency);
    this.backoff = { ...defaultBackoff, ...opts.backoff };
  }

  /** Every server answers GET /models and serves `model` (else a ConfigError); keeps its identity and context length. */
  async preflight(): Promise<ServedModel> {
    const served = await Promise.all(
      this.urls.map((u) => fetchServedModel(u, this.opts.model, this.opts.apiKey, this.doFetch)),
    );
    this.served = mergeServed(this.urls, served);
    return this.served;
  }

  /** Per server (in base_urls order): calls, failures, pauses. */
  serverStats(): Array<ReplicaStats & { url: string }> {
    return this.replicas.stats().map((st, i) => ({ url: this.urls[i]!, ...st }));
  }

  /** Ctrl-C: no new attempt and no retry from now on (attempts in flight finish). */
  stop(): void {
    this.stopped = true;
    for (const wake of this.onStop) wake();
  }

  /** Stop probing paused servers and close idle sockets. */
  close(): void {
    this.replicas.close();
    void this.agent?.close().catch(() => {});
  }

  /** Sequences in flight / requests waiting for room right now. */
  get activeCount(): number {
    return this.limit.inUse;
  }
  get pendingCount(): number {
    return this.limit.waiting;
  }

  async complete(req: ModelRequest): Promise<ModelResult> {
    return (await this.call(req, [req.sampleIndex]))[0]!;
  }

  /** The samples `sampleIndices` of one request body, in requests of at most maxN choices. */
  async completeBatch(req: ModelRequest, sampleIndices: readonly number[], hooks?: BatchHooks): Promise<ModelResult[]> {
    const maxN = Math.max(1, this.opts.maxN ?? 16);
    const chunks: number[][] = [];
    for (let i = 0; i < sampleIndices.length; i += maxN) chunks.push(sampleIndices.slice(i, i + maxN));
    return (await Promise.all(chunks.map((c) => this.call(req, c, hooks)))).flat();
  }

  private fail(n: number, reason: ModelResult & { ok: false }): ModelResult[] {
    return Array.from({ length: n }, () => ({ ...reason }));
  }

  private async call(req: ModelRequest, indices: readonly number[], hooks?: BatchHooks): Promise<ModelResult[]> {
    const started = performance.now();
    const n = indices.length;
    let lastReplica: number | undefined;
    let maxTokens = clampMaxTokens(req.messages, req.params.max_tokens, this.served?.maxModelLen ?? null);
    let timeouts = 0;
    let reclamped = false;
    for (let attempt = 1; ; attempt++) {
      const release = await this.limit.acquire(n);
      const cancelled = this.stopped ? "interrupted before the call" : this.stageGivenUp(req.stage);
      if (cancelled) {
        release();
        return this.fail(n, {
          ok: false,
          reason: "interrupted",
          message: cancelled,
          latencyMs: performance.now() - started,
          attempts: attempt - 1,
        });
      }
      let outcome: Outcome;
      try {
        const { index, replica, release: releaseReplica } = await this.replicas.acquire(lastReplica, n);
        lastReplica = index;
        try {
          // a streamed choice that ends gives its slots back at once (here, on the server, in the caller's queue)
          const onChoiceDone = (k: number) => {
            release(1);
            releaseReplica(1);
            hooks?.onSampleDone?.(indices[k]!);
          };
          outcome = await attemptCompletion(
            replica.client,
            this.opts,
            req,
            indices,
            maxTokens,
            started,
            attempt,
            onChoiceDone,
          );
          this.replicas.report(
            index,
            outcome.ok ? "ok" : serverSide(outcome.failure) ? "server_failure" : "client_failure",
          );
        } finally {
          releaseReplica();
        }
      } finally {
        release();
      }
      if (outcome.ok) return outcome.results;
      const { failure } = outcome;
      if (failure.reason === "timeout") timeouts++;
      // a prompt that fits but leaves less room than max_tokens: once more with the room the server counted
      if (failure.reason === "context_length" && !reclamped) {
        const room = roomFromContextError(failure.message);
        if (room !== undefined && room < maxTokens) {
          reclamped = true;
          maxTokens = room;
          continue;
        }
      }
      if (!failure.retryable || attempt > this.opts.maxRetries || timeouts >= MAX_TIMEOUT_ATTEMPTS || this.stopped) {
        const tried = attempt > 1 ? ` (after ${attempt} attempts)` : "";
        const reason = this.stopped && failure.retryable ? "interrupted" : failure.reason;
        return this.fail(n, {
          ok: false,
          reason,
          message: `${failure.message}${tried}`,
          latencyMs: performance.now() - started,
          attempts: attempt,
        });
      }
      const delay = backoffDelay(attempt - 1, this.backoff, failure.retryAfterMs);
      // others keep away from the failing replica for a while, past this call's own retry
      if (lastReplica !== undefined && failure.reason !== "timeout") this.replicas.coolDown(lastReplica, 2 * delay);
      await this.sleep(delay);
    }
  }

  /** A backoff wait that Ctrl-C cuts short. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.onStop.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.onStop.add(done);
    });
  }
}
