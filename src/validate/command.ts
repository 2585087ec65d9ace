// `swerl validate`: run regression and reproduction tests on every unique (normalized) repair
// patch of a run, with the patch applied, in the instance's container; records in
// results/<run>/validation.jsonl (resumable). Reads repair.jsonl, regression.jsonl and
// reproduction_tests.jsonl of the same run (a missing one gives null results, not an error).
import { Command, Option } from "commander";
import { parsePairs, parsePositiveInt } from "../cli/pairs.js";
import { enginePoolFromConfig, prepareEngines } from "../stage-common/engines.js";
import { collect, interruptFlag, openStageRun, stageInstances } from "../cli/stage-command.js";
import { loadConfig } from "../config/load.js";
import type { SwerlConfig } from "../config/schema.js";
import { addDatasetOptions, type DatasetOptions } from "../dataset/options.js";
import { resolveRepoSources } from "../repo/local-sources.js";
import { ISOLATIONS } from "../testbed/testbed.js";
import { formatValidateSummary } from "../records/validation.js";
import { runValidateStep } from "./step.js";
import { RECORD_FILES } from "../records/files.js";

interface ValidateOpts extends Partial<DatasetOptions> {
  config?: string[];
  set?: string[];
  runId?: string;
  force?: boolean;
  resultsDir?: string;
  isolation?: string;
  maxWorkers?: string;
  namespace?: string;
  timeout?: string;
  testTimeout?: string;
  repoSource?: string[];
  reposDir?: string;
  json?: boolean;
}

async function validateConfig(o: ValidateOpts): Promise<SwerlConfig> {
  const sets = [...(o.set ?? [])];
  if (o.isolation !== undefined) sets.push(`validate.isolation=${o.isolation}`);
  if (o.maxWorkers !== undefined) sets.push(`docker.max_workers=${parsePositiveInt(o.maxWorkers, "--max-workers")}`);
  if (o.namespace !== undefined) sets.push(`docker.namespace=${o.namespace}`);
  if (o.timeout !== undefined) sets.push(`docker.timeout_s=${parsePositiveInt(o.timeout, "--timeout")}`);
  if (o.testTimeout !== undefined)
    sets.push(`validate.test_timeout_s=${parsePositiveInt(o.testTimeout, "--test-timeout")}`);
  return loadConfig(o.config ?? [], sets);
}

export function validateCommand(): Command {
  return addDatasetOptions(new Command("validate"), false)
    .option("-c, --config <file>", "run config YAML (repeatable; later files win)", collect)
    .option("--set <key=value>", "override a config value, e.g. validate.isolation=container (repeatable)", collect)
    .option("--run-id <id>", "run id (results/<run-id>/); default: the config's run_id")
    .option("--results-dir <dir>", "where run directories live (default: the config's results_dir)")
    .option("--force", "reuse a run id whose config differs")
    .description("Run regression and reproduction tests on each unique patch (one reused container per instance)")
    .addOption(
      new Option(
        "--isolation <mode>",
        "reuse: one container per instance, reset between patches (the repo reinstalled, in a container of its own, only when a patch needs it); container: a fresh container per step, the repo reinstalled after every patch (the harness's way)",
      ).choices([...ISOLATIONS]),
    )
    .option("--max-workers <n>", "instances validated at once (docker.max_workers)")
    .option("--namespace <ns>", 'image namespace (docker.namespace; "none" for locally built images)')
    .option("--timeout <s>", "limit of one regression run, seconds (docker.timeout_s)")
    .option("--test-timeout <s>", "limit of one reproduction test, seconds (validate.test_timeout_s)")
    .option("--repo-source <repo=path>", "local git repository of a dataset repo (repeatable)", collect)
    .option("--repos-dir <dir>", "directory of clones named owner__name (default $SWERL_REPOS_DIR)")
    .option("--json", "print the summary as JSON")
    .action(async (o: ValidateOpts) => {
      const config = await validateConfig(o);
      const { instances, datasetPath } = await stageInstances(o, config);
      const repoSources = resolveRepoSources(
        instances.map((i) => i.repo),
        {
          explicit: parsePairs(o.repoSource, "--repo-source"),
          datasetPath,
          reposDir: o.reposDir ?? process.env.SWERL_REPOS_DIR,
        },
      );
      const d = config.docker;
      const engines = enginePoolFromConfig(d);
      const interrupt = interruptFlag();
      const run = await openStageRun("validate", o, config, datasetPath);
      try {
        await prepareEngines(engines, config, instances);
        const { summary, interrupted } = await runValidateStep({
          config,
          run,
          instances,
          engines,
          repoSources,
          shouldStop: interrupt.stopped,
        });
        await run.finish(interrupted ? "interrupted" : "success");
        process.stdout.write(
          o.json
            ? JSON.stringify(summary) + "\n"
            : formatValidateSummary(summary) + `Records: ${run.stagePath(RECORD_FILES.validation)}\n`,
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
