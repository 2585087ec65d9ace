// `swerl repair`: sample N repair patches per instance into results/<run>/repair.jsonl (resumable),
// then print the summary (format-error and apply-error rates, mean reward, unique patches).
import { Command } from "commander";
import { parsePairs, parsePositiveInt } from "../cli/pairs.js";
import { loadConfig } from "../config/load.js";
import type { SwerlConfig } from "../config/schema.js";
import { addDatasetOptions, type DatasetOptions } from "../dataset/options.js";
import {
  addStageRunOptions,
  collect,
  interruptFlag,
  openStageRun,
  stageInstances,
  stageRunId,
} from "../cli/stage-command.js";
import { log } from "../log/logger.js";
import { addNoCacheOption, assertModelAnswered, createModelProvider, noCacheFromOptions } from "../model/factory.js";
import { saveUsageTotals } from "../model/usage-file.js";
import { oracleLookupFromRepos } from "../stage-common/oracle-lookup.js";
import { formatSummary } from "../records/repair.js";
import { resolveRepoSources } from "../repo/local-sources.js";
import { runRepairStep } from "./step.js";
import { InputError } from "../util/input-error.js";
import { RECORD_FILES } from "../records/files.js";

interface RepairOpts extends Partial<DatasetOptions> {
  config?: string[];
  set?: string[];
  runId?: string;
  locations?: string;
  samples?: string;
  repoSource?: string[];
  reposDir?: string;
  retryFailed?: boolean;
  force?: boolean;
  resultsDir?: string;
  json?: boolean;
  cache?: boolean;
}

/** The run config: -c files, then --set, then the command's own flags as sets. */
async function repairConfig(o: RepairOpts): Promise<SwerlConfig> {
  const sets = [...(o.set ?? [])];
  if (o.samples !== undefined) sets.push(`repair.samples=${parsePositiveInt(o.samples, "--samples")}`);
  if (o.locations !== undefined) {
    if (o.locations !== "localized" && o.locations !== "gold")
      throw new InputError(`--locations must be localized or gold (got "${o.locations}")`);
    sets.push(`repair.locations=${o.locations}`);
  }
  return loadConfig(o.config ?? [], sets);
}

export function repairCommand(): Command {
  return addStageRunOptions(addNoCacheOption(addDatasetOptions(new Command("repair"), false)), "repair.samples=40")
    .description("Sample repair patches (SWE-RL prompts, SEARCH/REPLACE edits) and score them with the SWE-RL reward")
    .option("--locations <which>", "localized (the run's localization.jsonl) or gold (the files the gold patch edits)")
    .option("--samples <n>", "repair samples per instance (repair.samples)")
    .option("--repo-source <repo=path>", "local git repository of a dataset repo (repeatable)", collect)
    .option("--repos-dir <dir>", "directory of clones named owner__name (default $SWERL_REPOS_DIR)")
    .option("--json", "print the summary as JSON")
    .action(async (o: RepairOpts) => {
      const config = await repairConfig(o);
      stageRunId("repair", o, config); // a missing run id is named before any dataset or server is read
      const { instances, datasetPath } = await stageInstances(o, config);
      const repoSources = resolveRepoSources(
        instances.map((i) => i.repo),
        {
          explicit: parsePairs(o.repoSource, "--repo-source"),
          datasetPath,
          reposDir: o.reposDir ?? process.env.SWERL_REPOS_DIR,
        },
      );
      const provider = createModelProvider(config.model, {
        runId: o.runId ?? config.run_id,
        ...noCacheFromOptions(o),
        oracleLookup: oracleLookupFromRepos(instances, repoSources),
      });
      await provider.preflight(); // before the run directory exists: a wrong server or name leaves nothing behind
      const run = await openStageRun("repair", o, config, datasetPath);
      if (provider.kind === "oracle")
        log.info("repair: model is the oracle policy (answers built from the gold patches), not a real model");
      const interrupt = interruptFlag(() => provider.stop());
      try {
        const { summary, interrupted } = await runRepairStep({
          config,
          run,
          instances,
          provider,
          repoSources,
          retryFailed: o.retryFailed,
          shouldStop: interrupt.stopped,
        });
        await saveUsageTotals(run, provider.usage, ["repair"]);
        assertModelAnswered(provider);
        await run.finish(interrupted ? "interrupted" : "success");
        process.stdout.write(
          o.json
            ? JSON.stringify(summary) + "\n"
            : formatSummary(summary) + `Records: ${run.stagePath(RECORD_FILES.repair)}\n`,
        );
        if (interrupted) process.exitCode = 130;
        else if (summary.samples === 0 && Object.keys(summary.skipped_instances).length > 0) {
          log.error("repair: nothing to repair: every selected instance was skipped (see above)");
          process.exitCode = 1;
        }
      } catch (err) {
        await run.finish("error", (err as Error).message);
        throw err;
      } finally {
        interrupt.dispose();
      }
    });
}
