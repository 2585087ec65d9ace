// The openai provider against real local HTTP servers (the real `openai` client, real sockets).
import { afterEach, describe, expect, it } from "vitest";
import { configSchema } from "../config/schema.js";
import { createModelProvider, type ModelDeps } from "./factory.js";
import { OpenAIProvider } from "./openai-provider.js";
import { backoffDelay, defaultBackoff, parseRetryAfter } from "./retry.js";
import { contextLengthError, FakeOpenAIServer, type FakeServerOptions } from "../../test/support/model/fake-server.js";
import type { ModelRequest } from "./types.js";

const servers: FakeOpenAIServer[] = [];
async function serve(opts?: FakeServerOptions): Promise<FakeOpenAIServer> {
  const s = await new FakeOpenAIServer(opts).start();
  servers.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const fastBackoff = { baseDelayMs: 5, maxDelayMs: 50 };

function provider(urls: string[], over: Partial<ConstructorParameters<typeof OpenAIProvider>[0]> = {}) {
  return new OpenAIProvider({
    model: "test-model",
    baseUrls: urls,
    apiKey: "EMPTY",
    concurrency: 16,
    timeoutMs: 5000,
    maxRetries: 4,
    backoff: fastBackoff,
    ...over,
  });
}

function request(i = 0, over: Partial<ModelRequest> = {}): ModelRequest {
  return {
    messages: [
      { role: "system", content: "be brief" },
      { role: "user", content: `question ${i}` },
    ],
    sampleIndex: i,
    instanceId: "demo__x-1",
    stage: "repair",
    params: { temperature: 0.7, top_p: 0.95, max_tokens: 64 },
    ...over,
  };
}

describe("openai provider: requests", () => {
  it("sends the chat request with sampling params, n=1, seed + sample index, and returns text, usage, latency", async () => {
    const s = await serve();
    const p = provider([s.baseUrl]);
    const r = await p.complete(
      request(3, { params: { temperature: 0.2, top_p: 0.9, max_tokens: 77, seed: 100, stop: ["</solution>"] } }),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.text).toBe("echo(question 3) temperature=0.2 seed=103 request=0");
    expect(r.usage).toEqual({ prompt_tokens: 5, completion_tokens: Math.ceil(r.text.length / 4) });
    expect(r.latencyMs).toBeGreaterThan(0);
    expect(r.cached).toBe(false);
    expect(r.finishReason).toBe("stop");
    const body = s.bodies[0];
    expect(body).toMatchObject({
      model: "test-model",
      temperature: 0.2,
      top_p: 0.9,
      max_tokens: 77,
      n: 1,
      seed: 103,
      stop: ["</solution>"],
    });
    expect(body.messages).toEqual(request(3).messages);
    expect(s.authHeaders[0]).toBe("Bearer EMPTY");
  });

  it("takes the API key from the configured env var, EMPTY when unset", async () => {
    const s = await serve();
    const cfg = (extra: object) =>
      configSchema.parse({ model: { base_urls: [s.baseUrl], api_key_env: "SWERL_TEST_KEY", ...extra } }).model;
    await createModelProvider(cfg({}), { noCache: true, env: { SWERL_TEST_KEY: "sk-local-123" } }).complete(request());
    await createModelProvider(cfg({}), { noCache: true, env: {} }).complete(request());
    expect(s.authHeaders).toEqual(["Bearer sk-local-123", "Bearer EMPTY"]);
  });
});

describe("openai provider: replicas and concurrency", () => {
  it("spreads calls over replicas by load: both get traffic, concurrent and sequential", async () => {
    const a = await serve({ delayMs: 20 });
    const b = await serve({ delayMs: 20 });
    const p = provider([a.baseUrl, b.baseUrl], { concurrency: 8 });
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => p.complete(request(i))));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(a.requests + b.requests).toBe(40);
    expect(Math.abs(a.requests - b.requests)).toBeLessThanOrEqual(4);
    for (let i = 0; i < 6; i++) await p.complete(request(100 + i)); // one at a time: ties rotate
    expect(a.requests + b.requests).toBe(46);
    expect(Math.abs(a.requests - b.requests)).toBeLessThanOrEqual(4);
  });

  it("sends more to the replica that answers faster (least in flight)", async () => {
    // Far apart: on a loaded machine every answer also waits its turn for the CPU (this process
    // runs the client and both servers), which evened out 150 ms against 5 ms.
    const slow = await serve({ delayMs: 1000 });
    const fast = await serve({ delayMs: 5 });
    const p = provider([slow.baseUrl, fast.baseUrl], { concurrency: 6 });
    await Promise.all(Array.from({ length: 60 }, (_, i) => p.complete(request(i))));
    expect(fast.requests).toBeGreaterThan(slow.requests * 2);
  });

  it("keeps at most `concurrency` requests in flight at the server", async () => {
    const s = await serve({ delayMs: 30 });
    const p = provider([s.baseUrl], { concurrency: 5 });
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => p.complete(request(i))));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(s.maxInFlight).toBe(5);
  });

  it("completes 300 concurrent requests, all 300 in flight together", async () => {
    // The server holds every answer until all 300 requests are in (then answers each after
    // 300 ms), so the client's concurrency is measured whatever the machine's load: a client
    // that held some back would leave fewer in flight and wait out the 60 s fallback.
    const N = 300;
    let allIn!: () => void;
    const gate = new Promise<void>((resolve) => {
      allIn = resolve;
    });
    const fallback = setTimeout(allIn, 60_000);
    const s = await serve({
      handler: async () => {
        if (s.inFlight >= N) allIn();
        await gate;
        return { kind: "ok", delayMs: 300 };
      },
    });
    // Sending 300 requests may take seconds on a loaded machine; the first wait for the last.
    const p = provider([s.baseUrl], { concurrency: N, timeoutMs: 90_000 });
    const t0 = performance.now();
    const results = await Promise.all(Array.from({ length: N }, (_, i) => p.complete(request(i))));
    const elapsed = performance.now() - t0;
    clearTimeout(fallback);
    expect(results.filter((r) => r.ok)).toHaveLength(N);
    expect(s.requests).toBe(N);
    expect(s.maxInFlight).toBe(N);
    expect(elapsed).toBeLessThan(60_000); // the gate opened on the 300th arrival; serially: 60 s + 90 s
  }, 120_000);
});

