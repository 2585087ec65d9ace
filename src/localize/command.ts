// `swerl localize`: k localization samples per instance into results/<run>/localization.jsonl
// (resumable), the unique location sets into localization_sets.json, then the summary with the
// localization metrics against the gold patches.
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
import { RepoStore } from "../repo/store.js";
import { formatLocalizationMetrics } from "../records/localization-metrics.js";
import { formatSummary, LOCALIZE_STAGE } from "../records/localization.js";
import { InstanceRepos, planRepos } from "./repos.js";
import { runLocalizeStep } from "./step.js";
import { RECORD_FILES } from "../records/files.js";

interface LocalizeOpts extends Partial<DatasetOptions> {
  config?: string[];
  set?: string[];
  runId?: string;
  samples?: string;
  maxFiles?: string;
  repoSource?: string[];
  reposDir?: string;
  clone?: boolean;
  repoCache?: string;
  mapCache?: string;
  retryFailed?: boolean;
  force?: boolean;
  resultsDir?: string;
  json?: boolean;
  cache?: boolean;
}

/** The run config: -c files, then --set, then the command's own flags as sets. */
async function localizeConfig(o: LocalizeOpts): Promise<SwerlConfig> {
  const sets = [...(o.set ?? [])];
  if (o.samples !== undefined) sets.push(`localize.samples=${parsePositiveInt(o.samples, "--samples")}`);
  if (o.maxFiles !== undefined) sets.push(`localize.max_files=${parsePositiveInt(o.maxFiles, "--max-files")}`);
  return loadConfig(o.config ?? [], sets);
}

export function localizeCommand(): Command {
  return addStageRunOptions(addNoCacheOption(addDatasetOptions(new Command("localize"), false)), "localize.samples=4")
    .description(
      "Localize the files to edit: SWE-RL's prompt over the tree-sitter repo listing, k samples per instance",
    )
    .option("--samples <k>", "localization samples per instance (localize.samples; 1 = greedy)")
    .option("--max-files <n>", "files asked for: n of the greedy prompt, top of the sampled 2..n (localize.max_files)")
    .option(
      "--repo-source <repo=path|url>",
      "local git repository of a dataset repo, or a URL to clone with --clone (repeatable)",
      collect,
    )
    .option("--repos-dir <dir>", "directory of clones named owner__name (default $SWERL_REPOS_DIR)")
    .option(
      "--clone",
      "clone repos with no local repository (from GitHub or their --repo-source URL) into the repo cache",
    )
    .option("--repo-cache <dir>", "repo cache for --clone (default $SWERL_HOME/repos or ~/.cache/swerl/repos)")
    .option("--map-cache <dir>", "repo map cache (default $SWERL_HOME/repomap or ~/.cache/swerl/repomap)")
    .option("--json", "print the summary (with per-instance metrics) as JSON")
    .action(async (o: LocalizeOpts) => {
      const config = await localizeConfig(o);
      stageRunId("localize", o, config); // a missing run id is named before any dataset or server is read
      const { instances, datasetPath } = await stageInstances(o, config);
      const plan = planRepos(
        instances.map((i) => i.repo),
        parsePairs(o.repoSource, "--repo-source"),
        {
          datasetPath,
          reposDir: o.reposDir ?? process.env.SWERL_REPOS_DIR,
          clone: o.clone === true,
        },
      );
      const cloneSources = Object.fromEntries(
        Object.entries(plan.clone).filter((e): e is [string, string] => e[1] !== undefined),
      );
      const store =
        Object.keys(plan.clone).length > 0
          ? new RepoStore({ root: o.repoCache, repoSources: cloneSources })
          : undefined;
      const repos = new InstanceRepos(plan, store);
      const provider = createModelProvider(config.model, {
        runId: o.runId ?? config.run_id,
        ...noCacheFromOptions(o),
        oracleLookup: oracleLookupFromRepos(instances, repos.dirs),
      });
      await provider.preflight(); // before the run directory exists: a wrong server or name leaves nothing behind
      const run = await openStageRun("localize", o, config, datasetPath);
      if (provider.kind === "oracle")
        log.info("localize: model is the oracle policy (answers built from the gold patches), not a real model");
      const interrupt = interruptFlag(() => provider.stop());
      try {
        const { summary, interrupted } = await runLocalizeStep({
          config,
          run,
          instances,
          provider,
          repos,
          retryFailed: o.retryFailed,
          map: o.mapCache ? { cacheDir: o.mapCache } : {},
          shouldStop: interrupt.stopped,
        });
        await saveUsageTotals(run, provider.usage, [LOCALIZE_STAGE]);
        assertModelAnswered(provider);
        await run.finish(interrupted ? "interrupted" : "success");
        process.stdout.write(
          o.json
            ? JSON.stringify(summary) + "\n"
            : formatSummary(summary) +
                formatLocalizationMetrics(summary.metrics) +
                `Records: ${run.stagePath(RECORD_FILES.localization)}\n`,
        );
        if (interrupted) process.exitCode = 130;
        else if (summary.samples === 0 && Object.keys(summary.skipped_instances).length > 0) {
          log.error("localize: nothing localized: every selected instance was skipped (see above)");
          process.exitCode = 1;
        }
      } catch (err) {
        await run.finish("error", (err as Error).message);
        throw err;
      } finally {
        interrupt.dispose();
        await store?.close();
      }
    });
}
