// Replay answers from a samples JSONL of an earlier run.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configSchema } from "../config/schema.js";
import { createModelProvider } from "./factory.js";
import { ReplayProvider } from "./replay.js";
import type { ModelRequest } from "./types.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "swerl-replay-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ask = (instanceId: string, sampleIndex: number, stage = "repair"): ModelRequest => ({
  messages: [{ role: "user", content: "anything" }],
  sampleIndex,
  instanceId,
  stage,
  params: { temperature: 1, top_p: 1, max_tokens: 10 },
});

async function samplesFile(lines: unknown[]): Promise<string> {
  const path = join(dir, `samples-${Math.random().toString(16).slice(2)}.jsonl`);
  await writeFile(path, lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n") + "\n");
  return path;
}

describe("replay provider", () => {
  it("answers each (instance, stage, sample) with its recorded raw output and usage", async () => {
    const path = await samplesFile([
      {
        instance_id: "a__b-1",
        stage: "repair",
        sample: 0,
        raw_output: "first",
        usage: { prompt_tokens: 10, completion_tokens: 3 },
      },
      {
        instance_id: "a__b-1",
        stage: "repair",
        sample: 1,
        raw_output: "second",
        prompt_tokens: 7,
        completion_tokens: 2,
      },
      { instance_id: "a__b-1", stage: "localize", sample: 0, raw_output: "```\nx.py\n```" },
      "",
      { instance_id: "a__b-1", stage: "repair", sample: 0, raw_output: "first, resumed" }, // a later line wins
    ]);
    const cfg = configSchema.parse({ model: { provider: "replay", replay_file: path } }).model;
    const c = createModelProvider(cfg);
    expect(c.kind).toBe("replay");
    expect(c.name).toBe(`replay:${path}`);
    expect(await c.complete(ask("a__b-1", 0))).toMatchObject({ ok: true, text: "first, resumed", cached: false });
    expect(await c.complete(ask("a__b-1", 1))).toMatchObject({
      ok: true,
      text: "second",
      usage: { prompt_tokens: 7, completion_tokens: 2 },
    });
    expect(await c.complete(ask("a__b-1", 0, "localize"))).toMatchObject({ ok: true, text: "```\nx.py\n```" });
    expect(c.usage.snapshot().repair).toMatchObject({ requests: 2, ok: 2 });
  });

  it("a missing sample, or one that had failed, is an error result", async () => {
    const path = await samplesFile([
      { instance_id: "a__b-1", stage: "repair", sample: 0, raw_output: null, error: "context_length" },
    ]);
    const p = new ReplayProvider(path);
    expect(await p.complete(ask("a__b-1", 0))).toMatchObject({
      ok: false,
      reason: "replay_error",
      message: expect.stringContaining("context_length"),
    });
    expect(await p.complete(ask("a__b-1", 1))).toMatchObject({
      ok: false,
      reason: "replay_missing",
      message: expect.stringContaining("no sample 1"),
    });
    expect(await p.complete(ask("c__d-2", 0))).toMatchObject({ ok: false, reason: "replay_missing" });
  });

  it("rejects a bad samples file naming the line, and a config without the file", async () => {
    const notJson = await samplesFile([{ instance_id: "a", stage: "repair", sample: 0, raw_output: "x" }, "{oops"]);
    await expect(new ReplayProvider(notJson).complete(ask("a", 0))).rejects.toThrow(/:2: not JSON/);
    const badSample = await samplesFile([{ instance_id: "a", stage: "repair", sample: "0", raw_output: "x" }]);
    await expect(new ReplayProvider(badSample).complete(ask("a", 0))).rejects.toThrow(
      /:1: "sample" must be an integer/,
    );
    await expect(new ReplayProvider(join(dir, "none.jsonl")).complete(ask("a", 0))).rejects.toThrow(
      /model.replay_file: cannot read .*none.jsonl/,
    );
    const cfg = configSchema.parse({ model: { provider: "replay" } }).model;
    expect(() => createModelProvider(cfg)).toThrow(/model.replay_file/);
  });
});
