// How full swerl keeps a model server's GPU: `swerl run`'s localize and repair steps
// (src/run/steps.ts, through runPipeline, the real OpenAIProvider over HTTP) against the vLLM
// imitation (test/support/model/vllm-server.ts) with S sequence slots, a per-token latency and
// heavy-tailed (log-normal) answer lengths. Prints, per stage and in all, GPU-slot occupancy
// = busy slot-seconds / (S × wall seconds), wall time, requests and choices sent.
//
//   npx vite-node bench/serving.ts [--instances 20] [--samples 64] [--localize-samples 64]
//     [--slots 64] [--token-ms 0.25] [--median-tokens 800] [--sigma 0.8] [--max-tokens 4096]
//     [--prefill-ms 20] [--cached-prefill-ms 2] [--concurrency 64] [--seed 1] [--stream]
//
// Instances: the 5 demo instances (src/demo/benchmark) cloned to --instances, each copy with
// its own marker in the issue text (so its prompts are its own). Answers are oracle-like: the
// gold files for localize, the gold edits as SEARCH/REPLACE for repair, both in SWE-RL's
// <think>…</think><solution>…</solution> form; the drawn length pads the thought. Time is
// compressed (0.25 ms/token instead of ~30 ms on a GPU), so the harness's own CPU work per
// sample weighs ~100× more than it would for real: occupancy here is a lower bound.
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { configSchema } from "../src/config/schema.js";
import { loadDataset } from "../src/dataset/load.js";
import type { Instance } from "../src/dataset/schema.js";
import { buildDemoBenchmark } from "../src/demo/build.js";
import { goldLocalizationFiles } from "../src/records/localization-metrics.js";
import { InstanceRepos } from "../src/localize/repos.js";
import { configureLogging } from "../src/log/logger.js";
import { createModelProvider } from "../src/model/factory.js";
import { VllmServer, type VllmChatBody } from "../test/support/model/vllm-server.js";
import { editsFromPatch, formatAnswer } from "../src/reward/patch-to-edits.js";
import { runPipeline, type PipelineContext, type StageStep } from "../src/run/pipeline.js";
import { localizeStep, repairStep } from "../src/run/steps.js";
import { RunStore } from "../src/store/run-store.js";

const args = process.argv.slice(2);
function num(name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(args[i + 1]);
  if (!Number.isFinite(v) || v < 0) {
    console.error(`bench/serving.ts: --${name} needs a non-negative number, got "${args[i + 1]}"`);
    process.exit(2);
  }
  return v;
}
const known = new Set([
  "stream",
  "instances",
  "samples",
  "localize-samples",
  "slots",
  "token-ms",
  "median-tokens",
  "sigma",
  "max-tokens",
  "prefill-ms",
  "cached-prefill-ms",
  "concurrency",
  "seed",
]);
for (const a of args) {
  if (a.startsWith("--") && !known.has(a.slice(2))) {
    console.error(`bench/serving.ts: unknown flag ${a} (flags: ${[...known].map((k) => `--${k}`).join(" ")})`);
    process.exit(2);
  }
}
const o = {
  instances: num("instances", 20),
  samples: num("samples", 64),
  localizeSamples: num("localize-samples", num("samples", 64)),
  slots: num("slots", 64),
  tokenMs: num("token-ms", 0.25),
  medianTokens: num("median-tokens", 800),
  sigma: num("sigma", 0.8),
  maxTokens: num("max-tokens", 4096),
  prefillMs: num("prefill-ms", 20),
  cachedPrefillMs: num("cached-prefill-ms", 2),
  concurrency: num("concurrency", 64),
  seed: num("seed", 1),
  stream: args.includes("--stream"),
};

const MARK = /\[serving-bench instance (\d+)\]/;

/** The demo instances cloned to n, each with a marker in its issue text. */
function cloneInstances(base: Instance[], n: number): Instance[] {
  return Array.from({ length: n }, (_, k) => {
    const src = base[k % base.length];
    return {
      ...src,
      instance_id: `${src.instance_id}__copy${k}`,
      problem_statement: `${src.problem_statement.trimEnd()}\n\n[serving-bench instance ${k}]\n`,
    };
  });
}

function oracleAnswer(instances: Instance[]) {
  return (body: VllmChatBody) => {
    const text = body.messages.map((m) => (typeof m.content === "string" ? m.content : "")).join("\n");
    const k = MARK.exec(text);
    if (!k) return "<think>\nno instance marker\n</think>\n<solution>\n</solution>";
    const inst = instances[Number(k[1])];
    if (text.includes("### Repository Structure ###")) {
      const files = goldLocalizationFiles(inst.patch) ?? [];
      return {
        reasoning: "\nThe issue points at these files.\n",
        text: `\n<solution>\n\`\`\`\n${files.join("\n")}\n\`\`\`\n</solution>`,
      };
    }
    return formatAnswer("The fix follows from the issue.", editsFromPatch(inst.patch));
  };
}

interface StageNumbers {
  stage: string;
  wallS: number;
  requests: number;
  choices: number;
  busySlotS: number;
  occupancy: number;
  serverOccupancy: number;
  maxRunning: number;
  maxQueue: number;
  distinctPrompts: number;
  truncated: number;
  summary: string;
}

