// The model client against the vLLM imitation (real HTTP on 127.0.0.1): preflight, what counts
// against a server's health, the single retry of a timed-out generation, Ctrl-C, giving up on a
// stage whose answers all fail, and request options (extra body, max_completion_tokens).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../config/load.js";
import { configSchema } from "../config/schema.js";
import { createModelProvider, GIVE_UP_AFTER, type ModelDeps } from "./factory.js";
import { OpenAIProvider } from "./openai-provider.js";
import { VllmServer, type VllmServerOptions } from "../../test/support/model/vllm-server.js";
import type { ModelRequest } from "./types.js";

const servers: VllmServer[] = [];
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "swerl-vllm-client-"));
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function serve(opts: VllmServerOptions = {}): Promise<VllmServer> {
  const s = await new VllmServer({ servedModelNames: ["ckpt"], ...opts }).start();
  servers.push(s);
  return s;
}

const fast = { baseDelayMs: 5, maxDelayMs: 20 };

function client(urls: string[], model: Record<string, unknown> = {}, deps: ModelDeps = {}) {
  const config = configSchema.parse({
    model: { provider: "openai", name: "ckpt", base_urls: urls, max_retries: 6, timeout_s: 5, ...model },
  }).model;
  return createModelProvider(config, { cacheDir: join(dir, `cache-${Math.random()}`), backoff: fast, ...deps });
}

const req = (i = 0, over: Partial<ModelRequest> = {}): ModelRequest => ({
  messages: [{ role: "user", content: `question ${i}` }],
  sampleIndex: i,
  instanceId: "x__y-1",
  stage: "repair",
  params: { temperature: 1, top_p: 1, max_tokens: 64 },
  ...over,
});

describe("preflight", () => {
  it("a served name the server does not list is a ConfigError naming the names it serves", async () => {
    const s = await serve({ servedModelNames: ["a", "b"] });
    const c = client([s.baseUrl]);
    const err = await c.preflight().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain('model.name "ckpt" is not served');
    expect((err as Error).message).toContain("a, b");
    expect(s.requests).toBe(0);
  });

  it("a server that does not answer is a ConfigError naming its URL", async () => {
    const s = await serve();
    const url = s.baseUrl;
    await s.close();
    servers.length = 0;
    const err = await client([url])
      .preflight()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain(url);
  });

  it("replicas serving different checkpoints under one name are refused; the smallest context is kept", async () => {
    const a = await serve({ root: "/ckpt/a", maxModelLen: 8192 });
    const b = await serve({ root: "/ckpt/b", maxModelLen: 4096 });
    await expect(client([a.baseUrl, b.baseUrl]).preflight()).rejects.toThrow(/different checkpoints/);
    const b2 = await serve({ root: "/ckpt/a", maxModelLen: 4096 });
    const p = new OpenAIProvider({
      model: "ckpt",
      baseUrls: [a.baseUrl, b2.baseUrl],
      apiKey: "EMPTY",
      concurrency: 4,
      timeoutMs: 5000,
      maxRetries: 0,
    });
    expect(await p.preflight()).toEqual({ id: "ckpt", root: "/ckpt/a", maxModelLen: 4096 });
    p.close();
  });
});

