// The repair stage through the real openai provider against a local OpenAI-compatible server
// (real HTTP on 127.0.0.1): the exact messages sent, failed calls recorded (not retried for a
// context-length error, retried then recorded for a 500 storm), a sloppy but usable answer
// parsed by the tolerant parser, the response cache on a second run, and replay.
import { rawOutputOf } from "../store/raw-output.js";
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configSchema } from "../config/schema.js";
import { loadDataset } from "../dataset/load.js";
import type { Instance } from "../dataset/schema.js";
import { buildDemoBenchmark, type DemoBenchmark } from "../demo/build.js";
import { createModelProvider } from "../model/factory.js";
import {
  contextLengthError,
  FakeOpenAIServer,
  type ChatBody,
  type FakeReply,
} from "../../test/support/model/fake-server.js";
import { editsFromPatch, formatAnswer } from "../reward/patch-to-edits.js";
import { RunStore } from "../store/run-store.js";
import { displayContent } from "./context.js";
import { goldPatchFiles } from "../records/locations.js";
import { repairUserPrompt, THINKING_SYSTEM } from "./prompts.js";
import type { RepairRecord } from "../records/repair.js";
import { runRepairStage } from "./stage.js";

const sh = (cwd: string, args: string[], input?: string) =>
  execFileSync("git", args, { cwd, input, encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] });

const SEED = 1000;
let work: string;
let bench: DemoBenchmark;
let instances: Instance[];
let server: FakeOpenAIServer;

/** Sample s of an instance: 1 → 500 on every attempt, 2 → context-length 400, 3 → a sloppy answer, else the gold edits. */
function reply(body: ChatBody): FakeReply {
  const inst = instances.find((i) => body.messages[1].content.includes(i.problem_statement.trim()))!;
  const sample = (body.seed ?? 0) - SEED;
  const answer = formatAnswer("The fix follows from the issue.", editsFromPatch(inst.patch));
  if (sample === 1) return { kind: "status", status: 500 };
  if (sample === 2) return { kind: "status", status: 400, body: contextLengthError };
  if (sample === 3) {
    // no <think>, no path line, spaces after markers, CRLF: strict format fails, the repair parser copes
    const sloppy = answer
      .replace(/<think>[\s\S]*<\/think>\n/, "")
      .replace(/### .*\n/g, "")
      .replace(/<<<<<<< SEARCH\n/g, "<<<<<<< SEARCH  \n")
      .replace(/>>>>>>> REPLACE\n/g, ">>>>>>> REPLACE \n")
      .replace(/\n/g, "\r\n");
    return { kind: "ok", text: sloppy };
  }
  return { kind: "ok", text: answer };
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "swerl-repair-openai-"));
  bench = await buildDemoBenchmark(join(work, "demo"));
  instances = (await loadDataset(bench.datasetPath)).filter((i) =>
    ["swerl-demo__durations-1", "swerl-demo__textkit-1"].includes(i.instance_id),
  );
  server = await new FakeOpenAIServer({ handler: reply }).start();
}, 300_000);
afterAll(async () => {
  await server.close();
  await rm(work, { recursive: true, force: true });
});

function modelConfig(over: Record<string, unknown> = {}) {
  return configSchema.parse({
    model: {
      provider: "openai",
      name: "local-test",
      base_urls: [server.baseUrl],
      temperature: 0.8,
      top_p: 0.95,
      max_tokens: 1024,
      seed: SEED,
      max_retries: 1,
      timeout_s: 10,
      // one request per sample (these tests script answers by seed); SWE-RL's thinking system prompt
      max_n: 1,
      system_prompt: "swe-rl",
      ...over,
    },
  }).model;
}

async function repair(runId: string, config = modelConfig()) {
  const run = await RunStore.open({ runId, command: "repair", config: { runId }, resultsDir: join(work, "results") });
  const provider = createModelProvider(config, {
    cacheDir: join(work, "cache"),
    backoff: { baseDelayMs: 5, maxDelayMs: 20 },
  });
  const result = await runRepairStage({
    run,
    instances,
    provider,
    repoSources: bench.repoSources,
    samples: 5,
    maxInputTokens: 60_000,
    locations: "gold",
    params: { temperature: config.temperature, top_p: config.top_p, max_tokens: config.max_tokens, seed: config.seed },
    seed: 0,
    concurrency: 4,
  });
  const records = (await readFile(run.stagePath("repair"), "utf8"))
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as RepairRecord);
  return {
    run,
    result,
    records: records.sort((a, b) => a.instance_id.localeCompare(b.instance_id) || a.sample - b.sample),
  };
}

