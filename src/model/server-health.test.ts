// Several model servers, for real over HTTP on 127.0.0.1: per-server limits of calls in
// flight, a failing server paused and probed back, every server down failing cleanly.
import { afterEach, describe, expect, it } from "vitest";
import { configSchema } from "../config/schema.js";
import { OpenAIProvider } from "./openai-provider.js";
import { FakeOpenAIServer } from "../../test/support/model/fake-server.js";
import type { ModelRequest } from "./types.js";

const servers: FakeOpenAIServer[] = [];
const providers: OpenAIProvider[] = [];
afterEach(async () => {
  for (const p of providers.splice(0)) p.close();
  for (const s of servers.splice(0)) await s.close().catch(() => {});
});

async function server(delayMs = 0): Promise<FakeOpenAIServer> {
  const s = await new FakeOpenAIServer({ delayMs }).start();
  servers.push(s);
  return s;
}

function provider(
  baseUrls: ConstructorParameters<typeof OpenAIProvider>[0]["baseUrls"],
  over: Partial<ConstructorParameters<typeof OpenAIProvider>[0]> = {},
) {
  const p = new OpenAIProvider({
    model: "m",
    baseUrls,
    apiKey: "EMPTY",
    concurrency: 100,
    timeoutMs: 5000,
    maxRetries: 4,
    backoff: { baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 50 },
    health: { pauseAfter: 2, probeMs: 50, maxProbeMs: 100 },
    ...over,
  });
  providers.push(p);
  return p;
}

const request = (i: number): ModelRequest => ({
  messages: [{ role: "user", content: `q${i}` }],
  sampleIndex: i,
  instanceId: "x",
  stage: "repair",
  params: { temperature: 1, top_p: 1, max_tokens: 16 },
});

describe("several model servers", () => {
  it("keeps each server within its own limit of calls in flight; calls queue, none fails", async () => {
    const [a, b] = [await server(60), await server(60)];
    const p = provider([
      { url: a.baseUrl, concurrency: 2 },
      { url: b.baseUrl, concurrency: 3 },
    ]);
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => p.complete(request(i))));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(a.maxInFlight).toBeLessThanOrEqual(2);
    expect(b.maxInFlight).toBeLessThanOrEqual(3);
    expect(b.maxInFlight).toBe(3);
    expect(a.requests + b.requests).toBe(40);
  });

  it("pauses a server that keeps failing, serves every call from the other, and takes it back once a probe answers", async () => {
    const [a, b] = [await server(5), await server(5)];
    a.down = true;
    const p = provider([a.baseUrl, b.baseUrl]);
    const first = await Promise.all(Array.from({ length: 20 }, (_, i) => p.complete(request(i))));
    expect(first.every((r) => r.ok)).toBe(true);
    expect(p.serverStats()[0]).toMatchObject({ paused: true, paused_times: 1 });
    const aBefore = a.chatRequests;
    expect(aBefore).toBeGreaterThanOrEqual(2); // it did get calls (503s) before it was paused
    const second = await Promise.all(Array.from({ length: 20 }, (_, i) => p.complete(request(100 + i))));
    expect(second.every((r) => r.ok)).toBe(true);
    expect(a.chatRequests).toBe(aBefore); // paused: no call reached it
    a.down = false;
    for (let i = 0; i < 50 && p.serverStats()[0]!.paused; i++) await new Promise((r) => setTimeout(r, 20));
    expect(a.probes).toBeGreaterThan(0);
    expect(p.serverStats()[0]!.paused).toBe(false);
    const third = await Promise.all(Array.from({ length: 20 }, (_, i) => p.complete(request(200 + i))));
    expect(third.every((r) => r.ok)).toBe(true);
    expect(a.bodies.length).toBeGreaterThan(0); // answered calls again
  });

  it("fails cleanly, within the retry budget, when every server is gone", async () => {
    const [a, b] = [await server(), await server()];
    const urls = [a.baseUrl, b.baseUrl];
    await a.close();
    await b.close();
    const p = provider(urls, { maxRetries: 3 });
    const started = Date.now();
    const r = await p.complete(request(1));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toBe("connection");
      expect(r.attempts).toBe(4);
    }
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("accepts base_urls as URLs or {url, concurrency}, and names a bad entry", () => {
    const m = configSchema.parse({
      model: { base_urls: ["http://127.0.0.1:1/v1", { url: "http://127.0.0.1:2/v1", concurrency: 8 }] },
    }).model;
    expect(m.base_urls[1]).toEqual({ url: "http://127.0.0.1:2/v1", concurrency: 8 });
    expect(() => configSchema.parse({ model: { base_urls: [{ url: "http://x/v1", concurrency: 0 }] } })).toThrow();
    expect(
      () =>
        new OpenAIProvider({
          model: "m",
          baseUrls: [{ url: "ftp://x" }],
          apiKey: "",
          concurrency: 1,
          timeoutMs: 1,
          maxRetries: 0,
        }),
    ).toThrow(/ftp:\/\/x/);
  });
});
