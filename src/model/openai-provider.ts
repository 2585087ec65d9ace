// The real model: chat completions on any OpenAI-compatible server (vLLM, SGLang, TGI, OpenAI).
// Replicas are picked by load, at most `concurrency` attempts are in flight, and failed
// attempts are retried here (the openai package's own retries are off, so ours are the only ones).
import OpenAI from "openai";
import pLimit from "p-limit";
import { ReplicaPool, type ReplicaHealthOptions, type ReplicaStats } from "./replicas.js";
import { backoffDelay, classifyError, defaultBackoff, sleep, type BackoffOptions, type Classified } from "./retry.js";
import type { ModelProvider, ModelRequest, ModelResult } from "./types.js";

export interface OpenAIProviderOptions {
  model: string;
  /** Servers: a URL, or {url, concurrency} for a server with its own limit of calls in flight. */
  baseUrls: Array<string | { url: string; concurrency?: number }>;
  apiKey: string;
  /** Attempts in flight at once, over all replicas. */
  concurrency: number;
  /** Per attempt, covering the whole response (headers and body). */
  timeoutMs: number;
  /** Retries after the first attempt. */
  maxRetries: number;
  backoff?: Partial<BackoffOptions>;
  /** Extra fetch options for the client (tests). */
  fetch?: typeof fetch;
  /** Pausing and probing failing servers (tests shorten the intervals). */
  health?: Omit<ReplicaHealthOptions, "probe" | "names">;
}

interface Attempt { ok: true; result: ModelResult }
interface Failed { ok: false; failure: Classified }

class DeadlineExceeded extends Error {}

export class OpenAIProvider implements ModelProvider {
  readonly kind = "openai" as const;
  readonly name: string;
  readonly replicas: ReplicaPool<{ baseUrl: string; client: OpenAI }>;
  private readonly limit: ReturnType<typeof pLimit>;
  private readonly backoff: BackoffOptions;