describe("repair through the openai provider (local server, real HTTP)", () => {
  let first: Awaited<ReturnType<typeof repair>>;

  beforeAll(async () => {
    first = await repair("openai-1");
  }, 120_000);

  it("sends SWE-RL's system prompt and the exact repair prompt with the config's sampling params", () => {
    const ok = server.bodies.filter((b) => b.seed !== SEED + 1 && b.seed !== SEED + 2);
    expect(ok.length).toBe(instances.length * 3);
    for (const body of server.bodies) {
      const inst = instances.find((i) => body.messages[1].content.includes(i.problem_statement.trim()))!;
      const [path] = goldPatchFiles(inst.patch);
      const file = sh(bench.repoSources[inst.repo], ["show", `${inst.base_commit}:${path}`]);
      expect(body.messages).toEqual([
        { role: "system", content: THINKING_SYSTEM },
        { role: "user", content: repairUserPrompt(inst.problem_statement, `### ${path}\n${displayContent(file)}`) },
      ]);
      expect(body).toMatchObject({ model: "local-test", temperature: 0.8, top_p: 0.95, max_tokens: 1024, n: 1 });
    }
  });

  it("records failed calls with their reason, retrying a 500 storm but not a context-length error", () => {
    expect(first.records).toHaveLength(instances.length * 5);
    for (const inst of instances) {
      const [s0, s1, s2, s3, s4] = first.records.filter((r) => r.instance_id === inst.instance_id);
      expect(s1).toMatchObject({
        status: "model_error",
        model_error: "http_500",
        attempts: 2,
        raw_output: null,
        reward: null,
        patch: "",
      });
      expect(s2).toMatchObject({
        status: "model_error",
        model_error: "context_length",
        attempts: 1,
        raw_output: null,
        reward: null,
      });
      expect(s2.error).toMatch(/^context_length: /);
      for (const r of [s0, s4]) {
        expect(r).toMatchObject({
          status: "ok",
          format_ok: true,
          reward: 1,
          model: "local-test",
          provider: "openai",
          cached: false,
          finish_reason: "stop",
        });
        expect(r.usage.prompt_tokens).toBeGreaterThan(100);
        const checkout = join(work, "co", `${inst.instance_id}-${r.sample}`);
        sh(work, ["clone", "-q", bench.repoSources[inst.repo], checkout]);
        sh(checkout, ["checkout", "-q", inst.base_commit]);
        sh(checkout, ["apply", "--check", "-"], r.patch);
      }
      // the sloppy answer: strict SWE-RL says format error (-1); the repair parser still gets the same patch
      expect(s3).toMatchObject({ status: "ok", format_ok: false, reward: -1, thought_length: 0, patch: s0.patch });
      expect(s3.blocks[0].rules).toEqual(expect.arrayContaining(["crlf", "marker_format", "missing_path"]));
    }
    expect(first.result.summary).toMatchObject({
      samples: 10,
      model_errors: 4,
      answered: 6,
      format_errors: 2,
      unique_patches_per_instance: 1,
    });
  });

  it("a second run answers from the response cache (no calls but the failed ones); replay reproduces the records", async () => {
    const before = server.requests;
    const second = await repair("openai-2");
    const newBodies = server.bodies.slice(before);
    expect(newBodies.every((b) => b.seed === SEED + 1 || b.seed === SEED + 2)).toBe(true); // errors are never cached
    for (const [a, b] of first.records.map((r, i) => [r, second.records[i]] as const)) {
      if (a.status === "model_error") continue;
      expect(b).toMatchObject({ cached: true, reward: a.reward, patch: a.patch });
      expect(rawOutputOf(b)).toBe(rawOutputOf(a));
    }
    const replayed = await repair(
      "openai-replay",
      configSchema.parse({ model: { provider: "replay", replay_file: first.run.stagePath("repair") } }).model,
    );
    for (const [a, b] of first.records.map((r, i) => [r, replayed.records[i]] as const)) {
      if (a.status === "model_error") expect(b).toMatchObject({ status: "model_error", model_error: "replay_error" });
      else {
        expect(a.raw_output_gz).toBeDefined(); // replayed from a compressed run
        expect(b).toMatchObject({
          provider: "replay",
          reward: a.reward,
          patch: a.patch,
          status: a.status,
        });
        expect(rawOutputOf(b)).toBe(rawOutputOf(a));
      }
    }
  });
});
