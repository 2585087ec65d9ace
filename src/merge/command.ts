// `swerl merge --out RUN RUN_A RUN_B …`: join shard runs into one run directory.
import { Command } from "commander";
import { mergeRuns } from "./merge.js";

export function mergeCommand(): Command {
  return new Command("merge")
    .description("Join the run directories of a sharded run (swerl run --shard i/n) into one")
    .argument("<runs...>", "run ids of the shards")
    .requiredOption("--out <run-id>", "run id of the merged run (must not exist)")
    .option("--results-dir <dir>", "where run directories live", "results")
    .action(async (runs: string[], o: { out: string; resultsDir: string }) => {
      const r = await mergeRuns(o.resultsDir, o.out, runs);
      process.stdout.write(
        `Merged ${r.runs} runs (${r.instances} instances) into ${r.dir}\n` +
          Object.entries(r.files)
            .map(([f, n]) => `  ${f}: ${n} records\n`)
            .join(""),
      );
    });
}
