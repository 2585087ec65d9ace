// `swerl report --run R`: solve rate with its 95% interval, breakdowns, localization recall,
// repair statistics, rerank losses, token usage, infrastructure errors and whether the oracle
// answered, as report.json, report.md and a standalone report.html with plots.
import { Command } from "commander";
import { parsePairs } from "../cli/pairs.js";
import { collect } from "../cli/stage-command.js";
import { log } from "../log/logger.js";
import { defaultResultsDir } from "../store/run-store.js";
import { resolveRunDir } from "./inputs.js";
import { pct } from "./sections.js";
import { writeReport } from "./write.js";

interface ReportOptions {
  run: string;
  resultsDir?: string;
  dataset?: string;
  repoSource?: string[];
  reposDir?: string;
  out?: string;
}

export function reportCommand(): Command {
  return new Command("report")
    .description(
      "Summarize a run: solve rate (95% CI), breakdowns, localization, rerank losses, usage; report.{json,md,html}",
    )
    .requiredOption("--run <id|dir>", "run id under --results-dir, or a run directory")
    .option("--results-dir <dir>", "where run directories live (default $SWERL_RESULTS_DIR or results)")
    .option("--dataset <path|hf-id>", "dataset for repos, difficulty and gold patches (default: the run config's)")
    .option(
      "--repo-source <repo=path>",
      "local git repository of a dataset repo, to normalize gold patches (repeatable)",
      collect,
    )
    .option("--repos-dir <dir>", "directory of clones named owner__name (default $SWERL_REPOS_DIR)")
    .option("--out <dir>", "write the report files here (default: the run directory)")
    .action(async (o: ReportOptions) => {
      const runDir = resolveRunDir(o.run, o.resultsDir ?? defaultResultsDir());
      const { report, paths } = await writeReport(runDir, {
        dataset: o.dataset,
        explicit: parsePairs(o.repoSource, "--repo-source"),
        reposDir: o.reposDir,
        outDir: o.out,
      });
      for (const n of report.notes) log.warn(n);
      const s = report.solve_rate;
      const lines = [
        `Run ${report.run_id}: ${report.instances} instances${report.oracle.used ? " (ORACLE policy, not a real model)" : ""}`,
        s
          ? `Solve rate ${pct(s.rate)} (${s.k}/${s.n}), 95% CI [${pct(s.lo)}, ${pct(s.hi)}]`
          : "Solve rate: not available (no run_report.json)",
        ...(report.infrastructure_errors.length
          ? [
              `Infrastructure errors: ${report.infrastructure_errors.length} (${report.infrastructure_errors.map((e) => e.instance_id).join(", ")})`,
            ]
          : []),
        `Report: ${paths.md}, ${paths.html}, ${paths.json}`,
      ];
      process.stdout.write(lines.join("\n") + "\n");
    });
}
