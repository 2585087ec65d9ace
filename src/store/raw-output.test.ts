// Raw model outputs in records: compressed (raw_output_gz) or plain (raw_output), read back from
// either, kept by a crash mid-write, replayed from a compressed run and from an old plain one.
import { execFileSync } from "node:child_process";
import { appendFile, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ReplayProvider } from "../model/replay.js";
import type { ModelRequest } from "../model/types.js";
import { rawOutputFields, rawOutputOf } from "./raw-output.js";
import { RunStore } from "./run-store.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "swerl-raw-output-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ANSWERS = [
  "",
  "<think>\nthe bug is in parse() — “quoted” text, tabs\t, emoji 🐍, \\ backslashes\n</think>\n<solution>\n```python\n### a.py\n<<<<<<< SEARCH\nx = 1\n=======\nx = 2\n>>>>>>> REPLACE\n```\n</solution>",
  "Let me think. ".repeat(2000),
];

const ask = (instanceId: string, sampleIndex: number): ModelRequest => ({
  messages: [{ role: "user", content: "anything" }],
  sampleIndex,
  instanceId,
  stage: "repair",
  params: { temperature: 1, top_p: 1, max_tokens: 10 },
});

async function openRun(name: string): Promise<RunStore> {
  return RunStore.open({ runId: name, command: "test", config: {}, resultsDir: dir });
}

describe("raw outputs in records", () => {
  it("round trip: gzip by default, plain on request, null (a failed call) stays plain", () => {
    for (const text of ANSWERS) {
      const gz = rawOutputFields(text);
      expect(gz.raw_output).toBeUndefined();
      expect(typeof gz.raw_output_gz).toBe("string");
      expect(rawOutputOf(JSON.parse(JSON.stringify(gz)))).toBe(text);
      expect(rawOutputFields(text, "plain")).toEqual({ raw_output: text });
      expect(rawOutputOf(rawOutputFields(text, "plain"))).toBe(text);
    }
    expect(rawOutputFields(null)).toEqual({ raw_output: null });
    expect(rawOutputOf({ raw_output: null })).toBeNull();
    expect(rawOutputOf({})).toBeNull();
    // A long answer is stored smaller even as base64.
    expect(rawOutputFields(ANSWERS[2]!).raw_output_gz!.length).toBeLessThan(ANSWERS[2]!.length / 10);
  });

  it("bad fields are named", () => {
    expect(() => rawOutputOf({ raw_output_gz: 3 }, "f:1")).toThrow(/f:1: "raw_output_gz" must be a base64 string/);
    expect(() => rawOutputOf({ raw_output_gz: "bm90IGd6aXA=" }, "f:2")).toThrow(
      /f:2: "raw_output_gz" is not base64 gzip/,
    );
    expect(() => rawOutputOf({ raw_output: 5 }, "f:3")).toThrow(/f:3: "raw_output" must be a string or null/);
  });

  it("standard tools read one answer: base64 -d | gunzip", () => {
    const line = JSON.stringify({ instance_id: "a", sample: 0, ...rawOutputFields(ANSWERS[1]!) });
    const b64 = (JSON.parse(line) as { raw_output_gz: string }).raw_output_gz;
    const out = execFileSync("sh", ["-c", "base64 -d | gunzip"], { input: b64, encoding: "utf8" });
    expect(out).toBe(ANSWERS[1]);
  });

  it("a write torn by a kill loses only that record; the run resumes and replays", async () => {
    const run = await openRun("torn");
    for (const [sample, text] of ANSWERS.entries())
      await run.append("repair", { instance_id: "a__b-1", stage: "repair", sample, ...rawOutputFields(text) });
    await run.finish("interrupted");
    // A kill in the middle of the next record's line (inside its compressed answer).
    const torn = JSON.stringify({ instance_id: "a__b-1", stage: "repair", sample: 3, ...rawOutputFields("lost") });
    await appendFile(run.stagePath("repair"), torn.slice(0, torn.indexOf("raw_output_gz") + 20));
    const resumed = await openRun("torn");
    await resumed.append("repair", { instance_id: "a__b-1", stage: "repair", sample: 3, ...rawOutputFields("kept") });
    await resumed.finish("success");
    const lines = (await readFile(run.stagePath("repair"), "utf8")).trim().split("\n");
    expect(lines).toHaveLength(4);
    const texts = lines.map((l, i) => rawOutputOf(JSON.parse(l) as Record<string, unknown>, `line ${i + 1}`));
    expect(texts).toEqual([...ANSWERS, "kept"]);
    const replay = new ReplayProvider(run.stagePath("repair"));
    for (const [sample, text] of [...ANSWERS, "kept"].entries())
      expect(await replay.complete(ask("a__b-1", sample))).toMatchObject({ ok: true, text });
  });

  it("a run written before compression (raw_output) and one mixing both forms replay alike", async () => {
    const run = await openRun("mixed");
    await run.append("repair", { instance_id: "a__b-1", stage: "repair", sample: 0, raw_output: ANSWERS[1] });
    await run.append("repair", { instance_id: "a__b-1", stage: "repair", sample: 1, raw_output: null, error: "x" });
    await run.append("repair", { instance_id: "a__b-1", stage: "repair", sample: 2, ...rawOutputFields(ANSWERS[2]!) });
    await run.finish("success");
    const replay = new ReplayProvider(run.stagePath("repair"));
    expect(await replay.complete(ask("a__b-1", 0))).toMatchObject({ ok: true, text: ANSWERS[1] });
    expect(await replay.complete(ask("a__b-1", 1))).toMatchObject({ ok: false, reason: "replay_error" });
    expect(await replay.complete(ask("a__b-1", 2))).toMatchObject({ ok: true, text: ANSWERS[2] });
  });
});
