// What `swerl slurm submit` writes and refuses before anything reaches Slurm: the batch
// scripts, the job-id record's lookups, and bad requests (exit 2 in the CLI).
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config/load.js";
import { InputError } from "../util/input-error.js";
import { latestMergeJob, latestShardJob, shardRunId, type SlurmRecord } from "./record.js";
import { mergeScript, shardScript, shellQuote } from "./scripts.js";
import { submitRun, type SubmitRequest } from "./submit.js";

const DEMO_CONFIG = fileURLToPath(new URL("../../configs/demo.yaml", import.meta.url));
const swerl = { node: "/usr/bin/node", cli: "/opt/swerl dir/dist/cli/main.cjs", cwd: "/work" };
const spec = {
  runId: "r1",
  resultsDir: "/shared/results",
  shards: 3,
  configFiles: ["/cfg/a.yaml"],
  sets: ["repair.samples=4", "model.name=it's"],
};

describe("slurm batch scripts", () => {
  it("quotes for bash only what needs it", () => {
    expect(shellQuote("/usr/bin/node")).toBe("/usr/bin/node");
    expect(shellQuote("/opt/swerl dir/x")).toBe("'/opt/swerl dir/x'");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });

  it("the shard script runs this swerl on shard $SLURM_ARRAY_TASK_ID/n into its own run directory", () => {
    const s = shardScript(spec, swerl);
    expect(s.startsWith("#!/bin/bash\n")).toBe(true);
    expect(s).toContain('shard="${SLURM_ARRAY_TASK_ID:?');
    expect(s).toContain(
      `exec /usr/bin/node '/opt/swerl dir/dist/cli/main.cjs' run -c /cfg/a.yaml --set repair.samples=4 --set 'model.name=it'\\''s' --results-dir /shared/results --run-id "r1.shard-$shard-of-3" --shard "$shard/3"`,
    );
    expect(shardRunId("r1", 2, 3)).toBe("r1.shard-2-of-3");
  });

  it("the merge script merges every shard into the run, then reports", () => {
    const s = mergeScript(spec, swerl);
    expect(s).toContain(
      "merge --out r1 --results-dir /shared/results r1.shard-0-of-3 r1.shard-1-of-3 r1.shard-2-of-3\n",
    );
    expect(s).toContain("report --run r1 --results-dir /shared/results\n");
  });

  it("a shard's job is the one of its latest submission; the merge is the latest", () => {
    const record: SlurmRecord = {
      run_id: "r1",
      results_dir: "/x",
      shards: 3,
      config_hash: "h",
      shard_run_ids: [],
      submissions: [
        { submitted_at: "t1", array_job_id: "10", shards: [0, 1, 2], merge_job_id: "11", requeue: true },
        { submitted_at: "t2", array_job_id: "20", shards: [2], merge_job_id: "21", requeue: true },
        { submitted_at: "t3", array_job_id: null, shards: [], merge_job_id: "30", requeue: true },
      ],
    };
    expect([0, 1, 2].map((i) => latestShardJob(record, i))).toEqual(["10_0", "10_1", "20_2"]);
    expect(latestShardJob({ ...record, submissions: [] }, 0)).toBeUndefined();
    expect(latestMergeJob(record)).toBe("30");
  });
});

describe("slurm submit refuses bad requests before queueing anything", () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const request = async (over: Partial<SubmitRequest>, sets: string[] = []): Promise<SubmitRequest> => ({
    config: await loadConfig([DEMO_CONFIG], sets),
    configFiles: [DEMO_CONFIG],
    sets,
    runId: "demo",
    resultsDir: dirs[dirs.push(mkdtempSync(join(tmpdir(), "swerl-slurm-unit-"))) - 1],
    shards: 2,
    requeue: true,
    resources: {},
    sbatchArgs: [],
    swerl,
    ...over,
  });
  const refusal = async (req: SubmitRequest): Promise<string> => {
    const err = await submitRun(req).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InputError);
    return (err as Error).message;
  };

  it("no --shards on a first submission, one shard, more shards than instances", async () => {
    expect(await refusal(await request({ shards: undefined }))).toMatch(/first submission of a run needs --shards N/);
    expect(await refusal(await request({ shards: 1 }))).toMatch(/--shards must be a whole number ≥ 2/);
    expect(await refusal(await request({ shards: 6 }))).toMatch(/6 shards for 5 instances/);
  });

  it("a config that picks a shard itself, and a run merged already", async () => {
    expect(await refusal(await request({}, ["dataset.shard=0/2"]))).toMatch(/selects a shard already/);
    const req = await request({});
    mkdirSync(join(req.resultsDir, "demo"), { recursive: true });
    writeFileSync(join(req.resultsDir, "demo", "run.json"), JSON.stringify({ status: "success" }));
    expect(await refusal(req)).toMatch(/merged already/);
    writeFileSync(join(req.resultsDir, "demo", "run.json"), JSON.stringify({ status: "error" }));
    expect(await refusal(req)).toMatch(/stopped half way \(status error\)/);
  });
});
