// `swerl run`: the whole pipeline from one config — dataset → repos → localize → repair →
// reproduce → regress → validate → rerank → evaluate (official grading of the chosen patch),
// each stage resuming from results/<run-id>/, then the report. Without -c it runs the embedded
// default: configs/demo.yaml (the bundled demo benchmark with the oracle policy).
import { Command, Option } from "commander";
import { fileURLToPath } from "node:url";
import { parsePairs } from "../cli/pairs.js";
import { addStageRunOptions, collect, interruptFlag, openStageRun, stageInstances } from "../cli/stage-command.js";
import { loadConfig } from "../config/load.js";
import { describeProfile, profileSummary } from "../config/profile.js";
import type { SwerlConfig } from "../config/schema.js";
import { addDatasetOptions, type DatasetOptions } from "../dataset/options.js";
import { splitList } from "../dataset/select.js";
import { ensureDockerAvailable } from "../docker/client.js";
import { enginePoolFromConfig } from "../stage-common/engines.js";
import { sweepOrphans } from "../docker/cleanup.js";
import { InstanceRepos, planRepos } from "../localize/repos.js";
import { log } from "../log/logger.js";
import { addNoCacheOption, createModelProvider, noCacheFromOptions } from "../model/factory.js";
import { oracleLookupFromRepos } from "../stage-common/oracle-lookup.js";
import { RepoStore } from "../repo/store.js";
import { ensureInstanceImages } from "../images/prepare.js";
import { runPipeline } from "./pipeline.js";
import { parseReuse } from "./reuse.js";
import { finishRun, oracleStageAnswers, PIPELINE_STEPS } from "./steps-all.js";
import { InputError } from "../util/input-error.js";

export const DEMO_CONFIG = fileURLToPath(new URL("../../configs/demo.yaml", import.meta.url));

interface RunOpts extends Partial<DatasetOptions> {
  config?: string[];
  set?: string[];
  runId?: string;
  reuse?: string[];
  gradeAll?: boolean;
  until?: string;
  repoSource?: string[];
  reposDir?: string;
  clone?: boolean;
  repoCache?: string;
  retryFailed?: boolean;
  force?: boolean;
  resultsDir?: string;
  cache?: boolean;
}

export function runCommand(): Command {
  return addStageRunOptions(addNoCacheOption(addDatasetOptions(new Command("run"), false)), "repair.samples=40")
    .description(
      "Run the whole pipeline (localize → repair → reproduce → regress → validate → rerank → evaluate) and report",
    )
    .option(
      "--reuse <stage=run>",
      "take a stage's records from another run (localize, repair, reproduce, regress, validate; repeatable)",
      collect,
    )
    .option("--grade-all", "also grade every unique patch officially (exact ablation curves, oracle@k)")
    .addOption(new Option("--until <stage>", "stop after this stage").choices(PIPELINE_STEPS.map((s) => s.name)))
    .option(
      "--repo-source <repo=path|url>",
      "local git repository of a dataset repo, or a URL to clone with --clone (repeatable)",
      collect,
    )
    .option("--repos-dir <dir>", "directory of clones named owner__name (default $SWERL_REPOS_DIR)")
    .option("--clone", "clone repos with no local repository (GitHub or their --repo-source URL) into the repo cache")
    .option("--repo-cache <dir>", "repo cache for --clone (default $SWERL_HOME/repos or ~/.cache/swerl/repos)")
    .action(async (o: RunOpts) => {
      const files = o.config?.length ? o.config : [DEMO_CONFIG];
      if (!o.config?.length)
        log.info(`run: no -c given: the embedded default ${DEMO_CONFIG} (demo benchmark, oracle policy)`);
      // Selection flags go into the config, so run.json says which instances this run owns (merge needs it).
      const config = withDatasetFlags(await loadConfig(files, o.set ?? []), o);
      log.info(`run: ${describeProfile(profileSummary(config))}`);
      const reuse = parseReuse(o.reuse);
      const { instances, datasetPath } = await stageInstances(o, config);
      if (instances.length === 0) throw new InputError("run: no instances selected");
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
      const engines = enginePoolFromConfig(config.docker);
      const docker = engines.engines[0].docker;
      await ensureDockerAvailable(docker);
      const provider = createModelProvider(config.model, {
        ...noCacheFromOptions(o),
        runId: o.runId ?? config.run_id,
        oracleLookup: oracleLookupFromRepos(instances, repos.dirs),
        oracleStageAnswers: oracleStageAnswers(instances, config),
      });
      await provider.preflight(); // before the run directory exists: a wrong server or name leaves nothing behind
      const run = await openStageRun("run", o, config, datasetPath);
      const resultsDir = o.resultsDir ?? config.results_dir;
      if (provider.kind === "oracle")
        log.info("run: the model is the oracle policy (answers built from the gold patches), not a real model");
      const interrupt = interruptFlag(() => provider.stop());
      try {
        const swept = await sweepOrphans(docker);
        if (swept > 0) log.info(`run: removed ${swept} container(s) left by a process that died`);
        // Images are made ready beside the model stages; the Docker stages wait for them.
        const noImage = ensureInstanceImages(docker, instances, config.docker.namespace);
        noImage.catch(() => {}); // awaited by the first Docker stage
        const outcome = await runPipeline(
          {
            config,
            run,
            instances,
            datasetPath,
            repos,
            provider,
            docker,
            engines,
            resultsDir,
            gradeAll: o.gradeAll === true,
            retryFailed: o.retryFailed === true,
            shouldStop: interrupt.stopped,
            noImage,
          },
          { steps: PIPELINE_STEPS, reuse, until: o.until },
        );
        await run.finish(outcome);
        if (outcome === "interrupted") {
          process.exitCode = 130;
          log.warn(`run ${run.runId}: interrupted; run the same command to resume`);
          return;
        }
        process.stdout.write(await finishRun(run, repos.dirs, o.until));
      } catch (err) {
        await run.finish("error", (err as Error).message);
        throw err;
      } finally {
        interrupt.dispose();
        engines.close();
        await store?.close();
      }
    });
}

function withDatasetFlags(config: SwerlConfig, o: Partial<DatasetOptions>): SwerlConfig {
  const d = { ...config.dataset };
  if (o.dataset !== undefined) d.path = o.dataset;
  if (o.split !== undefined && o.dataset !== undefined) d.split = o.split;
  if (o.instanceIds !== undefined) d.instance_ids = splitList(o.instanceIds);
  if (o.repos !== undefined) d.repos = splitList(o.repos);
  if (o.limit !== undefined) {
    const n = Number(o.limit);
    if (!Number.isInteger(n) || n < 0) throw new InputError(`--limit must be a whole number (got "${o.limit}")`);
    d.limit = n;
  }
  if (o.shard !== undefined) d.shard = o.shard;
  return { ...config, dataset: d };
}
