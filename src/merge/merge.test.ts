import { mkdtemp, mkdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../config/load.js";
import { loadSelectedInstances, resolveDatasetPath } from "../dataset/options.js";
import { hashFile } from "../store/hash.js";
import { RunStore } from "../store/run-store.js";
import { DEMO_CONFIG } from "../run/command.js";
import { mergeRuns } from "./merge.js";

/** A finished shard run of the demo: every instance graded, resolved when `resolved(id)`. */
async function shardRun(
  resultsDir: string,
  runId: string,
  sets: string[],
  resolved: (id: string) => boolean,
): Promise<string[]> {
  const config = await loadConfig([DEMO_CONFIG], [`run_id=${runId}`, ...sets]);
  const run = await RunStore.open({
    runId,
    command: "run",
    config,
    resultsDir,
    datasetDigest: await hashFile(await resolveDatasetPath("demo")),
  });
  const d = config.dataset;
  const ids = (await loadSelectedInstances({ dataset: d.path, shard: d.shard })).map((i) => i.instance_id);
  for (const id of ids) {
    await run.append("repair", { instance_id: id, sample: 0, patch: "diff" });
    await writeFile(
      run.path("preds.jsonl"),
      `${JSON.stringify({ instance_id: id, model_name_or_path: "oracle", model_patch: "diff --git a/x b/x\n" })}\n`,
      { flag: "a" },
    );
    await mkdir(run.path("evaluation", id), { recursive: true });
    await writeFile(run.path("evaluation", id, "report.json"), JSON.stringify({ [id]: { resolved: resolved(id) } }));
  }
  await run.saveUsage("repair", {
    requests: ids.length,
    ok: ids.length,
    failed: 0,
    failures: {},
    cached: 0,
    prompt_tokens: 10 * ids.length,
    completion_tokens: 5,
    cached_prompt_tokens: 0,
    cached_completion_tokens: 0,
    latency_ms_total: 1,
    busy_ms: 1000,
    completion_tokens_per_s: 5,
    total_tokens_per_s: 15,
  });
  await run.finish("success");
  return ids;
}

describe("mergeRuns", () => {
  it("joins two shards into one run: records, per-instance dirs, usage, run report", async () => {
    const dir = await mkdtemp(join(tmpdir(), "swerl-merge-"));
    const resolved = (id: string) => id.endsWith("-1");
    const a = await shardRun(dir, "s1", ["dataset.shard=0/2"], resolved);
    const b = await shardRun(dir, "s2", ["dataset.shard=1/2"], resolved);
    expect(a.length + b.length).toBe(5);
    expect(a.filter((id) => b.includes(id))).toEqual([]);
    const r = await mergeRuns(dir, "all", ["s1", "s2"]);
    expect(r.instances).toBe(5);
    expect(r.files["repair.jsonl"]).toBe(5);
    const report = JSON.parse(await readFile(join(dir, "all", "run_report.json"), "utf8"));
    expect(report.total_instances).toBe(5);
    expect(report.resolved_ids).toEqual([...a, ...b].filter(resolved).sort());
    expect(report.completed_instances).toBe(5);
    const usage = JSON.parse(await readFile(join(dir, "all", "usage.json"), "utf8"));
    expect(usage.repair.requests).toBe(5);
    expect(usage.repair.prompt_tokens).toBe(50);
    const manifest = await RunStore.readManifest(join(dir, "all"));
    expect(manifest?.status).toBe("success");
    expect((manifest!.config as { dataset: { shard?: string } }).dataset.shard).toBeUndefined();
  });

  it("refuses runs with different configs, naming the key", async () => {
    const dir = await mkdtemp(join(tmpdir(), "swerl-merge-"));
    await shardRun(dir, "s1", ["dataset.shard=0/2"], () => true);
    await shardRun(dir, "s2", ["dataset.shard=1/2", "repair.samples=9"], () => true);
    await expect(mergeRuns(dir, "all", ["s1", "s2"])).rejects.toThrow(/config\.repair\.samples/);
  });

  it("refuses overlapping instances and unfinished runs", async () => {
    const dir = await mkdtemp(join(tmpdir(), "swerl-merge-"));
    await shardRun(dir, "s1", ["dataset.shard=0/2"], () => true);
    await shardRun(dir, "s1b", ["dataset.shard=0/2"], () => true);
    await expect(mergeRuns(dir, "all", ["s1", "s1b"])).rejects.toThrow(/is in both s1 and s1b/);
    const config = await loadConfig([DEMO_CONFIG], ["run_id=s3", "dataset.shard=1/2"]);
    await RunStore.open({
      runId: "s3",
      command: "run",
      config,
      resultsDir: dir,
      datasetDigest: await hashFile(await resolveDatasetPath("demo")),
    });
    await expect(mergeRuns(dir, "all", ["s1", "s3"])).rejects.toThrow(/status started/);
  });
});

describe("mergeRuns into a run directory swerl slurm prepared", () => {
  it("merges into a directory holding only slurm/, refuses one holding anything else", async () => {
    const dir = await mkdtemp(join(tmpdir(), "swerl-merge-"));
    await shardRun(dir, "s1", ["dataset.shard=0/2"], () => true);
    await shardRun(dir, "s2", ["dataset.shard=1/2"], () => true);
    await mkdir(join(dir, "taken", "slurm"), { recursive: true });
    await writeFile(join(dir, "taken", "notes.txt"), "x");
    await expect(mergeRuns(dir, "taken", ["s1", "s2"])).rejects.toThrow(/already exists/);
    await mkdir(join(dir, "all", "slurm"), { recursive: true });
    await writeFile(join(dir, "all", "slurm", "jobs.json"), "{}");
    expect((await mergeRuns(dir, "all", ["s1", "s2"])).instances).toBe(5);
    expect(await readFile(join(dir, "all", "slurm", "jobs.json"), "utf8")).toBe("{}");
  });
});
