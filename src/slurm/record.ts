// Where a Slurm-run swerl run lives on the shared filesystem, and what swerl remembers of
// its submissions. For run R in results dir D:
//   D/R/slurm/jobs.json            the submissions (job ids), see SlurmRecord
//   D/R/slurm/shard.sbatch, merge.sbatch, logs/   the batch scripts and their output
//   D/R.shard-<i>-of-<n>/          shard i's own run directory (swerl run --shard i/n)
//   D/R/                           the merged run (swerl merge), once every shard succeeded
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeJsonAtomic } from "../store/atomic.js";
import { InputError } from "../util/input-error.js";

export interface SlurmSubmission {
  submitted_at: string;
  /** The shard array's job id; null when every shard had succeeded and only a merge was submitted. */
  array_job_id: string | null;
  shards: number[];
  merge_job_id: string | null;
  requeue: boolean;
}

export interface SlurmRecord {
  run_id: string;
  results_dir: string;
  shards: number;
  /** Hash of the shards' config (run id and shard set aside): a resubmission must match. */
  config_hash: string;
  shard_run_ids: string[];
  submissions: SlurmSubmission[];
}

export const slurmDir = (resultsDir: string, runId: string): string => join(resultsDir, runId, "slurm");
export const recordPath = (resultsDir: string, runId: string): string => join(slurmDir(resultsDir, runId), "jobs.json");
export const shardRunId = (runId: string, shard: number, shards: number): string =>
  `${runId}.shard-${shard}-of-${shards}`;

export async function readSlurmRecord(resultsDir: string, runId: string): Promise<SlurmRecord | null> {
  const path = recordPath(resultsDir, runId);
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(await readFile(path, "utf8")) as SlurmRecord;
  } catch (err) {
    throw new InputError(`${path}: not a swerl Slurm record (${(err as Error).message})`);
  }
}

export const writeSlurmRecord = (record: SlurmRecord): Promise<void> =>
  writeJsonAtomic(recordPath(record.results_dir, record.run_id), record);

/** The job id of shard i's latest submission ("<array>_<i>"), or undefined if never submitted. */
export function latestShardJob(record: SlurmRecord, shard: number): string | undefined {
  for (let s = record.submissions.length - 1; s >= 0; s--) {
    const sub = record.submissions[s];
    if (sub.array_job_id !== null && sub.shards.includes(shard)) return `${sub.array_job_id}_${shard}`;
  }
  return undefined;
}

/** The latest merge job id, if any. */
export const latestMergeJob = (record: SlurmRecord): string | undefined =>
  [...record.submissions].reverse().find((s) => s.merge_job_id !== null)?.merge_job_id ?? undefined;

/** Every job id ever submitted for the run (arrays and merges). */
export const allJobIds = (record: SlurmRecord): string[] =>
  record.submissions.flatMap((s) => [s.array_job_id, s.merge_job_id].filter((id): id is string => id !== null));
