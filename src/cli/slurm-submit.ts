// `swerl slurm submit -c CONFIG --shards N`: the run as a Slurm job array of N shards plus a
// merge job (src/slurm/submit.ts); again for the same run: only the shards that did not succeed.
import { Command } from "commander";
import { realpathSync } from "node:fs";
import { resolve } from "node:path";
import { loadConfig } from "../config/load.js";
import { submitRun } from "../slurm/submit.js";
import { InputError } from "../util/input-error.js";
import { parsePositiveInt } from "./pairs.js";
import { collect } from "./stage-command.js";

interface SubmitOpts {
  config: string[];
  set?: string[];
  runId?: string;
  resultsDir?: string;
  shards?: string;
  partition?: string;
  time?: string;
  cpus?: string;
  mem?: string;
  sbatchArg?: string[];
  requeue: boolean;
}

/** How batch jobs call this very swerl: absolute node binary and CLI file. */
function thisSwerl(): { node: string; cli: string; cwd: string } {
  const cli = process.argv[1];
  if (!cli) throw new Error("internal: no CLI path in process.argv[1]");
  return { node: process.execPath, cli: realpathSync(resolve(cli)), cwd: process.cwd() };
}

export function slurmSubmitCommand(): Command {
  return new Command("submit")
    .description(
      "Submit a run as a Slurm job array of shards plus a merge job; again: resubmit only the shards that did not succeed",
    )
    .requiredOption("-c, --config <file>", "run config YAML (repeatable; later files win)", collect)
    .option("--set <key=value>", "override a config value (repeatable)", collect)
    .option(
      "--run-id <id>",
      "run id of the merged run (default: the config's run_id); shards are <id>.shard-<i>-of-<n>",
    )
    .option(
      "--results-dir <dir>",
      "where run directories live, on a filesystem every node shares (default: the config's results_dir)",
    )
    .option("--shards <n>", "number of shards (array tasks); needed on the first submission")
    .option("--partition <name>", "Slurm partition (sbatch --partition)")
    .option("--time <limit>", "time limit per job (sbatch --time, e.g. 4:00:00)")
    .option("--cpus <n>", "CPUs per shard (sbatch --cpus-per-task)")
    .option("--mem <size>", "memory per job (sbatch --mem, e.g. 8G)")
    .option(
      "--sbatch-arg <arg>",
      "extra sbatch argument for the shard array, e.g. --sbatch-arg=--gres=gpu:1 (repeatable)",
      collect,
    )
    .option("--requeue", "a shard whose node fails is requeued and resumes (default)", true)
    .option("--no-requeue", "a shard whose node fails is not requeued (submit again to rerun it)")
    .action(async (o: SubmitOpts) => {
      const config = await loadConfig(o.config, o.set ?? []);
      const runId = o.runId ?? config.run_id;
      if (!runId) throw new InputError("slurm submit needs a run id: --run-id R (or run_id in the config)");
      if (!/^[\w.-]+$/.test(runId))
        throw new InputError(`run id "${runId}" may only hold letters, digits, '.', '_' and '-'`);
      const r = await submitRun({
        config,
        configFiles: o.config,
        sets: o.set ?? [],
        runId,
        resultsDir: resolve(o.resultsDir ?? config.results_dir),
        shards: o.shards === undefined ? undefined : parsePositiveInt(o.shards, "--shards"),
        requeue: o.requeue,
        resources: {
          partition: o.partition,
          time: o.time,
          mem: o.mem,
          cpus: o.cpus === undefined ? undefined : parsePositiveInt(o.cpus, "--cpus"),
        },
        sbatchArgs: o.sbatchArg ?? [],
        swerl: thisSwerl(),
      });
      const s = r.submission;
      const lines = [
        s.array_job_id
          ? `Submitted shards ${s.shards.join(", ")} of ${r.record.shards} as array job ${s.array_job_id}${s.requeue ? " (requeue on node failure)" : ""}`
          : `Every shard of ${runId} has succeeded: no array job`,
        ...(r.alreadyDone.length ? [`Shards already done (not resubmitted): ${r.alreadyDone.join(", ")}`] : []),
        `Merge job ${s.merge_job_id}${s.array_job_id ? ` (after array ${s.array_job_id} succeeds)` : ""}: swerl merge + swerl report into ${r.record.results_dir}/${runId}`,
        `Follow it with: swerl slurm status ${runId}${o.resultsDir ? ` --results-dir ${r.record.results_dir}` : ""}`,
      ];
      process.stdout.write(lines.join("\n") + "\n");
    });
}
