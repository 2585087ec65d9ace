// `swerl slurm status RUN`: each shard's Slurm job and its progress in its run directory.
import { Command } from "commander";
import { defaultResultsDir } from "../store/run-store.js";
import { formatStatus, runStatus } from "../slurm/status.js";

export function slurmStatusCommand(): Command {
  return new Command("status")
    .description("Show each shard's Slurm state and its progress from the run store, and the merge job")
    .argument("<run-id>", "run id given to swerl slurm submit")
    .option("--results-dir <dir>", "where run directories live (default $SWERL_RESULTS_DIR or results)")
    .option("--json", "print the status as JSON")
    .action(async (runId: string, o: { resultsDir?: string; json?: boolean }) => {
      const status = await runStatus(o.resultsDir ?? defaultResultsDir(), runId);
      process.stdout.write(o.json ? JSON.stringify(status, null, 2) + "\n" : formatStatus(status));
    });
}
