// `swerl regress`: find each instance's regression tests — existing tests (scope touched |
// localized | all) that pass on the original code, optionally filtered by the model — into
// results/<run>/regression.jsonl (resumable).
import { Command, Option } from "commander";
import { parsePairs } from "../cli/pairs.js";
import { readyEngines } from "../stage-common/engines.js";
import {
  addStageRunOptions,
  collect,
  interruptFlag,
  openStageRun,
  stageInstances,
  stageRunId,
} from "../cli/stage-command.js";
import { loadConfig } from "../config/load.js";
import { addDatasetOptions, type DatasetOptions } from "../dataset/options.js";
import { addNoCacheOption, createModelProvider, noCacheFromOptions } from "../model/factory.js";
import { oracleLookupFromRepos } from "../stage-common/oracle-lookup.js";
import { resolveRepoSources } from "../repo/local-sources.js";
import { regressOracleAnswers } from "./filter.js";
import { REGRESSION_SCOPES } from "./select.js";
import { runRegressStep } from "./step.js";
import { RECORD_FILES } from "../records/files.js";

interface RegressOpts extends Partial<DatasetOptions> {
  config?: string[];
  set?: string[];
  runId?: string;
  force?: boolean;
  resultsDir?: string;
  cache?: boolean;
  regressionScope?: string;
  modelFilter?: boolean;
  repoSource?: string[];
  reposDir?: string;
  json?: boolean;
}

export function regressCommand(): Command {
  return addStageRunOptions(addNoCacheOption(addDatasetOptions(new Command("regress"), false)), "regress.scope=all")
    .description(
      "Find regression tests: existing tests that pass on the original code (optionally filtered by the model)",
    )
    .addOption(
      new Option(
        "--regression-scope <scope>",
        "directives (the gold test patch's test directives, as Agentless 1.5 runs them; default), touched (those that exist at base_commit), localized, all",
      ).choices([...REGRESSION_SCOPES]),
    )
    .option(
      "--model-filter",
      "ask the model which passing tests the fix may change, and drop them (regress.model_filter, on by default)",
    )
    .option("--no-model-filter", "keep every passing test (regress.model_filter=false)")
    .option("--repo-source <repo=path>", "local git repository of a dataset repo (repeatable)", collect)
    .option("--repos-dir <dir>", "directory of clones named owner__name (default $SWERL_REPOS_DIR)")
    .option("--json", "print the summary as JSON")
    .action(async (o: RegressOpts) => {
      const sets = [...(o.set ?? [])];
      if (o.regressionScope) sets.push(`regress.scope=${o.regressionScope}`);
      if (o.modelFilter !== undefined) sets.push(`regress.model_filter=${o.modelFilter}`);
      const config = await loadConfig(o.config ?? [], sets);
      stageRunId("regress", o, config); // a missing run id is named before any dataset or server is read
      const { instances, datasetPath } = await stageInstances(o, config);
      const repoSources = resolveRepoSources(
        instances.map((i) => i.repo),
        {
          explicit: parsePairs(o.repoSource, "--repo-source"),
          datasetPath,
          reposDir: o.reposDir ?? process.env.SWERL_REPOS_DIR,
        },
      );
      const engines = await readyEngines(config, instances);
      const provider = config.regress.model_filter
        ? createModelProvider(config.model, {
            ...noCacheFromOptions(o),
            runId: o.runId ?? config.run_id,
            oracleLookup: oracleLookupFromRepos(instances, repoSources),
            oracleStageAnswers: regressOracleAnswers(instances),
          })
        : undefined;
      await provider?.preflight();
      const run = await openStageRun("regress", o, config, datasetPath);
      const interrupt = interruptFlag(() => provider?.stop());
      try {
        const { summary, interrupted } = await runRegressStep({
          config,
          run,
          instances,
          provider,
          engines,
          repoSources,
          shouldStop: interrupt.stopped,
        });
        await run.finish(interrupted ? "interrupted" : "success");
        process.stdout.write(
          o.json
            ? JSON.stringify(summary) + "\n"
            : [
                `Regression tests (scope ${summary.scope}): ${summary.instances} instances, ${summary.test_files} test files, ` +
                  `${summary.passing} tests selected, ${summary.dropped} dropped by the model filter, ${summary.no_signal} without a regression signal, ${summary.errors} errors`,
                `Records: ${run.stagePath(RECORD_FILES.regression)}`,
              ].join("\n") + "\n",
        );
        if (interrupted) process.exitCode = 130;
      } catch (err) {
        await run.finish("error", (err as Error).message);
        throw err;
      } finally {
        interrupt.dispose();
        engines.close();
      }
    });
}
