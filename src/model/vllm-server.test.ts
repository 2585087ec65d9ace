// The vLLM imitation (test/support/model/vllm-server.ts) over real HTTP on 127.0.0.1, through
// the `openai` npm package and plain fetch: each behaviour it claims to imitate.
import OpenAI from "openai";
import { afterEach, describe, expect, it, vi } from "vitest";
import { contextLengthMessage, countTokens } from "../../test/support/model/vllm-protocol.js";
import { drawLength, seededRng } from "../../test/support/model/vllm-scheduler.js";
import { VllmServer, type VllmServerOptions } from "../../test/support/model/vllm-server.js";

const servers: VllmServer[] = [];
async function serve(opts: VllmServerOptions = {}): Promise<VllmServer> {
  const s = await new VllmServer(opts).start();
  servers.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const client = (s: VllmServer) => new OpenAI({ baseURL: s.baseUrl, apiKey: "EMPTY", maxRetries: 0 });
const post = (s: VllmServer, body: object) =>
  fetch(`${s.baseUrl}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
const user = (content: string) => [{ role: "user" as const, content }];
/** Waits until the scheduler holds `active` running and `queued` waiting requests. */
const inScheduler = (s: VllmServer, active: number, queued: number) =>
  vi.waitFor(() => expect([s.scheduler.active, s.scheduler.queued]).toEqual([active, queued]), {
    timeout: 10_000,
    interval: 5,
  });
// Plain-fetch answers are loosely typed JSON.
// biome-ignore lint/suspicious/noExplicitAny: loosely typed JSON answers, read field by field in the asserts
type Json = any;

describe("GET /v1/models", () => {
  it("lists every served name with vLLM's model card: root = checkpoint, max_model_len, created = time of the request", async () => {
    const s = await serve({ servedModelNames: ["swe-rl", "alias"], root: "/ckpt/step-200", maxModelLen: 16384 });
    const before = Math.floor(Date.now() / 1000);
    const body = (await (await fetch(`${s.baseUrl}/models`)).json()) as Json;
    const after = Math.floor(Date.now() / 1000);
    expect(body.object).toBe("list");
    expect(body.data.map((m: Json) => m.id)).toEqual(["swe-rl", "alias"]);
    for (const card of body.data) {
      expect(card).toMatchObject({
        object: "model",
        owned_by: "vllm",
        root: "/ckpt/step-200",
        parent: null,
        max_model_len: 16384,
      });
      expect(card.created).toBeGreaterThanOrEqual(before);
      expect(card.created).toBeLessThanOrEqual(after);
      expect(card.permission).toHaveLength(1);
      expect(card.permission[0]).toMatchObject({
        object: "model_permission",
        allow_sampling: true,
        organization: "*",
        group: null,
      });
      expect(card.permission[0].id).toMatch(/^modelperm-[0-9a-f]{32}$/);
    }
    const listed = await client(s).models.list();
    expect(listed.data.map((m) => m.id)).toEqual(["swe-rl", "alias"]);
    expect(s.stats().modelsRequests).toBe(2);
  });

  it("pins created when asked, and a changed root shows at once (another checkpoint under the same name)", async () => {
    const s = await serve({ created: 1700000000 });
    s.root = "/ckpt/other";
    const body = (await (await fetch(`${s.baseUrl}/models`)).json()) as Json;
    expect(body.data[0]).toMatchObject({ id: "vllm-model", created: 1700000000, root: "/ckpt/other" });
  });

  it("answers /health and 404s unknown routes the way FastAPI does", async () => {
    const s = await serve();
    expect((await fetch(`${s.baseUrl.replace(/\/v1$/, "")}/health`)).status).toBe(200);
    const r = await fetch(`${s.baseUrl}/nope`);
    expect(r.status).toBe(404);
    expect(await r.json()).toEqual({ detail: "Not Found" });
  });
});

describe("POST /v1/chat/completions: validation in vLLM's order", () => {
  it("an unknown model: 404 with vLLM's error body (flat) and the openai client sees NotFoundError", async () => {
    const s = await serve({ servedModelNames: ["served"] });
    const r = await post(s, { model: "wrong", messages: user("hi") });
    expect(r.status).toBe(404);
    expect(await r.json()).toEqual({
      object: "error",
      message: "The model `wrong` does not exist.",
      type: "NotFoundError",
      param: null,
      code: 404,
    });
    await expect(client(s).chat.completions.create({ model: "wrong", messages: user("hi") })).rejects.toMatchObject({
      status: 404,
    });
    expect(s.stats().statuses).toEqual({ 404: 2 });
    expect(s.stats().choices).toBe(0);
  });

  it("newer vLLM nests the error: {error:{message,type,param,code}}", async () => {
    const s = await serve({ errorStyle: "nested" });
    const r = await post(s, { model: "x", messages: user("hi") });
    expect(await r.json()).toEqual({
      error: { message: "The model `x` does not exist.", type: "NotFoundError", param: "model", code: 404 },
    });
    const e = await client(s)
      .chat.completions.create({ model: "x", messages: user("hi") })
      .catch((err: unknown) => err);
    expect(e).toBeInstanceOf(OpenAI.NotFoundError);
    expect((e as Error).message).toContain("The model `x` does not exist.");
  });

  it("prompt + max_tokens over max_model_len: 400 with vLLM's exact context-length message", async () => {
    const s = await serve({ maxModelLen: 100 });
    const prompt = "a".repeat(4 * 60); // 60 tokens
    const r = await post(s, { model: "vllm-model", messages: user(prompt), max_tokens: 50 });
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual({
      object: "error",
      param: null,
      code: 400,
      type: "BadRequestError",
      message:
        "This model's maximum context length is 100 tokens. However, you requested 110 tokens (60 in the messages, 50 in the completion). Please reduce the length of the messages or completion.",
    });
    // max_completion_tokens wins over max_tokens, as in vLLM
    expect(
      (await post(s, { model: "vllm-model", messages: user(prompt), max_tokens: 50, max_completion_tokens: 40 }))
        .status,
    ).toBe(200);
    // no max_tokens: vLLM's default is what is left of the context
    expect((await post(s, { model: "vllm-model", messages: user(prompt) })).status).toBe(200);
    expect(s.records.map((x) => x.maxTokens)).toEqual([null, 40, 40]);
    // the prompt alone too long
    const long = await post(s, { model: "vllm-model", messages: user("a".repeat(400)) });
    expect(((await long.json()) as Json).message).toBe(contextLengthMessage("flat", 100, 100));
    expect(contextLengthMessage("flat", 100, 100)).toBe(
      "This model's maximum context length is 100 tokens. However, you requested 100 tokens in the messages, Please reduce the length of the messages.",
    );
  });

  it("newer vLLM's wording: 'max_tokens' or 'max_completion_tokens' is too large", async () => {
    const s = await serve({ maxModelLen: 100, errorStyle: "nested" });
    const r = await post(s, { model: "vllm-model", messages: user("a".repeat(240)), max_tokens: 50 });
    expect(((await r.json()) as Json).error.message).toBe(
      "'max_tokens' or 'max_completion_tokens' is too large: 50. This model's maximum context length is 100 tokens and your request has 60 input tokens (50 > 100 - 60).",
    );
  });

  it("n < 1 is a 400", async () => {
    const s = await serve();
    const r = await post(s, { model: "vllm-model", messages: user("hi"), n: 0 });
    expect(r.status).toBe(400);
    expect(((await r.json()) as Json).message).toBe("n must be at least 1, got 0.");
  });
});

describe("answers", () => {
  it("the default answer is a well-formed SWE-RL answer echoing the prompt", async () => {
    const s = await serve();
    const c = await client(s).chat.completions.create({
      model: "vllm-model",
      messages: user("fix the bug"),
      max_tokens: 200,
    });
    expect(c.choices[0].message.content).toMatch(
      /^<think>\n[\s\S]+\n<\/think>\n<solution>\nfix the bug\n<\/solution>$/,
    );
    expect(c).toMatchObject({ object: "chat.completion", model: "vllm-model" });
    expect(c.id).toMatch(/^chatcmpl-/);
  });

  it("n choices, index 0..n-1, each from the answer hook, completion tokens summed", async () => {
    const seen: number[] = [];
    const s = await serve({
      answer: (_b, choice) => {
        seen.push(choice);
        return "x".repeat(4 * (choice + 1));
      },
    });
    const c = await client(s).chat.completions.create({
      model: "vllm-model",
      messages: user("abcdefgh"),
      n: 3,
      max_tokens: 10,
    });
    expect(c.choices.map((ch) => [ch.index, ch.message.content, ch.finish_reason])).toEqual([
      [0, "xxxx", "stop"],
      [1, "x".repeat(8), "stop"],
      [2, "x".repeat(12), "stop"],
    ]);
    expect(seen.sort()).toEqual([0, 1, 2]);
    expect(c.usage).toMatchObject({ prompt_tokens: 2, completion_tokens: 6, total_tokens: 8 });
    expect(s.stats()).toMatchObject({ requests: 1, choices: 3, sequences: 3 });
  });

  it("finish_reason length: the answer cut at max_tokens tokens (4 characters each)", async () => {
    const s = await serve({ answer: () => "0123456789".repeat(10) });
    const c = await client(s).chat.completions.create({ model: "vllm-model", messages: user("q"), max_tokens: 5 });
    expect(c.choices[0]).toMatchObject({ finish_reason: "length", message: { content: "01234567890123456789" } });
    expect(c.usage?.completion_tokens).toBe(5);
    expect(s.stats().truncated).toBe(1);
    expect(s.records[0].finishReasons).toEqual(["length"]);
  });

  it("stop strings cut the answer; stop_reason names the string", async () => {
    const s = await serve({ answer: () => "<solution>a</solution> trailing" });
    const r = (await (
      await post(s, { model: "vllm-model", messages: user("q"), max_tokens: 50, stop: ["</solution>"] })
    ).json()) as Json;
    expect(r.choices[0]).toMatchObject({
      message: { content: "<solution>a" },
      finish_reason: "stop",
      stop_reason: "</solution>",
    });
  });
});

describe("reasoning output", () => {
  const answer = () => ({ reasoning: "The bug is in foo.", text: "<solution>fix</solution>" });
  const ask = async (s: VllmServer, max = 100) =>
    ((await (await post(s, { model: "vllm-model", messages: user("q"), max_tokens: max })).json()) as Json).choices[0];

  it("reasoning_content (older --reasoning-parser): the thought apart, content the rest", async () => {
    const c = await ask(await serve({ reasoning: "reasoning_content", answer }));
    expect(c.message).toEqual({
      role: "assistant",
      reasoning_content: "The bug is in foo.",
      content: "<solution>fix</solution>",
      tool_calls: [],
    });
  });

  it("reasoning (newer vLLM): the same under `reasoning`", async () => {
    const c = await ask(await serve({ reasoning: "reasoning", answer }));
    expect(c.message).toEqual({
      role: "assistant",
      reasoning: "The bug is in foo.",
      content: "<solution>fix</solution>",
      tool_calls: [],
    });
  });

  it("prefilled <think>: content starts inside the thought, </think> present; no parser field set", async () => {
    const c = await ask(await serve({ reasoning: "prefilled_think", answer }));
    expect(c.message.content).toBe("The bug is in foo.</think><solution>fix</solution>");
    expect(c.message.reasoning_content).toBeNull();
  });

  it("no parser: the thought stays in content with both tags", async () => {
    const c = await ask(await serve({ answer }));
    expect(c.message.content).toBe("<think>The bug is in foo.</think><solution>fix</solution>");
  });

  it("a thought cut by max_tokens: all reasoning, content null, finish_reason length", async () => {
    const c = await ask(await serve({ reasoning: "reasoning_content", answer }), 4);
    // 4 tokens = the first 16 characters of "<think>The bug is…" (the tag is generated too)
    expect(c).toMatchObject({ finish_reason: "length", message: { reasoning_content: "The bug i", content: null } });
  });

  it("an answer without a thought under a parser: all content, reasoning null", async () => {
    const c = await ask(await serve({ reasoning: "reasoning", answer: () => "<solution>x</solution>" }));
    expect(c.message).toMatchObject({ reasoning: null, content: "<solution>x</solution>" });
  });
});

describe("faults", () => {
  it("429 with Retry-After (scripted, and when the queue is over maxQueue) and 503", async () => {
    // 20 tokens at 100 ms: the slot stays busy while the next requests arrive on a loaded machine
    const s = await serve({ slots: 1, tokenLatencyMs: 100, maxQueue: 1, retryAfterS: 7, answer: () => "x".repeat(40) });
    s.queueFaults({ kind: "status", status: 429, retryAfterS: 3 }, { kind: "status", status: 503 });
    const a = await post(s, { model: "vllm-model", messages: user("q") });
    expect([a.status, a.headers.get("retry-after")]).toEqual([429, "3"]);
    expect(((await a.json()) as Json).type).toBe("RateLimitError");
    expect((await post(s, { model: "vllm-model", messages: user("q") })).status).toBe(503);
    // slot busy with one, one waits: the third is refused
    const running = [
      post(s, { model: "vllm-model", messages: user("q"), max_tokens: 20 }),
      post(s, { model: "vllm-model", messages: user("q"), max_tokens: 20 }),
    ];
    await inScheduler(s, 1, 1); // both arrived (a fixed 30 ms wait was too short under load)
    const full = await post(s, { model: "vllm-model", messages: user("q"), max_tokens: 20 });
    expect([full.status, full.headers.get("retry-after")]).toEqual([429, "7"]);
    expect((await Promise.all(running)).map((r) => r.status)).toEqual([200, 200]);
    s.down = true;
    expect((await fetch(`${s.baseUrl}/models`)).status).toBe(503);
    expect(s.stats().statuses).toEqual({ 200: 2, 429: 2, 503: 2 }); // the down GET counts too
  });

  it("a client that goes away aborts its sequences: the slot is freed for the next request", async () => {
    const s = await serve({
      slots: 1,
      answer: (_b, _c, i) => ({ text: `answer ${i}`, extraMs: i === 0 ? 60_000 : 0 }),
    });
    const ac = new AbortController();
    const slow = fetch(`${s.baseUrl}/chat/completions`, {
      method: "POST",
      signal: ac.signal,
      body: JSON.stringify({ model: "vllm-model", messages: user("r"), max_tokens: 20 }),
    }).catch(() => "aborted");
    await inScheduler(s, 1, 0);
    const next = post(s, { model: "vllm-model", messages: user("q"), max_tokens: 20 });
    await inScheduler(s, 1, 1);
    ac.abort();
    expect(await slow).toBe("aborted");
    const r = await next;
    expect(r.status).toBe(200);
    expect(((await r.json()) as Json).choices[0].message.content).toBe("answer 1");
    expect(s.stats()).toMatchObject({ aborted: 1, abortedSequences: 1, choices: 1, inFlight: 0 });
    expect(s.records[0].status).toBe("aborted");
    expect(s.stats().busySlotMs).toBeLessThan(1000);
  });
});

describe("the scheduler: slots, queueing, prefix cache, occupancy", () => {
  it("S slots: requests queue when full, each choice takes a slot; busy slot-ms and occupancy add up", async () => {
    // 4 requests x n=2 = 8 sequences of 25 tokens x 2 ms = 50 ms each, on 4 slots: two waves, ~100 ms
    const s = await serve({ slots: 4, tokenLatencyMs: 2, answer: () => "y".repeat(100) });
    const t0 = performance.now();
    const out = await Promise.all(
      [0, 1, 2, 3].map((i) =>
        client(s).chat.completions.create({ model: "vllm-model", messages: user(`p${i}`), n: 2, max_tokens: 100 }),
      ),
    );
    const wall = performance.now() - t0;
    expect(out.every((c) => c.choices.length === 2)).toBe(true);
    const st = s.stats();
    expect(st).toMatchObject({ requests: 4, choices: 8, sequences: 8, maxRunning: 4, slots: 4, distinctPrompts: 4 });
    expect(st.maxQueueDepth).toBeGreaterThanOrEqual(2);
    expect(st.busySlotMs).toBeGreaterThanOrEqual(8 * 50 - 8);
    expect(st.busySlotMs).toBeLessThan(8 * 50 + 8 * 30);
    expect(wall).toBeGreaterThanOrEqual(95);
    expect(st.occupancy).toBeGreaterThan(0.7);
    expect(st.occupancy).toBeLessThanOrEqual(1.0001);
    const recs = s.records.map((r) => r.doneAt! - r.arrivedAt);
    expect(Math.max(...recs)).toBeGreaterThanOrEqual(95); // the last ones waited a wave
  });

  it("prefill is slow for a new prompt and fast for one seen before (prefix cache)", async () => {
    const s = await serve({ prefillMs: 120, cachedPrefillMs: 0, tokenLatencyMs: 0 });
    const time = async (p: string) => {
      const t = performance.now();
      await post(s, { model: "vllm-model", messages: user(p), max_tokens: 50 });
      return performance.now() - t;
    };
    expect(await time("first")).toBeGreaterThanOrEqual(115);
    expect(await time("first")).toBeLessThan(80);
    expect(await time("second")).toBeGreaterThanOrEqual(115);
    expect(s.stats()).toMatchObject({ distinctPrompts: 2, prefixHits: 1, prefixMisses: 2, prefixCacheEntries: 2 });
    s.resetStats(); // counters zeroed, the prefix cache stays warm
    expect(await time("second")).toBeLessThan(80);
    expect(s.stats()).toMatchObject({
      requests: 1,
      distinctPrompts: 1,
      prefixHits: 1,
      prefixMisses: 0,
      prefixCacheEntries: 2,
    });
  });

  it("heavy-tailed lengths: seeded (same request, same length), padded inside the thought, and spread out", async () => {
    const lengths = { medianTokens: 50, sigma: 1, maxTokens: 2000 };
    const s = await serve({ lengths, seed: "t" });
    const ask = async (seed: number) =>
      (await client(s).chat.completions.create({ model: "vllm-model", messages: user("q"), max_tokens: 4000, seed }))
        .choices[0].message.content!;
    const a = await ask(1);
    expect(countTokens(await ask(1))).toBe(countTokens(a));
    const others = await Promise.all([2, 3, 4, 5, 6, 7].map(ask));
    expect(new Set(others.map(countTokens)).size).toBeGreaterThan(3);
    expect(a).toMatch(/^<think>[\s\S]*(hmm )*<\/think>\n<solution>\nq\n<\/solution>$/);
    const draws = Array.from({ length: 2000 }, (_, i) => drawLength(lengths, seededRng(`d${i}`))).sort((x, y) => x - y);
    const median = draws[1000];
    expect(median).toBeGreaterThan(40);
    expect(median).toBeLessThan(60);
    expect(draws[1980] / median).toBeGreaterThan(6); // p99 ≈ e^2.33 ≈ 10× the median
    expect(draws[1999]).toBeLessThanOrEqual(2000);
    expect(countTokens(a)).toBeGreaterThanOrEqual(
      countTokens("<think>\nRequest 0, choice 0.\n</think>\n<solution>\nq\n</solution>"),
    );
  });
});

describe("stream: true", () => {
  it("SSE chunks the openai client reassembles, with reasoning deltas, finish_reason and a usage chunk", async () => {
    const s = await serve({
      reasoning: "reasoning_content",
      tokenLatencyMs: 1,
      streamIntervalMs: 5,
      answer: () => ({ reasoning: "think ".repeat(20), text: "<solution>done</solution>" }),
    });
    const stream = await client(s).chat.completions.create({
      model: "vllm-model",
      messages: user("q"),
      max_tokens: 500,
      n: 2,
      stream: true,
      stream_options: { include_usage: true },
    });
    const content = ["", ""];
    const reasoning = ["", ""];
    const finish: Array<string | null> = [null, null];
    let usage: unknown;
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      if (chunk.usage) usage = chunk.usage;
      for (const ch of chunk.choices) {
        const d = ch.delta as { content?: string | null; reasoning_content?: string };
        content[ch.index] += d.content ?? "";
        reasoning[ch.index] += d.reasoning_content ?? "";
        if (ch.finish_reason) finish[ch.index] = ch.finish_reason;
      }
    }
    expect(content).toEqual(["<solution>done</solution>", "<solution>done</solution>"]);
    expect(reasoning).toEqual(["think ".repeat(20), "think ".repeat(20)]);
    expect(finish).toEqual(["stop", "stop"]);
    expect(usage).toMatchObject({
      prompt_tokens: 1,
      completion_tokens: 2 * countTokens(`<think>${"think ".repeat(20)}</think><solution>done</solution>`),
    });
    expect(chunks).toBeGreaterThan(6); // pieces while generating, not one blob
  });
});
