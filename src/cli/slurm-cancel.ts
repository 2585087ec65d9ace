// `swerl slurm cancel RUN`: scancel the run's shard array and merge jobs still queued or running.
import { Command } from "commander";
import { defaultResultsDir } from "../store/run-store.js";
import { cancelRun } from "../slurm/status.js";

export function slurmCancelCommand(): Command {
  return new Command("cancel")
    .description("Cancel the run's Slurm jobs that are still queued or running (scancel)")
    .argument("<run-id>", "run id given to swerl slurm submit")
    .option("--results-dir <dir>", "where run directories live (default $SWERL_RESULTS_DIR or results)")
    .action(async (runId: string, o: { resultsDir?: string }) => {
      const ids = await cancelRun(o.resultsDir ?? defaultResultsDir(), runId);
      process.stdout.write(
        ids.length
          ? `Cancelled job(s) ${ids.join(", ")} of run ${runId}\n`
          : `No job of run ${runId} is queued or running\n`,
      );
    });
}
