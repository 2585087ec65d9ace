// `swerl dataset info`: count and per-repo counts of a dataset (after selection).
import { Command } from "commander";
import { addDatasetOptions, loadSelectedInstances, type DatasetOptions } from "./options.js";

function infoCommand(): Command {
  return addDatasetOptions(new Command("info"))
    .description("Print the number of instances and the count per repo")
    .option("--json", "print JSON")
    .action(async (o: DatasetOptions & { json?: boolean }) => {
      const instances = await loadSelectedInstances(o);
      const perRepo: Record<string, number> = {};
      for (const i of instances) perRepo[i.repo] = (perRepo[i.repo] ?? 0) + 1;
      const repos = Object.fromEntries(Object.entries(perRepo).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
      if (o.json) {
        process.stdout.write(
          JSON.stringify({ dataset: o.dataset, instances: instances.length, repos }, null, 2) + "\n",
        );
        return;
      }
      process.stdout.write(`${o.dataset}: ${instances.length} instances\n`);
      for (const [repo, n] of Object.entries(repos)) process.stdout.write(`  ${repo.padEnd(32)} ${n}\n`);
    });
}

export function datasetCommand(): Command {
  return new Command("dataset").description("Inspect SWE-bench datasets").addCommand(infoCommand());
}
