// model.stream against the vLLM imitation (real HTTP, server-sent events on 127.0.0.1): the
// same answers as non-streamed in every reasoning mode, the timeout as idle time, and a
// finished choice of an n-choice request freeing its slot before the longest one ends.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { configSchema } from "../config/schema.js";
import { createModelProvider } from "./factory.js";
import { SampleQueue } from "./sample-queue.js";
import { VllmServer, type VllmServerOptions } from "../../test/support/model/vllm-server.js";
import type { ModelRequest, ModelResult } from "./types.js";

const servers: VllmServer[] = [];
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "swerl-stream-"));
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

function client(url: string, model: Record<string, unknown> = {}) {
  const config = configSchema.parse({
    model: { provider: "openai", name: "ckpt", base_urls: [url], max_retries: 0, timeout_s: 5, cache: false, ...model },
  }).model;
  return createModelProvider(config, {
    cacheDir: join(dir, `cache-${Math.random()}`),
    backoff: { baseDelayMs: 5, maxDelayMs: 20 },
  });
}

const req = (name: string, seed?: number): ModelRequest => ({
  messages: [{ role: "user", content: `question ${name}` }],
  sampleIndex: 0,
  instanceId: "x__y-1",
  stage: "repair",
  params: { temperature: 1, top_p: 1, max_tokens: 256, ...(seed !== undefined ? { seed } : {}) },
});

const THOUGHT = "The parser drops the last token; the loop bound is off by one.";
const ANSWER =
  "<solution>\n```python\n### a.py\n<<<<<<< SEARCH\nx = 1\n=======\nx = 2\n>>>>>>> REPLACE\n```\n</solution>";

describe("model.stream", () => {
  for (const reasoning of ["none", "reasoning_content", "reasoning", "prefilled_think"] as const) {
    it(`gives the non-streamed answers, finish reasons and thought sources (${reasoning})`, async () => {
      const s = await serve({
        reasoning,
        streamIntervalMs: 5,
        answer: (_b, choice) => ({ text: `<think>\n${THOUGHT} (${choice})\n</think>\n${ANSWER}`, extraMs: 60 }),
      });
      const plain = client(s.baseUrl, { stream: false });
      const streamed = client(s.baseUrl, { stream: true });
      await Promise.all([plain.preflight(), streamed.preflight()]);
      const a = await plain.completeBatch!(req("q", 3), [0, 1, 2]);
      const b = await streamed.completeBatch!(req("q", 3), [0, 1, 2]);
      const view = (r: ModelResult) =>
        r.ok ? { text: r.text, finish: r.finishReason, source: r.thoughtSource, prompt: r.usage.prompt_tokens } : r;
      expect(b.map(view)).toEqual(a.map(view));
      for (const [k, r] of b.entries())
        expect(r).toMatchObject({ ok: true, text: `<think>\n${THOUGHT} (${k})\n</think>\n${ANSWER}` });
      expect(b.reduce((n, r) => n + (r.ok ? r.usage.completion_tokens : 0), 0)).toBeGreaterThan(0);
      expect(s.records.filter((x) => x.stream)).toHaveLength(1);
      expect(s.records.filter((x) => !x.stream)).toHaveLength(1);
    });
  }

  it("the timeout is idle time: an answer that streams for 1.5 s arrives with timeout_s 0.4; non-streamed it times out", async () => {
    const s = await serve({
      streamIntervalMs: 50,
      answer: () => ({ text: `<think>\n${THOUGHT}\n</think>\n${ANSWER}`, extraMs: 1500 }),
    });
    const streamed = await client(s.baseUrl, { stream: true, timeout_s: 0.4 }).complete(req("slow"));
    expect(streamed).toMatchObject({ ok: true, text: `<think>\n${THOUGHT}\n</think>\n${ANSWER}` });
    const plain = await client(s.baseUrl, { stream: false, timeout_s: 0.4 }).complete(req("slow"));
    expect(plain).toMatchObject({ ok: false, reason: "timeout" });
  });

  it("a choice that ends frees its slot at once: the next request does not wait for the longest choice", async () => {
    const order = async (stream: boolean): Promise<string[]> => {
      // choice 0 of request "a" is short, choice 1 long; "b" is short; 2 slots on the server and in the client
      const s = await serve({
        slots: 2,
        streamIntervalMs: 10,
        answer: (body, choice) => ({
          text: `<think>\nok\n</think>\n${ANSWER}`,
          extraMs: JSON.stringify(body.messages).includes("question a") && choice === 1 ? 1500 : 50,
        }),
      });
      const provider = client(s.baseUrl, { stream, concurrency: 2 });
      await provider.preflight();
      const queue = new SampleQueue(provider, 2, 16);
      const done: string[] = [];
      const a = queue.submit(req("a"), [0, 1], async (sample) => {
        done.push(`a${sample}`);
      });
      const b = queue.submit(req("b"), [0], async () => {
        done.push("b0");
      });
      await Promise.all([a.done, b.done]);
      return done;
    };
    // "b" answers before "a"'s long choice only when the short choice's slot came back as it ended
    expect(await order(true)).toEqual(["b0", "a0", "a1"]);
    expect(await order(false)).toEqual(["a0", "a1", "b0"]);
  });
});
