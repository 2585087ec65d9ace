// The run report in the SWE-bench harness's format (schema_version 2), computed from the
// per-instance report.json files as the harness does, plus how each error was classified.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Instance } from "../dataset/schema.js";
import type { ErrorKind } from "./evaluation.js";
import { isEmptyPatch, type Prediction } from "./predictions.js";

export interface RunReport {
  total_instances: number;
  submitted_instances: number;
  completed_instances: number;
  resolved_instances: number;
  unresolved_instances: number;
  empty_patch_instances: number;
  error_instances: number;
  completed_ids: string[];
  incomplete_ids: string[];
  empty_patch_ids: string[];
  submitted_ids: string[];
  resolved_ids: string[];
  unresolved_ids: string[];
  error_ids: string[];
  schema_version: 2;
  /** swerl's addition: why each errored instance has no report. */
  error_kinds: Record<string, ErrorKind>;
}

export async function makeRunReport(
  dataset: Instance[],
  predictions: Map<string, Prediction>,
  evaluationDir: string,
  errorKinds: Record<string, ErrorKind>,
): Promise<RunReport> {
  const ids = {
    completed: [] as string[],
    incomplete: [] as string[],
    empty: [] as string[],
    resolved: [] as string[],
    unresolved: [] as string[],
    error: [] as string[],
  };
  for (const inst of dataset) {
    const id = inst.instance_id;
    const pred = predictions.get(id);
    if (!pred) {
      ids.incomplete.push(id);
      continue;
    }
    if (isEmptyPatch(pred)) {
      ids.empty.push(id);
      continue;
    }
    const path = join(evaluationDir, id, "report.json");
    if (!existsSync(path)) {
      ids.error.push(id);
      continue;
    }
    ids.completed.push(id);
    try {
      const report = JSON.parse(await readFile(path, "utf8")) as Record<string, { resolved: boolean }>;
      (report[id]!.resolved ? ids.resolved : ids.unresolved).push(id);
    } catch {
      ids.error.push(id);
    }
  }
  const sorted = (a: string[]) => [...a].sort();
  return {
    total_instances: dataset.length,
    submitted_instances: predictions.size,
    completed_instances: ids.completed.length,
    resolved_instances: ids.resolved.length,
    unresolved_instances: ids.unresolved.length,
    empty_patch_instances: ids.empty.length,
    error_instances: ids.error.length,
    completed_ids: sorted(ids.completed),
    incomplete_ids: sorted(ids.incomplete),
    empty_patch_ids: sorted(ids.empty),
    submitted_ids: sorted([...predictions.keys()]),
    resolved_ids: sorted(ids.resolved),
    unresolved_ids: sorted(ids.unresolved),
    error_ids: sorted(ids.error),
    schema_version: 2,
    error_kinds: Object.fromEntries(
      Object.entries(errorKinds)
        .filter(([id]) => ids.error.includes(id))
        .sort(),
    ),
  };
}
