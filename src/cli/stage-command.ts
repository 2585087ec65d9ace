// What the model-driven stage commands (localize, repair, …) share: instances selected by
// flags falling back to the config's dataset section, the run opened with the config, the
// sampling parameters, and a Ctrl-C that lets samples in flight finish.
import { existsSync } from "node:fs";
import type { Command } from "commander";
import { profileSummary } from "../config/profile.js";
import type { SwerlConfig } from "../config/schema.js";
import type { Instance } from "../dataset/schema.js";
import { loadSelectedInstances, resolveDatasetPath, type DatasetOptions } from "../dataset/options.js";
import { log } from "../log/logger.js";
import { hashFile } from "../store/hash.js";
import { RunStore } from "../store/run-store.js";
import { InputError } from "../util/input-error.js";

export interface StageRunOptions extends Partial<DatasetOptions> {
  runId?: string;
  force?: boolean;
  resultsDir?: string;
}

/** The selected instances (flags win over the config) and the dataset's resolved path. */
export async function stageInstances(
  o: StageRunOptions,
  config: SwerlConfig,
): Promise<{ instances: Instance[]; datasetPath: string }> {
  const dataset = o.dataset ?? config.dataset.path;
  const instances = await loadSelectedInstances({
    dataset,
    split: o.split ?? config.dataset.split,
    instanceIds: o.instanceIds ?? config.dataset.instance_ids,
    repos: o.repos ?? config.dataset.repos,
    limit: o.limit ?? (config.dataset.limit === undefined ? undefined : String(config.dataset.limit)),
    shard: o.shard ?? config.dataset.shard,
  });
  return { instances, datasetPath: await resolveDatasetPath(dataset) };
}

/** The run id from the flag or the config; checked before anything is asked of a server. */
export function stageRunId(command: string, o: StageRunOptions, config: SwerlConfig): string {
  const runId = o.runId ?? config.run_id;
  if (!runId) throw new InputError(`${command} needs a run id: --run-id R (or run_id in the config)`);
  return runId;
}

export async function openStageRun(
  command: string,
  o: StageRunOptions,
  config: SwerlConfig,
  datasetPath: string,
): Promise<RunStore> {
  const runId = stageRunId(command, o, config);
  return RunStore.open({
    runId,
    command,
    config,
    profile: profileSummary(config),
    force: o.force,
    resultsDir: o.resultsDir ?? config.results_dir,
    datasetDigest: existsSync(datasetPath) ? await hashFile(datasetPath) : null,
  });
}

/** Ctrl-C sets a flag the stage polls (and calls `onStop`, e.g. the model client's stop); `dispose` removes the handler. */
export function interruptFlag(onStop?: () => void): { stopped: () => boolean; dispose: () => void } {
  let stop = false;
  const onSigint = () => {
    stop = true;
    onStop?.();
    log.warn("interrupted: finishing calls in flight (no retries), then stopping (run the same command to resume)");
  };
  process.once("SIGINT", onSigint);
  return { stopped: () => stop, dispose: () => process.off("SIGINT", onSigint) };
}

/** For repeatable options: each use appends. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** The options every model-driven stage command takes (config, run, resume behaviour). */
export function addStageRunOptions(cmd: Command, setExample: string): Command {
  return cmd
    .option("-c, --config <file>", "run config YAML (repeatable; later files win)", collect)
    .option("--set <key=value>", `override a config value, e.g. ${setExample} (repeatable)`, collect)
    .option("--run-id <id>", "run id (results/<run-id>/); default: the config's run_id")
    .option("--retry-failed", "run again the samples whose model call failed")
    .option("--results-dir <dir>", "where run directories live (default: the config's results_dir)")
    .option("--force", "reuse a run id whose config differs");
}