describe("health, timeouts and retries", () => {
  it("a timed-out generation is retried once, not six times, and never pauses the server", async () => {
    const s = await serve({ answer: () => ({ text: "<solution>x</solution>", extraMs: 5_000 }) });
    const p = new OpenAIProvider({
      model: "ckpt",
      baseUrls: [s.baseUrl],
      apiKey: "EMPTY",
      concurrency: 4,
      timeoutMs: 400,
      maxRetries: 6,
      backoff: fast,
      health: { pauseAfter: 1, probeMs: 10 },
    });
    const r = await p.complete(req());
    expect(r).toMatchObject({ ok: false, reason: "timeout", attempts: 2 });
    expect(s.requests).toBe(2);
    expect(p.serverStats()[0]).toMatchObject({ paused_times: 0, paused: false });
    p.close();
  });

  it("429s are retried (Retry-After honoured) and never pause the server; 5xx in a row do", async () => {
    const s = await serve();
    s.queueFaults({ kind: "status", status: 429, retryAfterS: 0 }, { kind: "status", status: 429, retryAfterS: 0 });
    const p = new OpenAIProvider({
      model: "ckpt",
      baseUrls: [s.baseUrl],
      apiKey: "EMPTY",
      concurrency: 4,
      timeoutMs: 5000,
      maxRetries: 6,
      backoff: fast,
      health: { pauseAfter: 2, probeMs: 60_000 },
    });
    expect((await p.complete(req())).ok).toBe(true);
    expect(p.serverStats()[0]).toMatchObject({ failures: 2, paused_times: 0 });
    s.queueFaults({ kind: "status", status: 503 }, { kind: "status", status: 503 });
    expect((await p.complete(req(1))).ok).toBe(true);
    expect(p.serverStats()[0]!.paused_times).toBe(1);
    p.close();
  });

  it("Ctrl-C (stop) ends a call waiting to retry at once, as interrupted, with no further request", async () => {
    const s = await serve({ fault: () => ({ kind: "status", status: 503 }) });
    const p = new OpenAIProvider({
      model: "ckpt",
      baseUrls: [s.baseUrl],
      apiKey: "EMPTY",
      concurrency: 4,
      timeoutMs: 5000,
      maxRetries: 6,
      backoff: { baseDelayMs: 30_000, maxDelayMs: 30_000 },
    });
    const started = performance.now();
    const pending = p.complete(req());
    await new Promise((r) => setTimeout(r, 300));
    p.stop();
    const r = await pending;
    expect(r).toMatchObject({ ok: false, reason: "interrupted" });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(s.requests).toBe(1);
    expect(await p.complete(req(2))).toMatchObject({ ok: false, reason: "interrupted" });
    expect(s.requests).toBe(1);
    p.close();
  });

  it(`a stage whose first ${GIVE_UP_AFTER} answers all fail is given up: later calls are not sent`, async () => {
    const s = await serve({
      fault: () => ({ kind: "status", status: 400, message: "bad request: unsupported field" }),
    });
    const c = client([s.baseUrl], { concurrency: 8, max_retries: 0 });
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => c.complete(req(i, { messages: [{ role: "user", content: `q${i}` }] }))),
    );
    expect(s.requests).toBeGreaterThanOrEqual(GIVE_UP_AFTER);
    expect(s.requests).toBeLessThan(GIVE_UP_AFTER + 8 + 1);
    expect(results.filter((r) => !r.ok && r.reason === "interrupted").length).toBe(200 - s.requests);
    expect(c.stageFailure("repair")).toMatch(/first 50 model answers all failed \(http_400 ×50/);
    expect(c.stageFailure("localize")).toBeUndefined();
  });

  it("one good answer among the first keeps the stage going", async () => {
    let k = 0;
    const s = await serve({ fault: () => (k++ === 10 ? undefined : { kind: "status", status: 400 }) });
    const c = client([s.baseUrl], { concurrency: 1, max_retries: 0 });
    for (let i = 0; i < 80; i++) await c.complete(req(i, { messages: [{ role: "user", content: `q${i}` }] }));
    expect(s.requests).toBe(80);
    expect(c.stageFailure()).toBeUndefined();
  });
});

describe("request options", () => {
  it("extra_body fields and max_completion_tokens go in the body, and change the cache key", async () => {
    const s = await serve();
    const cacheDir = join(dir, "cache-options");
    const extra = { chat_template_kwargs: { enable_thinking: true }, top_k: 20, min_p: 0.05 };
    const c1 = client([s.baseUrl], { extra_body: extra, token_param: "max_completion_tokens" }, { cacheDir });
    await c1.complete(req());
    expect(s.bodies[0]).toMatchObject({ ...extra, max_completion_tokens: 64, n: 1 });
    expect(s.bodies[0]!.max_tokens).toBeUndefined();
    await client([s.baseUrl], { extra_body: extra, token_param: "max_completion_tokens" }, { cacheDir }).complete(
      req(),
    );
    expect(s.requests).toBe(1); // same settings: cached
    await client(
      [s.baseUrl],
      { extra_body: { ...extra, top_k: 40 }, token_param: "max_completion_tokens" },
      { cacheDir },
    ).complete(req());
    expect(s.requests).toBe(2); // another top_k: another answer
  });

  it("samples of one request share one seed (the first sample's) and come back in order", async () => {
    const s = await serve();
    const c = client([s.baseUrl], { max_n: 3 });
    const rs = await c.completeBatch!(
      req(0, { params: { temperature: 1, top_p: 1, max_tokens: 64, seed: 100 } }),
      [4, 5, 6, 7, 8],
    );
    expect(rs).toHaveLength(5);
    expect(rs.every((r) => r.ok)).toBe(true);
    expect(s.bodies.map((b) => [b.n, b.seed])).toEqual(
      expect.arrayContaining([
        [3, 104],
        [2, 107],
      ]),
    );
    expect(s.requests).toBe(2);
  });
});