describe("openai provider: retries", () => {
  it("retries a 429 after the Retry-After seconds and returns one result", async () => {
    const s = await serve();
    s.queue({
      kind: "status",
      status: 429,
      headers: { "retry-after": "1" },
      body: { error: { message: "slow down" } },
    });
    const p = provider([s.baseUrl]);
    const t0 = performance.now();
    const r = await p.complete(request());
    const waited = performance.now() - t0;
    expect(r).toMatchObject({ ok: true, attempts: 2 });
    expect(s.requests).toBe(2);
    expect(waited).toBeGreaterThanOrEqual(1000);
    expect(waited).toBeLessThan(3000);
  });

  it("honours Retry-After given as an HTTP date", async () => {
    const s = await serve();
    const when = new Date(Date.now() + 2000).toUTCString(); // whole seconds: waits 1-2 s
    s.queue({ kind: "status", status: 503, headers: { "retry-after": when } });
    const t0 = performance.now();
    const r = await provider([s.baseUrl]).complete(request());
    expect(r.ok).toBe(true);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(900);
  });

  it("rides out a storm of 500s, and gives up with http_500 after max_retries", async () => {
    const s = await serve();
    s.queue(...Array.from({ length: 3 }, () => ({ kind: "status" as const, status: 500 })));
    const ok = await provider([s.baseUrl]).complete(request());
    expect(ok).toMatchObject({ ok: true, attempts: 4 });
    const always = await serve({ handler: () => ({ kind: "status", status: 502 }) });
    const failed = await provider([always.baseUrl], { maxRetries: 2 }).complete(request());
    expect(failed).toMatchObject({ ok: false, reason: "http_502", attempts: 3 });
    expect(always.requests).toBe(3);
  });

  it("with max_retries 0 sends exactly one request (the openai package does not retry on its own)", async () => {
    const s = await serve({ handler: () => ({ kind: "status", status: 500 }) });
    const r = await provider([s.baseUrl], { maxRetries: 0 }).complete(request());
    expect(r).toMatchObject({ ok: false, reason: "http_500", attempts: 1 });
    expect(s.requests).toBe(1);
  });

  it("times out a hung connection and retries it", async () => {
    const s = await serve();
    s.queue({ kind: "hang" });
    const r = await provider([s.baseUrl], { timeoutMs: 300 }).complete(request());
    expect(r).toMatchObject({ ok: true, attempts: 2 });
    const dead = await serve({ handler: () => ({ kind: "hang" }) });
    const t = await provider([dead.baseUrl], { timeoutMs: 200, maxRetries: 1 }).complete(request());
    expect(t).toMatchObject({ ok: false, reason: "timeout", attempts: 2 });
  });

  it("retries malformed JSON bodies and connection resets", async () => {
    const s = await serve();
    s.queue({ kind: "malformed" }, { kind: "reset" });
    const r = await provider([s.baseUrl]).complete(request());
    expect(r).toMatchObject({ ok: true, attempts: 3 });
    const bad = await serve({ handler: () => ({ kind: "malformed" }) });
    const f = await provider([bad.baseUrl], { maxRetries: 1 }).complete(request());
    expect(f).toMatchObject({ ok: false, reason: "bad_response", attempts: 2 });
  });

  it("a body with no choices is a bad response", async () => {
    const s = await serve({
      handler: () => ({ kind: "status", status: 200, body: { id: "x", object: "chat.completion" } }),
    });
    const r = await provider([s.baseUrl], { maxRetries: 1 }).complete(request());
    expect(r).toMatchObject({ ok: false, reason: "bad_response" });
  });

  it("does not retry a context-length 400 (vLLM body) and records the reason", async () => {
    const s = await serve({ handler: () => ({ kind: "status", status: 400, body: contextLengthError }) });
    const r = await provider([s.baseUrl]).complete(request());
    expect(r).toMatchObject({ ok: false, reason: "context_length", attempts: 1 });
    if (!r.ok) expect(r.message).toContain("maximum context length is 32768");
    expect(s.requests).toBe(1);
  });

  it.each([400, 401, 404])("does not retry HTTP %i", async (status) => {
    const s = await serve({ handler: () => ({ kind: "status", status, body: { error: { message: "nope" } } }) });
    const r = await provider([s.baseUrl]).complete(request());
    expect(r).toMatchObject({ ok: false, reason: `http_${status}`, attempts: 1 });
    expect(s.requests).toBe(1);
  });

  it("retries on another replica, and keeps away from a failing one while it cools down", async () => {
    const broken = await serve({ handler: () => ({ kind: "status", status: 503 }) });
    const good = await serve({ delayMs: 5 });
    const p = provider([broken.baseUrl, good.baseUrl], {
      maxRetries: 1,
      backoff: { baseDelayMs: 2000, maxDelayMs: 2000 },
    });
    const first = await p.complete(request(0)); // rotation starts at the broken replica
    expect(first).toMatchObject({ ok: true, attempts: 2 });
    expect(broken.requests).toBe(1);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => p.complete(request(i + 1))));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(broken.requests).toBe(1); // still cooling down: everything went to the good one
    expect(good.requests).toBe(11);
  });
});

