// The localization stage through the real openai provider against a local OpenAI-compatible
// server (real HTTP on 127.0.0.1): the exact message sent with the config's sampling params,
// answers in several styles parsed, a 500 storm recorded as a failed call, the response cache.
import { rawOutputOf } from "../store/raw-output.js";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configSchema } from "../config/schema.js";
import { loadDataset } from "../dataset/load.js";
import type { Instance } from "../dataset/schema.js";
import { buildDemoBenchmark, type DemoBenchmark } from "../demo/build.js";
import { createModelProvider } from "../model/factory.js";
import { FakeOpenAIServer, type ChatBody, type FakeReply } from "../../test/support/model/fake-server.js";
import { mapCommit } from "../repomap/build.js";
import { RunStore } from "../store/run-store.js";
import { goldLocalizationFiles } from "../records/localization-metrics.js";
import { buildLocalizationPrompt, promptSettings } from "./prompt.js";
import type { LocalizeRecord } from "../records/localization.js";
import { InstanceRepos } from "./repos.js";
import { runLocalizeStage } from "./stage.js";

const SEED = 300;
let work: string;
let bench: DemoBenchmark;
let instances: Instance[];
let server: FakeOpenAIServer;

/** The files of the listing in a prompt, read back the way a model would: by indentation. */
function listedPaths(prompt: string): string[] {
  const listing = prompt.split("### Repository Structure ###\n")[1]!.split("\n\n\n###")[0]!.split("\n");
  const indent = listing.map((l) => l.length - l.trimStart().length).find((n) => n > 0) ?? 4;
  const stack: string[] = [];
  const out: string[] = [];
  for (const line of listing) {
    const depth = (line.length - line.trimStart().length) / indent;
    stack.length = depth;
    stack.push(line.trim());
    if (line.endsWith(".py")) out.push(stack.join("/"));
  }
  return out;
}

/** Sample 0: thinking format, "./" and a line number; 1: 500s; 2: no fence, a description; 3: every listed file. */
function reply(body: ChatBody): FakeReply {
  const prompt = body.messages[0]!.content;
  const inst = instances.find((i) => prompt.includes(i.problem_statement))!;
  const [gold] = goldLocalizationFiles(inst.patch)!;
  const sample = (body.seed ?? 0) - SEED;
  if (sample === 0)
    return {
      kind: "ok",
      text: `<think>\nThe issue points at ${gold}.\n</think>\n<solution>\n\`\`\`\n./${gold}:42\n\`\`\`\n</solution>`,
    };
  if (sample === 1) return { kind: "status", status: 500 };
  if (sample === 2) return { kind: "ok", text: `${gold} - where the bug is` };
  return { kind: "ok", text: "```\n" + listedPaths(prompt).join("\n") + "\n```" };
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "swerl-localize-openai-"));
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

const model = () =>
  configSchema.parse({
    model: {
      provider: "openai",
      name: "local-test",
      base_urls: [server.baseUrl],
      temperature: 0.7,
      top_p: 0.9,
      max_tokens: 512,
      seed: SEED,
      max_retries: 1,
      timeout_s: 10,
    },
  }).model;

async function localize(runId: string) {
  const run = await RunStore.open({ runId, command: "localize", config: { runId }, resultsDir: join(work, "results") });
  const config = model();
  const provider = createModelProvider(config, {
    cacheDir: join(work, "cache"),
    backoff: { baseDelayMs: 5, maxDelayMs: 20 },
  });
  const result = await runLocalizeStage({
    run,
    instances,
    provider,
    repos: InstanceRepos.local(bench.repoSources),
    samples: 4,
    maxFiles: 5,
    params: { temperature: config.temperature, top_p: config.top_p, max_tokens: config.max_tokens, seed: config.seed },
    seed: 9,
    concurrency: 4,
    map: { cacheDir: false },
  });
  await run.finish("success");
  const records = (await readFile(run.stagePath("localization"), "utf8"))
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as LocalizeRecord);
  return { result, records: records.sort((a, b) => a.instance_id.localeCompare(b.instance_id) || a.sample - b.sample) };
}

