// `swerl slurm submit|status|cancel`: a run as a Slurm job array (src/slurm/). Loaded only
// when `swerl slurm` runs (src/cli/commands.cts).
import { Command } from "commander";
import { slurmCancelCommand } from "./slurm-cancel.js";
import { slurmStatusCommand } from "./slurm-status.js";
import { slurmSubmitCommand } from "./slurm-submit.js";

export function slurmCommand(): Command {
  return new Command("slurm")
    .description("Run on a Slurm cluster: submit a run as a job array of shards plus a merge job, follow it, cancel it")
    .addCommand(slurmSubmitCommand())
    .addCommand(slurmStatusCommand())
    .addCommand(slurmCancelCommand());
}
