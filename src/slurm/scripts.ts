// The batch scripts `swerl slurm submit` writes into the run directory: one for the shard
// array (task i runs `swerl run --shard i/n` into its own run directory) and one for the
// merge job (`swerl merge` then `swerl report`). Resources go on the sbatch command line, not
// in #SBATCH lines (those cannot quote a path with spaces).
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { shardRunId, slurmDir } from "./record.js";

/** How the jobs call swerl: this node binary and this CLI file (absolute), from this directory. */
export interface SwerlInvocation {
  node: string;
  cli: string;
  cwd: string;
}

export interface ShardJobSpec {
  runId: string;
  resultsDir: string;
  shards: number;
  configFiles: readonly string[];
  sets: readonly string[];
}

/** A word quoted for bash (single quotes; a quote inside becomes '\''). */
export const shellQuote = (word: string): string =>
  /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;

const command = (words: readonly string[]): string => words.map(shellQuote).join(" ");

export function shardScript(spec: ShardJobSpec, swerl: SwerlInvocation): string {
  const shardRun = shardRunId(spec.runId, 0, spec.shards).replace(".shard-0-", ".shard-$shard-");
  const args = [
    swerl.node,
    swerl.cli,
    "run",
    ...spec.configFiles.flatMap((c) => ["-c", c]),
    ...spec.sets.flatMap((s) => ["--set", s]),
    "--results-dir",
    spec.resultsDir,
  ];
  return [
    "#!/bin/bash",
    `# swerl: one shard of run ${spec.runId} (${spec.shards} shards), written by \`swerl slurm submit\`.`,
    "# Submitted as a job array: task i runs `swerl run --shard i/n` into its own run directory;",
    "# a requeued task resumes from what that directory recorded.",
    "set -euo pipefail",
    'shard="${SLURM_ARRAY_TASK_ID:?run this script as a Slurm array task (sbatch --array)}"',
    `echo "swerl: shard $shard/${spec.shards} of ${spec.runId} on $(hostname) (job \${SLURM_JOB_ID:-?}, restart \${SLURM_RESTART_COUNT:-0})"`,
    `exec ${command(args)} --run-id "${shardRun}" --shard "$shard/${spec.shards}"`,
    "",
  ].join("\n");
}

export function mergeScript(spec: ShardJobSpec, swerl: SwerlInvocation): string {
  const shardRuns = Array.from({ length: spec.shards }, (_, i) => shardRunId(spec.runId, i, spec.shards));
  return [
    "#!/bin/bash",
    `# swerl: merge the ${spec.shards} shards of run ${spec.runId} and report, written by \`swerl slurm submit\`.`,
    "set -euo pipefail",
    command([swerl.node, swerl.cli, "merge", "--out", spec.runId, "--results-dir", spec.resultsDir, ...shardRuns]),
    `exec ${command([swerl.node, swerl.cli, "report", "--run", spec.runId, "--results-dir", spec.resultsDir])}`,
    "",
  ].join("\n");
}

/** Write both scripts (and the logs directory); their paths. */
export async function writeBatchScripts(
  spec: ShardJobSpec,
  swerl: SwerlInvocation,
): Promise<{ shard: string; merge: string; logs: string }> {
  const dir = slurmDir(spec.resultsDir, spec.runId);
  const logs = join(dir, "logs");
  await mkdir(logs, { recursive: true });
  const paths = { shard: join(dir, "shard.sbatch"), merge: join(dir, "merge.sbatch"), logs };
  await writeFile(paths.shard, shardScript(spec, swerl));
  await writeFile(paths.merge, mergeScript(spec, swerl));
  await chmod(paths.shard, 0o755);
  await chmod(paths.merge, 0o755);
  return paths;
}
