// `swerl reproduce`: M reproduction-test samples per instance, each run on the original code in
// the instance's container; the reproducing ones ranked by vote into
// results/<run>/reproduction_tests.jsonl (samples in reproduction.jsonl; resumable).
import { Command } from "commander";
import { parsePairs, parsePositiveInt } from "../cli/pairs.js";
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
import { log } from "../log/logger.js";
import { addNoCacheOption, assertModelAnswered, createModelProvider, noCacheFromOptions } from "../model/factory.js";
import { saveUsageTotals } from "../model/usage-file.js";
import { oracleLookupFromRepos } from "../stage-common/oracle-lookup.js";
import { resolveRepoSources } from "../repo/local-sources.js";
import { reproduceOracleAnswers } from "./oracle-answer.js";
import { runReproduceStep } from "./step.js";
import { RECORD_FILES } from "../records/files.js";

interface ReproduceOpts extends Partial<DatasetOptions> {
  config?: string[];
  set?: string[];
  runId?: string;
  force?: boolean;
  resultsDir?: string;
  cache?: boolean;
  samples?: string;
  topTests?: string;
  repoSource?: string[];
  reposDir?: string;
  json?: boolean;
}

export function reproduceCommand(): Command {
  return addStageRunOptions(
    addNoCacheOption(addDatasetOptions(new Command("reproduce"), false)),
    "reproduce.samples=10",
  )
    .description(
      "Generate reproduction tests (Agentless's contract), keep those that reproduce on the original code, rank them by vote",
    )
    .option("--samples <m>", "test samples per instance (reproduce.samples)")
    .option("--top-tests <t>", "tests validation runs: the first t of the ranking (reproduce.top_tests)")
    .option("--repo-source <repo=path>", "local git repository of a dataset repo (repeatable)", collect)
    .option("--repos-dir <dir>", "directory of clones named owner__name (default $SWERL_REPOS_DIR)")
    .option("--json", "print the summary as JSON")
    .action(async (o: ReproduceOpts) => {
      const sets = [...(o.set ?? [])];
      if (o.samples !== undefined) sets.push(`reproduce.samples=${parsePositiveInt(o.samples, "--samples")}`);
      if (o.topTests !== undefined) sets.push(`reproduce.top_tests=${parsePositiveInt(o.topTests, "--top-tests")}`);
      const config = await loadConfig(o.config ?? [], sets);
      stageRunId("reproduce", o, config); // a missing run id is named before any dataset or server is read
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
      const provider = createModelProvider(config.model, {
        runId: o.runId ?? config.run_id,
        ...noCacheFromOptions(o),
        oracleLookup: oracleLookupFromRepos(instances, repoSources),
        oracleStageAnswers: reproduceOracleAnswers(instances, config.model.oracle),
      });
      await provider.preflight(); // before the run directory exists: a wrong server or name leaves nothing behind
      const run = await openStageRun("reproduce", o, config, datasetPath);
      if (provider.kind === "oracle")
        log.info("reproduce: model is the oracle policy (tests built from the gold test patches), not a real model");
      const interrupt = interruptFlag(() => provider.stop());
      try {
        const { summary, interrupted } = await runReproduceStep({
          config,
          run,
          instances,
          provider,
          engines,
          repoSources,
          shouldStop: interrupt.stopped,
        });
        await saveUsageTotals(run, provider.usage, ["reproduce"]);
        assertModelAnswered(provider);
        await run.finish(interrupted ? "interrupted" : "success");
        process.stdout.write(
          o.json
            ? JSON.stringify(summary) + "\n"
            : [
                `Reproduction tests: ${summary.instances} instances, ${summary.samples} samples, ${summary.reproducing} reproduce on the original code, ` +
                  `${summary.unique_tests} unique reproducing tests, ${summary.errors} instance errors`,
                `Records: ${run.stagePath(RECORD_FILES.reproduction)}, ${run.stagePath(RECORD_FILES.reproductionTests)}`,
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