describe("retry timing", () => {
  it("parses Retry-After seconds, dates and retry-after-ms", () => {
    const h = (o: Record<string, string>) => new Headers(o);
    expect(parseRetryAfter(h({ "retry-after": "7" }))).toBe(7000);
    expect(parseRetryAfter(h({ "retry-after-ms": "250", "retry-after": "7" }))).toBe(250);
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(parseRetryAfter(h({ "retry-after": "Wed, 01 Jan 2025 00:00:05 GMT" }), now)).toBe(5000);
    expect(parseRetryAfter(h({ "retry-after": "soon" }))).toBeUndefined();
    expect(parseRetryAfter(h({}))).toBeUndefined();
  });

  it("backs off exponentially with jitter, capped", () => {
    const at = (retry: number, r: number) => backoffDelay(retry, defaultBackoff, undefined, () => r);
    expect(at(0, 1)).toBe(1000);
    expect(at(0, 0)).toBe(500);
    expect(at(3, 1)).toBe(8000);
    expect(at(20, 1)).toBe(60_000);
    expect(backoffDelay(0, defaultBackoff, 10 * 60_000, () => 0)).toBe(300_000);
  });
});

describe("usage per stage", () => {
  it("sums prompt and completion tokens and reports tokens/s per stage", async () => {
    const s = await serve({ delayMs: 50 });
    const cfg = configSchema.parse({ model: { base_urls: [s.baseUrl], concurrency: 4 } }).model;
    const deps: ModelDeps = { noCache: true, backoff: fastBackoff };
    const client = createModelProvider(cfg, deps);
    const rs = await Promise.all(
      Array.from({ length: 8 }, (_, i) => client.complete(request(i, { stage: i < 6 ? "repair" : "localize" }))),
    );
    s.queue({ kind: "status", status: 400, body: contextLengthError });
    await client.complete(request(99, { stage: "repair" }));
    const usage = client.usage.snapshot();
    const completion = rs.slice(0, 6).reduce((n, r) => n + (r.ok ? r.usage.completion_tokens : 0), 0);
    expect(usage.repair).toMatchObject({
      requests: 7,
      ok: 6,
      failed: 1,
      failures: { context_length: 1 },
      prompt_tokens: 6 * 5,
      completion_tokens: completion,
    });
    expect(usage.localize).toMatchObject({ requests: 2, ok: 2 });
    expect(usage.repair.busy_ms).toBeGreaterThanOrEqual(100); // 6 calls, 4 at a time, 50 ms each
    const expected = completion / (usage.repair.busy_ms / 1000);
    expect(Math.abs(usage.repair.completion_tokens_per_s - expected) / expected).toBeLessThan(0.01);
    expect(JSON.parse(JSON.stringify(usage))).toEqual(usage);
  });
});