describe("localize through the openai provider (local server, real HTTP)", () => {
  let first: Awaited<ReturnType<typeof localize>>;
  beforeAll(async () => {
    first = await localize("openai-1");
  }, 120_000);

  it("sends one user message, exactly the sample's prompt, with the config's sampling params", async () => {
    expect(server.bodies).toHaveLength(instances.length * 5); // sample 1 is tried twice
    for (const inst of instances) {
      const map = await mapCommit(bench.repoSources[inst.repo]!, inst.base_commit, { cacheDir: false });
      for (let s = 0; s < 4; s++) {
        const prompt = buildLocalizationPrompt(
          map,
          inst.repo,
          inst.problem_statement,
          promptSettings({ seed: 9, instanceId: inst.instance_id, sample: s, samples: 4, maxFiles: 5 }),
        );
        const bodies = server.bodies.filter(
          (b) => b.seed === SEED + s && b.messages[0]!.content.includes(inst.problem_statement),
        );
        expect(bodies.length).toBe(s === 1 ? 2 : 1);
        for (const b of bodies) {
          expect(b.messages).toEqual([{ role: "user", content: prompt }]);
          expect(b).toMatchObject({ model: "local-test", temperature: 0.7, top_p: 0.9, max_tokens: 512, n: 1 });
        }
      }
    }
  });

  it("parses each style, records the failed call, and scores the sets against the gold files", () => {
    expect(first.records).toHaveLength(instances.length * 4);
    for (const inst of instances) {
      const gold = goldLocalizationFiles(inst.patch)!;
      const [s0, s1, s2, s3] = first.records.filter((r) => r.instance_id === inst.instance_id);
      expect(s0).toMatchObject({
        status: "ok",
        found_files: gold,
        thinking: true,
        fenced: true,
        provider: "openai",
        model: "local-test",
        cached: false,
      });
      expect(s0!.usage.prompt_tokens).toBeGreaterThan(50);
      expect(s1).toMatchObject({
        status: "model_error",
        model_error: "http_500",
        attempts: 2,
        found_files: null,
        raw_output: null,
      });
      expect(s2).toMatchObject({
        status: "ok",
        found_files: gold,
        fenced: false,
        notes: [expect.stringMatching(/^no fenced block/)],
      });
      // every listed file named: the first n kept, the rest dropped as over the limit
      const named = listedPaths(
        server.bodies.find((b) => b.seed === SEED + 3 && b.messages[0]!.content.includes(inst.problem_statement))!
          .messages[0]!.content,
      );
      expect(named).toHaveLength(4);
      expect(s3!.found_files).toEqual(named.slice(0, s3!.n));
      expect(s3!.dropped).toEqual(named.slice(s3!.n).map((path) => ({ path, reason: "over_limit" })));
    }
    expect(first.result.summary).toMatchObject({ samples: 8, answered: 6, model_errors: 2 });
    expect(first.result.summary.metrics).toMatchObject({ instances: 2, any_hit: 1, all_hit: 1 });
  });

  it("a second run answers from the response cache; failed calls are asked again", async () => {
    const before = server.requests;
    const second = await localize("openai-2");
    expect(server.bodies.slice(before).every((b) => b.seed === SEED + 1)).toBe(true);
    for (const [a, b] of first.records.map((r, i) => [r, second.records[i]!] as const)) {
      if (a.status === "model_error") continue;
      expect(b).toMatchObject({
        cached: true,
        found_files: a.found_files,
        prompt_hash: a.prompt_hash,
      });
      expect(rawOutputOf(b)).toBe(rawOutputOf(a));
      expect(a.raw_output_gz).toBeDefined(); // compressed unless model.raw_output is plain
    }
  });
});
