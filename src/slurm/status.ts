// `swerl slurm status` and `cancel`: each shard's Slurm job (state, reason, node, restarts,
// exit code from `scontrol show job -o`) beside its progress in its run directory, and the
// merge job; cancelling scancels the run's jobs that are still queued or running.
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { SwerlConfig } from "../config/schema.js";
import { loadDatasetSelection, selectionOfConfig } from "../dataset/options.js";
import { RunStore } from "../store/run-store.js";
import { InputError } from "../util/input-error.js";
import { baseState, isActiveState, parseArrayTaskIds } from "./parse.js";
import { allJobIds, latestMergeJob, latestShardJob, readSlurmRecord, type SlurmRecord } from "./record.js";
import { scancel, scontrolJobs, squeueJobs } from "./runner.js";

export interface SlurmJobState {
  jobId: string;
  state: string;
  reason?: string;
  node?: string;
  restarts?: number;
  exitCode?: string;
}

export interface ShardProgress {
  /** run.json status, or "not started" (no run directory yet). */
  status: string;
  /** Instances this shard owns, and how many of them were evaluated (graded). */
  instances?: number;
  evaluated?: number;
  /** The stage file written last and its record count. */
  latest?: { file: string; records: number };
}

export interface ShardStatus {
  shard: number;
  runId: string;
  /** Its latest job; state "UNKNOWN" once the controller forgot it (older than MinJobAge). */
  job?: SlurmJobState;
  progress: ShardProgress;
  /** Succeeded (run directory says success), active (queued/running), or failed (needs resubmitting). */
  verdict: "succeeded" | "active" | "failed" | "not submitted";
}

export interface RunSlurmStatus {
  runId: string;
  shards: ShardStatus[];
  merge?: SlurmJobState;
  merged: string;
}

const UNKNOWN = "UNKNOWN";

/** The states of jobs by their ids ("<array>_<task>" or a plain id), from scontrol. */
async function jobStates(ids: readonly string[]): Promise<Map<string, SlurmJobState>> {
  const out = new Map<string, SlurmJobState>();
  const queried = new Set(ids.map((id) => id.split("_")[0]));
  for (const id of queried) {
    for (const job of await scontrolJobs(id)) {
      const state: Omit<SlurmJobState, "jobId"> = {
        state: baseState(job.JobState ?? UNKNOWN),
        reason: job.Reason,
        node: job.NodeList,
        restarts: job.Restarts === undefined ? undefined : Number(job.Restarts),
        exitCode: job.ExitCode,
      };
      // A pending array's remaining tasks come as one record with a task range.
      const tasks =
        job.ArrayJobId && job.ArrayTaskId
          ? parseArrayTaskIds(job.ArrayTaskId).map((t) => `${job.ArrayJobId}_${t}`)
          : [job.JobId];
      for (const t of tasks) out.set(t, { jobId: t, ...state });
    }
  }
  return out;
}

async function countLines(path: string): Promise<number> {
  const text = await readFile(path, "utf8");
  return text.split("\n").filter((l) => l.trim() !== "").length;
}

export async function shardProgress(runDir: string): Promise<ShardProgress> {
  const manifest = await RunStore.readManifest(runDir);
  if (!manifest) return { status: "not started" };
  const progress: ShardProgress = { status: manifest.status };
  const config = manifest.config as SwerlConfig;
  try {
    progress.instances = (await loadDatasetSelection(selectionOfConfig(config.dataset))).selected.length;
  } catch {
    /* the dataset moved: progress without the total */
  }
  const files = (await readdir(runDir)).filter((f) => f.endsWith(".jsonl"));
  let latest: { file: string; mtime: number } | undefined;
  for (const f of files) {
    const mtime = (await stat(join(runDir, f))).mtimeMs;
    if (!latest || mtime > latest.mtime) latest = { file: f, mtime };
  }
  if (latest) progress.latest = { file: latest.file, records: await countLines(join(runDir, latest.file)) };
  if (files.includes("evaluation.jsonl")) progress.evaluated = await countLines(join(runDir, "evaluation.jsonl"));
  return progress;
}

