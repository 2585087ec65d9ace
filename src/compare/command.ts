// `swerl compare RUN_A RUN_B`: solve rates side by side, instances won and lost, McNemar's
// exact test. Runs are ids under --results-dir or run directories.
import { Command } from "commander";
import { resolveRunDir } from "../report/inputs.js";
import { writeJsonAtomic } from "../store/atomic.js";
import { defaultResultsDir } from "../store/run-store.js";
import { compareRuns, formatComparison } from "./compare.js";

export function compareCommand(): Command {
  return new Command("compare")
    .description("Compare two graded runs: solve rates, instances won/lost, McNemar's exact test")
    .argument("<run-a>", "run id under --results-dir, or a run directory")
    .argument("<run-b>", "run id under --results-dir, or a run directory")
    .option("--results-dir <dir>", "where run directories live (default $SWERL_RESULTS_DIR or results)")
    .option("--json <file>", "also write the comparison as JSON")
    .action(async (runA: string, runB: string, o: { resultsDir?: string; json?: string }) => {
      const resultsDir = o.resultsDir ?? defaultResultsDir();
      const comparison = await compareRuns(resolveRunDir(runA, resultsDir), resolveRunDir(runB, resultsDir));
      if (o.json) await writeJsonAtomic(o.json, comparison);
      process.stdout.write(formatComparison(comparison));
    });
}
