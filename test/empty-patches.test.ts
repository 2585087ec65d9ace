// Instances whose repair samples give no patch to validate (every sample empty or a no-op):
// validate still leaves a validation.jsonl, rerank gives them an empty prediction, and the
// evaluation counts them as empty patches (not resolved), as the SWE-bench harness does, next
// to instances that have a patch.
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSelectedInstances } from "../src/dataset/options.js";
import type { Instance } from "../src/dataset/schema.js";
import { buildDemoBenchmark } from "../src/demo/build.js";
import { removeRunContainers } from "../src/docker/cleanup.js";
import { EnginePool } from "../src/docker/engines.js";
import { evaluatePredictions } from "../src/evaluate/evaluate-predictions.js";
import { ensureDemoImages } from "../src/images/prepare.js";
import type { Prediction } from "../src/records/predictions.js";
import { fileDiff } from "../src/repair/git-diff.js";
import { readFilesAtCommit } from "../src/repo/files.js";
import { rerankRun } from "../src/rerank/run-candidates.js";
import { RunStore } from "../src/store/run-store.js";
import { runValidateStage } from "../src/validate/stage.js";
import { requireDocker } from "./support/docker.js";

const SLUG = "textkit/slug.py";
let docker: Docker;
let work: string;
let textkit: Instance;
let durations: Instance;
let repoSources: Record<string, string>;
let noop: string;
let engines: EnginePool;
const runIds: string[] = [];

beforeAll(async () => {
  docker = await requireDocker();
  work = await mkdtemp(join(tmpdir(), "swerl-empty-"));
  const all = await loadSelectedInstances({ dataset: "demo" });
  textkit = all.find((i) => i.instance_id === "swerl-demo__textkit-1")!;
  durations = all.find((i) => i.instance_id === "swerl-demo__durations-1")!;
  await ensureDemoImages(docker, [durations], "none");
  repoSources = (await buildDemoBenchmark()).repoSources;
  const slug = (await readFilesAtCommit(repoSources[textkit.repo]!, textkit.base_commit, [SLUG]))[SLUG]!;
  noop = fileDiff(SLUG, slug, slug.replace("import re\n", "import re\n\n")); // whitespace only: normalizes to nothing
  engines = new EnginePool([{ host: "", workers: 2 }]);
}, 120_000);

afterAll(async () => {
  engines?.close();
  for (const id of runIds) await removeRunContainers(docker, id);
  if (work) await rm(work, { recursive: true, force: true });
});

async function openRun(name: string): Promise<RunStore> {
  const runId = `empty-${name}-${process.pid}`;
  runIds.push(runId);
  return RunStore.open({ runId, command: "run", config: { test: runId }, resultsDir: join(work, "results") });
}

const validate = (run: RunStore, instances: Instance[]) =>
  runValidateStage({
    run,
    instances,
    engines,
    repoSources,
    namespace: "none",
    isolation: "reuse",
    limits: { memoryBytes: 512 * 1024 ** 2, pidsLimit: 256 },
    regressionTimeoutS: 20,
    testTimeoutS: 10,
  });

async function preds(run: RunStore): Promise<Map<string, Prediction>> {
  const lines = (await readFile(run.path("preds.jsonl"), "utf8")).trim().split("\n");
  return new Map(lines.map((l) => JSON.parse(l) as Prediction).map((p) => [p.instance_id, p]));
}

describe("instances without a patch to validate", () => {
  it("a run where no instance has one: an empty validation.jsonl, an empty prediction each", async () => {
    const run = await openRun("all");
    for (const [sample, patch] of ["", noop, "not a diff"].entries())
      await run.append("repair", { instance_id: textkit.instance_id, sample, patch });
    const { summary } = await validate(run, [textkit]);
    expect(summary).toMatchObject({ patches: 0, validated: 0, errors: 0, failed_instances: {} });
    expect((await stat(run.stagePath("validation"))).size).toBe(0);
    const r = await rerankRun(run, [textkit], { rule: "swerl", filter: "both", modelName: "m" });
    expect(r).toMatchObject({ instances: 1, withPatch: 0 });
    expect((await preds(run)).get(textkit.instance_id)).toMatchObject({ model_patch: "", sample: null });
    await run.finish("success");
  }, 60_000);

  it("next to an instance with a patch: that one is validated, chosen and resolved; the other is an empty patch", async () => {
    const run = await openRun("mixed");
    await run.append("repair", { instance_id: textkit.instance_id, sample: 0, patch: noop });
    await run.append("repair", { instance_id: durations.instance_id, sample: 0, patch: durations.patch });
    const { summary } = await validate(run, [textkit, durations]);
    expect(summary).toMatchObject({ patches: 1, validated: 1, errors: 0 });
    await rerankRun(run, [textkit, durations], { rule: "swerl", filter: "both", modelName: "m" });
    const chosen = await preds(run);
    expect(chosen.get(textkit.instance_id)).toMatchObject({ model_patch: "", sample: null });
    expect(chosen.get(durations.instance_id)).toMatchObject({ model_patch: durations.patch, sample: 0 });
    const { report } = await evaluatePredictions({
      engines,
      run,
      instances: [textkit, durations],
      predictions: chosen,
      namespace: "none",
      timeoutS: 120,
      limits: { memoryBytes: 512 * 1024 ** 2, pidsLimit: 256 },
    });
    expect(report).toMatchObject({
      total_instances: 2,
      submitted_instances: 2,
      resolved_ids: [durations.instance_id],
      empty_patch_ids: [textkit.instance_id],
      error_ids: [],
    });
    await run.finish("success");
  }, 180_000);
});