async function recordOf(resultsDir: string, runId: string): Promise<SlurmRecord> {
  const record = await readSlurmRecord(resultsDir, runId);
  if (!record)
    throw new InputError(
      `slurm: no Slurm submission of run ${runId} in ${resultsDir} (no ${runId}/slurm/jobs.json); swerl slurm submit first`,
    );
  return record;
}

export async function runStatus(resultsDir: string, runId: string): Promise<RunSlurmStatus> {
  const record = await recordOf(resultsDir, runId);
  const shardJobs = record.shard_run_ids.map((_, i) => latestShardJob(record, i));
  const mergeJob = latestMergeJob(record);
  const states = await jobStates([...shardJobs, mergeJob].filter((j): j is string => j !== undefined));
  const shards: ShardStatus[] = [];
  for (const [i, runIdOfShard] of record.shard_run_ids.entries()) {
    const jobId = shardJobs[i];
    const job = jobId ? (states.get(jobId) ?? { jobId, state: UNKNOWN }) : undefined;
    const progress = await shardProgress(join(resultsDir, runIdOfShard));
    const verdict =
      progress.status === "success"
        ? "succeeded"
        : !job
          ? "not submitted"
          : isActiveState(job.state)
            ? "active"
            : "failed";
    shards.push({ shard: i, runId: runIdOfShard, job, progress, verdict });
  }
  const merged = (await RunStore.readManifest(join(resultsDir, runId)))?.status ?? "not merged";
  return {
    runId,
    shards,
    merge: mergeJob ? (states.get(mergeJob) ?? { jobId: mergeJob, state: UNKNOWN }) : undefined,
    merged,
  };
}

function describeJob(j: SlurmJobState | undefined): string {
  if (!j) return "never submitted";
  const extra = [
    j.reason && j.reason !== "None" ? `reason ${j.reason}` : "",
    j.node && j.node !== "(null)" ? `node ${j.node}` : "",
    j.restarts ? `restarts ${j.restarts}` : "",
    j.exitCode && j.exitCode !== "0:0" ? `exit ${j.exitCode}` : "",
  ].filter(Boolean);
  return `job ${j.jobId} ${j.state}${extra.length ? ` (${extra.join(", ")})` : ""}`;
}

function describeProgress(p: ShardProgress): string {
  const parts = [`run ${p.status}`];
  if (p.instances !== undefined) parts.push(`evaluated ${p.evaluated ?? 0}/${p.instances}`);
  if (p.latest) parts.push(`last written ${p.latest.file} (${p.latest.records} records)`);
  return parts.join(", ");
}

export function formatStatus(s: RunSlurmStatus): string {
  const lines = [`Run ${s.runId}: ${s.shards.length} shards`];
  for (const sh of s.shards)
    lines.push(
      `  shard ${sh.shard}  ${sh.verdict.toUpperCase()}  ${describeJob(sh.job)}; ${describeProgress(sh.progress)}`,
    );
  lines.push(`  merge    ${describeJob(s.merge)}; merged run: ${s.merged}`);
  const failed = s.shards.filter((sh) => sh.verdict === "failed" || sh.verdict === "not submitted");
  if (failed.length && !s.shards.some((sh) => sh.verdict === "active")) {
    lines.push(
      `Failed shards: ${failed.map((sh) => sh.shard).join(", ")}; swerl slurm submit (same -c) resubmits them and a new merge`,
    );
  }
  return lines.join("\n") + "\n";
}

/** scancel the run's jobs that are still queued or running; the ids cancelled. */
export async function cancelRun(resultsDir: string, runId: string): Promise<string[]> {
  const record = await recordOf(resultsDir, runId);
  const active = await squeueJobs(allJobIds(record), false);
  const ids = [...new Set(active.map((r) => (r.arrayTaskId !== "N/A" ? r.arrayJobId : r.jobId)))];
  await scancel(ids);
  return ids;
}
