// `swerl slurm submit`: a run as a Slurm job array of n shards (each `swerl run --shard i/n`
// into its own run directory) and a merge job that waits for the whole array (afterok) and
// runs `swerl merge` and `swerl report`. Submitting again for the same run resubmits only the
// shards whose run directory has not succeeded (and a new merge job); while any job of the
// run is still queued or running it refuses.
import { join } from "node:path";
import type { SwerlConfig } from "../config/schema.js";
import { loadDatasetSelection, selectionOfConfig } from "../dataset/options.js";
import { hashValue } from "../store/hash.js";
import { RunStore } from "../store/run-store.js";
import { InputError } from "../util/input-error.js";
import { formatArrayTaskIds } from "./parse.js";
import {
  allJobIds,
  readSlurmRecord,
  shardRunId,
  writeSlurmRecord,
  type SlurmRecord,
  type SlurmSubmission,
} from "./record.js";
import { sbatch, squeueJobs } from "./runner.js";
import { writeBatchScripts, type SwerlInvocation } from "./scripts.js";

export interface JobResources {
  partition?: string;
  time?: string;
  cpus?: number;
  mem?: string;
}

export interface SubmitRequest {
  config: SwerlConfig;
  configFiles: readonly string[];
  sets: readonly string[];
  runId: string;
  resultsDir: string;
  shards?: number;
  requeue: boolean;
  resources: JobResources;
  sbatchArgs: readonly string[];
  swerl: SwerlInvocation;
}

export interface SubmitResult {
  record: SlurmRecord;
  submission: SlurmSubmission;
  alreadyDone: number[];
}

/** The config as every shard sees it: what differs between shards (run id, shard) set aside. */
export function shardConfigHash(config: SwerlConfig): string {
  const { run_id: _r, results_dir: _d, ...rest } = config;
  const { shard: _s, ...dataset } = rest.dataset;
  return hashValue({ ...rest, dataset });
}

/** What the shard array and the merge job share (the merge job takes one CPU). */
function sharedResourceArgs(r: JobResources): string[] {
  return [
    ...(r.partition ? [`--partition=${r.partition}`] : []),
    ...(r.time ? [`--time=${r.time}`] : []),
    ...(r.mem ? [`--mem=${r.mem}`] : []),
  ];
}

async function shardSucceeded(resultsDir: string, id: string): Promise<boolean> {
  return (await RunStore.readManifest(join(resultsDir, id)))?.status === "success";
}

export async function submitRun(req: SubmitRequest): Promise<SubmitResult> {
  const { runId, resultsDir } = req;
  if (req.config.dataset.shard !== undefined)
    throw new InputError(
      `slurm submit: the config selects a shard already (dataset.shard=${req.config.dataset.shard}); swerl slurm makes the shards`,
    );
  const merged = await RunStore.readManifest(join(resultsDir, runId));
  if (merged?.status === "success")
    throw new InputError(
      `slurm submit: run ${runId} is merged already (${join(resultsDir, runId, "run.json")}); nothing to submit`,
    );
  if (merged)
    throw new InputError(
      `slurm submit: a merge of ${runId} stopped half way (status ${merged.status}): remove ${join(resultsDir, runId)} but its slurm/ directory, then submit again`,
    );

  const configHash = shardConfigHash(req.config);
  const previous = await readSlurmRecord(resultsDir, runId);
  if (previous) {
    if (req.shards !== undefined && req.shards !== previous.shards)
      throw new InputError(
        `slurm submit: run ${runId} was submitted with --shards ${previous.shards}, not ${req.shards}; use another --run-id for another split`,
      );
    if (previous.config_hash !== configHash)
      throw new InputError(
        `slurm submit: run ${runId} was submitted with another config (or --set values); use the same, or another --run-id`,
      );
    const active = await squeueJobs(allJobIds(previous), false);
    if (active.length > 0) {
      const jobs = active.map(
        (r) => (r.arrayTaskId !== "N/A" ? `${r.arrayJobId}_${r.arrayTaskId}` : r.jobId) + ` ${r.state}`,
      );
      throw new InputError(
        `slurm submit: jobs of run ${runId} are still queued or running (${jobs.join(", ")}); wait for them, or swerl slurm cancel ${runId}`,
      );
    }
  }
  const shards = req.shards ?? previous?.shards;
  if (shards === undefined) throw new InputError("slurm submit: the first submission of a run needs --shards N");
  if (!Number.isInteger(shards) || shards < 2)
    throw new InputError(
      `slurm submit: --shards must be a whole number ≥ 2 (got ${shards}); one shard is just swerl run`,
    );
  const { selected } = await loadDatasetSelection(selectionOfConfig(req.config.dataset));
  if (selected.length < shards)
    throw new InputError(
      `slurm submit: ${shards} shards for ${selected.length} instances; use at most ${selected.length}`,
    );

  const shardRunIds = Array.from({ length: shards }, (_, i) => shardRunId(runId, i, shards));
  const done: number[] = [];
  for (const [i, id] of shardRunIds.entries()) if (await shardSucceeded(resultsDir, id)) done.push(i);
  const missing = shardRunIds.map((_, i) => i).filter((i) => !done.includes(i));

  const spec = { runId, resultsDir, shards, configFiles: req.configFiles, sets: req.sets };
  const scripts = await writeBatchScripts(spec, req.swerl);
  const record: SlurmRecord = previous ?? {
    run_id: runId,
    results_dir: resultsDir,
    shards,
    config_hash: configHash,
    shard_run_ids: shardRunIds,
    submissions: [],
  };
  const submission: SlurmSubmission = {
    submitted_at: new Date().toISOString(),
    array_job_id: null,
    shards: missing,
    merge_job_id: null,
    requeue: req.requeue,
  };
  record.submissions.push(submission);
  const common = [`--chdir=${req.swerl.cwd}`, "--open-mode=append", ...sharedResourceArgs(req.resources)];

  if (missing.length > 0) {
    submission.array_job_id = await sbatch(
      [
        `--job-name=swerl-${runId}`,
        `--array=${formatArrayTaskIds(missing)}`,
        `--output=${join(scripts.logs, "shard-%a.out")}`,
        req.requeue ? "--requeue" : "--no-requeue",
        ...common,
        ...(req.resources.cpus ? [`--cpus-per-task=${req.resources.cpus}`] : []),
        ...req.sbatchArgs,
      ],
      scripts.shard,
    );
    await writeSlurmRecord(record); // the array is queued: remember it even if the merge submission fails
  }
  submission.merge_job_id = await sbatch(
    [
      `--job-name=swerl-${runId}-merge`,
      `--output=${join(scripts.logs, "merge-%j.out")}`,
      "--cpus-per-task=1",
      ...(submission.array_job_id ? [`--dependency=afterok:${submission.array_job_id}`] : []),
      ...common,
    ],
    scripts.merge,
  );
  await writeSlurmRecord(record);
  return { record, submission, alreadyDone: done };
}