  constructor(private readonly opts: OpenAIProviderOptions) {
    this.name = opts.model;
    const servers = opts.baseUrls.map((b) => (typeof b === "string" ? { url: b, concurrency: undefined } : b));
    for (const { url } of servers) {
      if (!/^https?:\/\//.test(url)) throw new Error(`model.base_urls: "${url}" is not an http(s) URL`);
    }
    const doFetch = opts.fetch ?? globalThis.fetch;
    this.replicas = new ReplicaPool(servers.map(({ url }) => ({
      baseUrl: url,
      client: new OpenAI({ baseURL: url, apiKey: opts.apiKey, maxRetries: 0, timeout: opts.timeoutMs, fetch: wrapErrorBodies(doFetch) }),
    })), servers.map((s) => s.concurrency), {
      ...opts.health, names: servers.map((s) => s.url),
      probe: async (i) => {
        const res = await doFetch(`${servers[i]!.url.replace(/\/$/, "")}/models`, {
          headers: { authorization: `Bearer ${opts.apiKey}` }, signal: AbortSignal.timeout(5000),
        });
        await res.body?.cancel();
        return res.ok;
      },
    });
    this.limit = pLimit(opts.concurrency);
    this.backoff = { ...defaultBackoff, ...opts.backoff };
  }

  /** Per server (in base_urls order): calls, failures, pauses. */
  serverStats(): Array<ReplicaStats & { url: string }> {
    return this.replicas.stats().map((st, i) => ({ url: this.urlOf(i), ...st }));
  }

  private urlOf(i: number): string {
    const b = this.opts.baseUrls[i]!;
    return typeof b === "string" ? b : b.url;
  }

  /** Stop probing paused servers. */
  close(): void { this.replicas.close(); }

  /** Attempts in flight / waiting for a slot right now. */
  get activeCount(): number { return this.limit.activeCount; }
  get pendingCount(): number { return this.limit.pendingCount; }

  async complete(req: ModelRequest): Promise<ModelResult> {
    const started = performance.now();
    let lastReplica: number | undefined;
    for (let attempt = 1; ; attempt++) {
      // the slot is held for the HTTP attempt only, not during backoff sleeps
      const outcome = await this.limit(async (): Promise<Attempt | Failed> => {
        const { index, replica, release } = await this.replicas.acquire(lastReplica);
        lastReplica = index;
        try {
          const outcome = await this.attempt(replica.client, req, started, attempt);
          this.replicas.report(index, outcome.ok ? "ok" : serverSide(outcome.failure) ? "server_failure" : "client_failure");
          return outcome;
        } finally {
          release();
        }
      });
      if (outcome.ok) return outcome.result;
      const { failure } = outcome;
      if (!failure.retryable || attempt > this.opts.maxRetries) {
        const latencyMs = performance.now() - started;
        const tried = attempt > 1 ? ` (after ${attempt} attempts)` : "";
        return { ok: false, reason: failure.reason, message: `${failure.message}${tried}`, latencyMs, attempts: attempt };
      }
      const delay = backoffDelay(attempt - 1, this.backoff, failure.retryAfterMs);
      // others keep away from the failing replica for a while, past this call's own retry
      if (lastReplica !== undefined) this.replicas.coolDown(lastReplica, 2 * delay);
      await sleep(delay);
    }
  }

  private async attempt(client: OpenAI, req: ModelRequest, started: number, attempt: number): Promise<Attempt | Failed> {
    const p = req.params;
    // The openai client's timeout stops at the response headers; this one also covers the body.
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; controller.abort(new DeadlineExceeded()); }, this.opts.timeoutMs);
    try {
      const completion: unknown = await client.chat.completions.create({
        model: this.opts.model,
        messages: req.messages,
        temperature: p.temperature,
        top_p: p.top_p,
        max_tokens: p.max_tokens,
        n: 1,
        ...(p.seed !== undefined ? { seed: p.seed + req.sampleIndex } : {}),
        ...(p.stop && p.stop.length > 0 ? { stop: p.stop } : {}),
      }, { signal: controller.signal });
      return { ok: true, result: this.toResult(completion, started, attempt) };
    } catch (err) {
      if (timedOut) {
        return { ok: false, failure: { reason: "timeout", retryable: true, message: `no complete answer within ${this.opts.timeoutMs} ms` } };
      }
      if (err instanceof BadResponse) return { ok: false, failure: { reason: "bad_response", retryable: true, message: err.message } };
      return { ok: false, failure: classifyError(err) };
    } finally {
      clearTimeout(timer);
    }
  }

  private toResult(completion: unknown, started: number, attempts: number): ModelResult {
    const body = completion as { choices?: unknown; usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } } | null;
    if (!body || typeof body !== "object" || !Array.isArray(body.choices) || body.choices.length === 0) {
      throw new BadResponse(`response is not a chat completion (no choices): ${JSON.stringify(completion)?.slice(0, 200)}`);
    }
    const choice = body.choices[0] as { message?: { content?: unknown }; finish_reason?: unknown };
    const content = choice.message?.content;
    if (content !== null && content !== undefined && typeof content !== "string") {
      throw new BadResponse(`choices[0].message.content is not a string: ${JSON.stringify(content).slice(0, 200)}`);
    }
    const count = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : 0);
    return {
      ok: true,
      text: content ?? "",
      usage: { prompt_tokens: count(body.usage?.prompt_tokens), completion_tokens: count(body.usage?.completion_tokens) },
      latencyMs: performance.now() - started,
      cached: false,
      attempts,
      ...(typeof choice.finish_reason === "string" ? { finishReason: choice.finish_reason } : {}),
    };
  }
}

class BadResponse extends Error {}

/** Failures that say the server is unwell (not the request): they count toward pausing it. */
const serverSide = (f: Classified): boolean =>
  f.reason === "connection" || f.reason === "timeout" || f.reason === "bad_response" || /^http_5\d\d$/.test(f.reason);

/**
 * vLLM, SGLang and TGI send error bodies like {"object":"error","message":…} with no "error"
 * key; the openai package then drops the message ("400 status code (no body)"). Wrap such
 * bodies as {"error": body} so the message (e.g. a context-length error) survives.
 */
function wrapErrorBodies(inner: typeof fetch): typeof fetch {
  return async (input, init) => {
    const res = await inner(input, init);
    if (res.status < 400) return res;
    const text = await res.text();
    let body = text;
    try {
      const json: unknown = JSON.parse(text);
      if (json && typeof json === "object" && !("error" in json)) body = JSON.stringify({ error: json });
    } catch { /* not JSON: the openai package keeps the text as the message */ }
    const headers = new Headers(res.headers);
    headers.delete("content-length");
    headers.delete("content-encoding");
    return new Response(body, { status: res.status, statusText: res.statusText, headers });
  };
}