async function main(): Promise<void> {
  configureLogging({ quiet: true });
  const work = await mkdtemp(join(tmpdir(), "swerl-bench-serving-"));
  const bench = await buildDemoBenchmark(join(work, "demo"));
  const instances = cloneInstances(await loadDataset(bench.datasetPath), o.instances);
  const server = await new VllmServer({
    servedModelNames: ["bench-model"],
    root: "/models/bench",
    maxModelLen: 131072,
    slots: o.slots,
    tokenLatencyMs: o.tokenMs,
    prefillMs: o.prefillMs,
    cachedPrefillMs: o.cachedPrefillMs,
    seed: String(o.seed),
    lengths: { medianTokens: o.medianTokens, sigma: o.sigma, maxTokens: o.maxTokens },
    answer: oracleAnswer(instances),
  }).start();
  const config = configSchema.parse({
    model: {
      provider: "openai",
      name: "bench-model",
      base_urls: [server.baseUrl],
      temperature: 1,
      top_p: 1,
      max_tokens: o.maxTokens,
      seed: o.seed,
      concurrency: o.concurrency,
      stream: o.stream,
      cache: false,
    },
    localize: { samples: o.localizeSamples },
    repair: { samples: o.samples, locations: "localized" },
  });
  const provider = createModelProvider(config.model, { noCache: true });
  const resultsDir = join(work, "results");
  const run = await RunStore.open({ runId: "serving", command: "run", config, resultsDir });
  const numbers: StageNumbers[] = [];
  const measured = (step: StageStep): StageStep => ({
    name: step.name,
    async run(ctx) {
      server.resetStats();
      const t0 = performance.now();
      const r = await step.run(ctx);
      const wallMs = performance.now() - t0;
      const st = server.stats();
      numbers.push({
        stage: step.name,
        wallS: wallMs / 1000,
        requests: st.requests,
        choices: st.choices,
        busySlotS: st.busySlotMs / 1000,
        occupancy: st.busySlotMs / (o.slots * wallMs),
        serverOccupancy: st.occupancy,
        maxRunning: st.maxRunning,
        maxQueue: st.maxQueueDepth,
        distinctPrompts: st.distinctPrompts,
        truncated: st.truncated,
        summary: r.summary,
      });
      return r;
    },
  });
  const ctx = {
    config,
    run,
    instances,
    datasetPath: bench.datasetPath,
    repos: InstanceRepos.local(bench.repoSources),
    provider,
    docker: undefined,
    engines: undefined,
    resultsDir,
    gradeAll: false,
    retryFailed: false,
    shouldStop: () => false,
    noImage: {},
  } as unknown as PipelineContext; // localize and repair use neither Docker nor engines
  const t0 = performance.now();
  await runPipeline(ctx, { steps: [measured(localizeStep), measured(repairStep)], reuse: {} });
  const wallS = (performance.now() - t0) / 1000;
  (provider.inner as { close?: () => void }).close?.();
  await server.close();
  await rm(work, { recursive: true, force: true });

  const f = (x: number, d = 2) => x.toFixed(d);
  console.log(
    `serving bench: ${o.instances} instances, localize ${o.localizeSamples} + repair ${o.samples} samples each; ` +
      `${o.slots} slots, ${o.tokenMs} ms/token, lengths log-normal median ${o.medianTokens} sigma ${o.sigma} cap ${o.maxTokens}, ` +
      `prefill ${o.prefillMs}/${o.cachedPrefillMs} ms (new/cached), model.concurrency ${o.concurrency}${o.stream ? ", streamed" : ""}; load average ${f(loadavg()[0], 1)}`,
  );
  console.log(
    "stage     wall s  requests  choices  busy slot-s  occupancy  (server window)  max running  max queued  distinct prompts  truncated",
  );
  for (const n of numbers) {
    console.log(
      `${n.stage.padEnd(9)} ${f(n.wallS, 1).padStart(6)}  ${String(n.requests).padStart(8)}  ${String(n.choices).padStart(7)}  ${f(n.busySlotS, 1).padStart(11)}  ` +
        `${f(n.occupancy).padStart(9)}  ${f(n.serverOccupancy).padStart(15)}  ${String(n.maxRunning).padStart(11)}  ${String(n.maxQueue).padStart(10)}  ${String(n.distinctPrompts).padStart(16)}  ${String(n.truncated).padStart(9)}`,
    );
  }
  const busy = numbers.reduce((s, n) => s + n.busySlotS, 0);
  const stageWall = numbers.reduce((s, n) => s + n.wallS, 0);
  console.log(`perfect packing would take ${f(busy / o.slots, 1)} s (busy slot-seconds / slots)`);
  console.log(
    `localize+repair: wall ${f(stageWall, 1)} s (pipeline ${f(wallS, 1)} s), requests ${numbers.reduce((s, n) => s + n.requests, 0)}, ` +
      `choices ${numbers.reduce((s, n) => s + n.choices, 0)}, GPU-slot occupancy ${f(busy / (o.slots * stageWall))}`,
  );
  for (const n of numbers) console.log(`  ${n.stage}: ${n.summary}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
