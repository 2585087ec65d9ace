// The dataset options every command that reads instances shares.
import type { Command } from "commander";
import { loadDataset } from "./load.js";
import type { Instance } from "./schema.js";
import { selectInstances, splitList } from "./select.js";
import { InputError } from "../util/input-error.js";

export interface DatasetOptions {
  dataset: string;
  split?: string;
  instanceIds?: string[];
  repos?: string[];
  limit?: string;
  shard?: string;
}

export function addDatasetOptions(cmd: Command, required = true): Command {
  const opt = "--dataset <path|hf-id|demo|demo-multilingual>";
  const help =
    'dataset: .jsonl, .json, .parquet, a Hugging Face id, "demo" (the embedded Python demo benchmark) or "demo-multilingual" (its Go, Rust and JavaScript one)';
  (required ? cmd.requiredOption(opt, help) : cmd.option(opt, help))
    .option("--split <name>", "split of a Hugging Face dataset", "test")
    .option("--instance-ids <ids...>", "only these instances (space- or comma-separated)")
    .option("--repos <repos...>", "only instances of these repos (owner/name)")
    .option("--limit <n>", "at most n instances (after the other filters)")
    .option("--shard <i/n>", "only shard i of n (stable, by instance id)");
  return cmd;
}

/**
 * "demo" and "demo-multilingual" name the embedded demo benchmarks (built on first use);
 * anything else is a path or id.
 */
export async function resolveDatasetPath(dataset: string): Promise<string> {
  if (dataset !== "demo" && dataset !== "demo-multilingual") return dataset;
  const { buildDemoDataset } = await import("../demo/multilingual.js");
  return (await buildDemoDataset(dataset)).datasetPath;
}

/** The whole dataset (its path resolved) and the selected instances. */
export async function loadDatasetSelection(
  o: DatasetOptions,
): Promise<{ path: string; all: Instance[]; selected: Instance[] }> {
  const path = await resolveDatasetPath(o.dataset);
  const all = await loadDataset(path, { split: o.split });
  let limit: number | undefined;
  if (o.limit !== undefined) {
    limit = Number(o.limit);
    if (!Number.isInteger(limit) || limit < 0)
      throw new InputError(`--limit must be a whole number (got "${o.limit}")`);
  }
  const selected = selectInstances(all, {
    instanceIds: splitList(o.instanceIds),
    repos: splitList(o.repos),
    limit,
    shard: o.shard,
  });
  return { path, all, selected };
}

export async function loadSelectedInstances(o: DatasetOptions): Promise<Instance[]> {
  return (await loadDatasetSelection(o)).selected;
}

/** The selection a run config records (dataset section), as the options the loaders take. */
export function selectionOfConfig(d: {
  path: string;
  split: string;
  instance_ids?: string[];
  repos?: string[];
  limit?: number;
  shard?: string;
}): DatasetOptions {
  return {
    dataset: d.path,
    split: d.split,
    instanceIds: d.instance_ids,
    repos: d.repos,
    limit: d.limit === undefined ? undefined : String(d.limit),
    shard: d.shard,
  };
}
