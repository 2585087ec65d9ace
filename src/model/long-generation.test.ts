// A generation longer than undici's default 300 s header timeout (a non-streamed answer sends
// no header until it is complete) is recorded once, with no model error, when model.timeout_s
// allows it. Real time: this file takes about 5.5 minutes and runs beside the others in CI.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { configSchema } from "../config/schema.js";
import { createModelProvider } from "./factory.js";
import { VllmServer } from "../../test/support/model/vllm-server.js";

const GENERATION_MS = 320_000;
let dir: string;
let server: VllmServer;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "swerl-long-"));
  server = await new VllmServer({
    servedModelNames: ["thinker"],
    reasoning: "reasoning_content",
    answer: () => ({ reasoning: "a long thought", text: "<solution>done</solution>", extraMs: GENERATION_MS }),
  }).start();
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

it(
  "an answer that takes 320 s arrives, once, with model.timeout_s 900",
  async () => {
    const config = configSchema.parse({
      model: { provider: "openai", name: "thinker", base_urls: [server.baseUrl], timeout_s: 900, max_retries: 6 },
    }).model;
    const client = createModelProvider(config, { cacheDir: join(dir, "cache") });
    await client.preflight();
    const started = performance.now();
    const r = await client.complete({
      messages: [{ role: "user", content: "think hard" }],
      sampleIndex: 0,
      instanceId: "a__b-1",
      stage: "repair",
      params: { temperature: 1, top_p: 1, max_tokens: 4096 },
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(GENERATION_MS - 1000);
    expect(r).toMatchObject({
      ok: true,
      text: "<think>a long thought</think><solution>done</solution>",
      attempts: 1,
      finishReason: "stop",
    });
    expect(server.requests).toBe(1);
    expect(client.usage.snapshot().repair).toMatchObject({ ok: 1, failed: 0 });
  },
  GENERATION_MS + 120_000,
);
