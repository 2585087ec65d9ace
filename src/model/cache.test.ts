// The response cache through the real client and a local server: hits skip the server, the key
// ignores transport settings, errors and empty answers are not stored, identical calls in
// flight share one request.
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cacheStats } from "../cache/disk.js";
import { configSchema } from "../config/schema.js";
import { cacheKey } from "./cache.js";
import { Command } from "commander";
import { addNoCacheOption, createModelProvider, noCacheFromOptions } from "./factory.js";
import { contextLengthError, FakeOpenAIServer } from "../../test/support/model/fake-server.js";
import type { ModelRequest } from "./types.js";
import { RunStore } from "../store/run-store.js";
import { saveUsageTotals } from "./usage-file.js";
import { UsageMeter } from "./usage.js";

let dir: string;
const servers: FakeOpenAIServer[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "swerl-cache-"));
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await rm(dir, { recursive: true, force: true });
});

async function serve(delayMs?: number): Promise<FakeOpenAIServer> {
  const s = await new FakeOpenAIServer({ delayMs }).start();
  servers.push(s);
  return s;
}

function client(urls: string[], model: object = {}, noCache = false) {
  const cfg = configSchema.parse({ model: { name: "m", base_urls: urls, ...model } }).model;
  return createModelProvider(cfg, { cacheDir: dir, noCache, backoff: { baseDelayMs: 5, maxDelayMs: 20 } });
}

const req = (over: Partial<ModelRequest> = {}, params: Partial<ModelRequest["params"]> = {}): ModelRequest => ({
  messages: [{ role: "user", content: "fix the bug" }],
  sampleIndex: 0,
  instanceId: "a__b-1",
  stage: "repair",
  params: { temperature: 1, top_p: 1, max_tokens: 100, ...params },
  ...over,
});

