// The instances a report is about and what the dataset says of them (repo, difficulty, gold
// patch). The dataset is the run config's (dataset.path, or the dataset string `swerl
// evaluate` records) unless --dataset overrides it; when it cannot be loaded the report goes
// on with repos read off the instance ids and says what is missing.
import { loadDataset } from "../dataset/load.js";
import { resolveDatasetPath } from "../dataset/options.js";
import type { Instance } from "../dataset/schema.js";
import { selectInstances, splitList } from "../dataset/select.js";
import type { RunInputs } from "./inputs.js";

export interface DatasetContext {
  /** The dataset as given (config or --dataset) and its resolved path; null when none is known. */
  dataset: string | null;
  datasetPath: string | null;
  /** instance → instance row, for the instances the dataset holds. */
  byId: Map<string, Instance>;
  /** The instances the report covers, sorted. */
  instanceIds: string[];
  /** Where the instance list came from. */
  universe: "run_report" | "config_selection" | "records";
  error: string | null;
}

interface ConfigDataset {
  path?: string;
  split?: string;
  instance_ids?: string[];
  repos?: string[];
  limit?: number;
  shard?: string;
}

/** The dataset section of a run config, whichever command wrote it. */
export function configDataset(config: unknown): ConfigDataset {
  const d = (config as { dataset?: unknown } | null)?.dataset;
  if (typeof d === "string") return { path: d };
  return d && typeof d === "object" ? (d as ConfigDataset) : {};
}

function idsInRecords(inputs: RunInputs): string[] {
  const ids = new Set<string>();
  for (const r of inputs.localization ?? []) ids.add(r.instance_id);
  for (const r of inputs.repair ?? []) ids.add(r.instance_id);
  for (const id of inputs.validation?.keys() ?? []) ids.add(id);
  for (const id of inputs.rerank?.keys() ?? []) ids.add(id);
  return [...ids];
}

export async function loadDatasetContext(inputs: RunInputs, override?: string): Promise<DatasetContext> {
  const cfg = configDataset(inputs.manifest.config);
  const dataset = override ?? cfg.path ?? null;
  let datasetPath: string | null = null;
  let all: Instance[] = [];
  let error: string | null = null;
  if (dataset) {
    try {
      datasetPath = await resolveDatasetPath(dataset);
      all = await loadDataset(datasetPath, { split: cfg.split });
    } catch (err) {
      error = `dataset ${dataset} could not be loaded: ${(err as Error).message}`;
    }
  } else error = "no dataset in run.json's config (pass --dataset)";
  const byId = new Map(all.map((i) => [i.instance_id, i]));

  let instanceIds: string[];
  let universe: DatasetContext["universe"];
  const rr = inputs.runReport;
  if (rr) {
    universe = "run_report";
    instanceIds = [
      ...new Set([
        ...rr.resolved_ids,
        ...rr.unresolved_ids,
        ...rr.empty_patch_ids,
        ...rr.error_ids,
        ...rr.incomplete_ids,
      ]),
    ];
  } else if (all.length > 0) {
    universe = "config_selection";
    const limit = cfg.limit;
    instanceIds = selectInstances(all, {
      instanceIds: splitList(cfg.instance_ids),
      repos: splitList(cfg.repos),
      limit,
      shard: cfg.shard,
    }).map((i) => i.instance_id);
  } else {
    universe = "records";
    instanceIds = idsInRecords(inputs);
  }
  return { dataset, datasetPath, byId, instanceIds: instanceIds.sort(), universe, error };
}