describe("response cache", () => {
  it("answers a second identical call from disk without calling the server", async () => {
    const s = await serve();
    const c = client([s.baseUrl]);
    const first = await c.complete(req());
    const second = await c.complete(req());
    expect(first).toMatchObject({ ok: true, cached: false });
    expect(second).toMatchObject({ ok: true, cached: true });
    if (first.ok && second.ok) {
      expect(second.text).toBe(first.text);
      expect(second.usage).toEqual(first.usage);
    }
    expect(s.requests).toBe(1);
    expect((await cacheStats(dir)).entries).toBe(1);
    // a new client (a rerun) on the same directory also hits
    await client([s.baseUrl]).complete(req());
    expect(s.requests).toBe(1);
    expect(c.usage.snapshot().repair).toMatchObject({ requests: 2, cached: 1 });
  });

  it("key ignores base URLs, concurrency, retries and timeouts", async () => {
    const a = await serve();
    const b = await serve();
    const first = await client([a.baseUrl]).complete(req());
    const other = client([b.baseUrl, a.baseUrl], {
      concurrency: 3,
      max_retries: 0,
      timeout_s: 5,
      api_key_env: "OTHER_KEY",
    });
    const again = await other.complete(req());
    expect(again).toMatchObject({ ok: true, cached: true });
    if (first.ok && again.ok) expect(again.text).toBe(first.text);
    expect(a.requests + b.requests).toBe(1);
  });

  it("key changes with temperature, top_p, max_tokens, seed, stop, sample index, messages and model", async () => {
    const s = await serve();
    const c = client([s.baseUrl]);
    await c.complete(req());
    const variants: ModelRequest[] = [
      req({}, { temperature: 0.5 }),
      req({}, { top_p: 0.9 }),
      req({}, { max_tokens: 99 }),
      req({}, { seed: 1 }),
      req({}, { stop: ["x"] }),
      req({ sampleIndex: 1 }),
      req({ messages: [{ role: "user", content: "fix it" }] }),
    ];
    for (const v of variants) expect(await c.complete(v)).toMatchObject({ ok: true, cached: false });
    expect(await client([s.baseUrl], { name: "m2" }).complete(req())).toMatchObject({ cached: false });
    expect(s.requests).toBe(1 + variants.length + 1);
    // but not with what does not change the answer
    expect(cacheKey("openai", "m", req({ instanceId: "other", stage: "localize" }))).toBe(
      cacheKey("openai", "m", req()),
    );
    expect(cacheKey("openai", "m", req({}, { stop: [] }))).toBe(cacheKey("openai", "m", req()));
  });

  it("never stores errors or empty answers", async () => {
    const s = await serve();
    const c = client([s.baseUrl]);
    s.queue({ kind: "status", status: 400, body: contextLengthError });
    expect(await c.complete(req())).toMatchObject({ ok: false, reason: "context_length" });
    s.queue({ kind: "ok", text: "   \n" });
    expect(await c.complete(req())).toMatchObject({ ok: true, text: "   \n", cached: false });
    expect((await cacheStats(dir)).entries).toBe(0);
    expect(await c.complete(req())).toMatchObject({ ok: true, cached: false });
    expect(s.requests).toBe(3);
    expect(await c.complete(req())).toMatchObject({ ok: true, cached: true });
    expect(s.requests).toBe(3);
  });

  it("identical calls in flight share one request", async () => {
    const s = await serve(100);
    const c = client([s.baseUrl]);
    const [x, y, z] = await Promise.all([c.complete(req()), c.complete(req()), c.complete(req({ sampleIndex: 1 }))]);
    expect(s.requests).toBe(2);
    expect([x.ok && x.cached, y.ok && y.cached].sort()).toEqual([false, true]);
    if (x.ok && y.ok) expect(x.text).toBe(y.text);
    expect(z).toMatchObject({ ok: true, cached: false });
  });

  it("--no-cache neither reads nor writes", async () => {
    const s = await serve();
    await client([s.baseUrl]).complete(req()); // one entry on disk
    const c = client([s.baseUrl], {}, true);
    expect(await c.complete(req())).toMatchObject({ ok: true, cached: false });
    expect(await c.complete(req({ sampleIndex: 5 }))).toMatchObject({ ok: true, cached: false });
    expect(s.requests).toBe(3);
    expect((await cacheStats(dir)).entries).toBe(1);
    // config model.cache: false does the same
    expect(await client([s.baseUrl], { cache: false }).complete(req())).toMatchObject({ cached: false });
    expect(s.requests).toBe(4);
  });

  it("a stage command's --no-cache switch maps to the factory option", () => {
    const parse = (...args: string[]) =>
      noCacheFromOptions(addNoCacheOption(new Command("repair")).parse(args, { from: "user" }).opts());
    expect(parse("--no-cache")).toEqual({ noCache: true });
    expect(parse()).toEqual({ noCache: false });
  });

  it("writes one file per key, atomically (no temp files left), under a two-hex subdirectory", async () => {
    const s = await serve();
    const c = client([s.baseUrl]);
    await Promise.all(Array.from({ length: 20 }, (_, i) => c.complete(req({ sampleIndex: i }))));
    // the factory's identity before preflight: no root, no context length, no revision
    const key = cacheKey("openai", "m", req({ sampleIndex: 7 }), {
      root: null,
      max_model_len: null,
      revision: null,
      extra_body: null,
      token_param: "max_tokens",
    });
    expect(existsSync(join(dir, key.slice(0, 2), `${key}.json`))).toBe(true);
    const stats = await cacheStats(dir);
    expect(stats).toMatchObject({ entries: 20, temp_files: 0 });
    for (const sub of await readdir(dir)) expect(sub).toMatch(/^[0-9a-f]{2}$/);
  });
});

describe("usage.json over resumed processes", () => {
  it("adds this process's usage to what earlier processes saved, once per stage, however often it is saved", async () => {
    const runDir = await mkdtemp(join(tmpdir(), "swerl-usage-"));
    const ok = (finishReason: string) => ({
      ok: true as const,
      text: "x",
      usage: { prompt_tokens: 10, completion_tokens: 5 },
      latencyMs: 1,
      cached: false,
      finishReason,
    });
    const process1 = new UsageMeter();
    for (const f of ["stop", "length"]) process1.begin("repair")(ok(f));
    const run1 = await RunStore.open({ runId: "u", command: "repair", config: {}, resultsDir: runDir });
    await saveUsageTotals(run1, process1);
    const process2 = new UsageMeter();
    process2.begin("repair")(ok("length"));
    const run2 = await RunStore.open({ runId: "u", command: "repair", config: {}, resultsDir: runDir });
    await saveUsageTotals(run2, process2);
    await saveUsageTotals(run2, process2); // saving again does not count the first process twice
    const saved = JSON.parse(await readFile(join(run2.dir, "usage.json"), "utf8")) as Record<
      string,
      { requests: number; completion_tokens: number; truncated: number; finish_reasons: Record<string, number> }
    >;
    expect(saved.repair).toMatchObject({
      requests: 3,
      completion_tokens: 15,
      truncated: 2,
      finish_reasons: { stop: 1, length: 2 },
    });
    await rm(runDir, { recursive: true, force: true });
  });
});
