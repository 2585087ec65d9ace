// Location sets for repair: the files found by each localization sample of an instance
// (localization.jsonl records {instance_id, sample, found_files, error}), or the files the
// gold patch modifies (`--locations gold`). As in Agentless Mini: empty sets dropped, sets
// de-duplicated in sample order, at most N kept, then cycled to fill the N repair samples.
import { parsePatchSet } from "../reward/patch-set.js";
import { stripDiffPrefix } from "../util/diff-path.js";

export interface LocalizationRecord {
  instance_id: string;
  sample: number;
  found_files: string[] | null;
  error?: string | null;
}

/** Files the gold patch modifies or deletes (they exist at base_commit), in patch order. */
export function goldPatchFiles(patch: string): string[] {
  const paths: string[] = [];
  for (const file of parsePatchSet(patch)) {
    if (file.sourceFile === null || file.sourceFile === "/dev/null") continue;
    const path = stripDiffPrefix(file.sourceFile);
    if (!paths.includes(path)) paths.push(path);
  }
  return paths;
}

/** instance → its localization samples' file lists, by sample index (a later record of a sample wins). */
export function localizationSets(records: Iterable<LocalizationRecord>, where = "localization.jsonl"): Map<string, string[][]> {
  const bySample = new Map<string, Map<number, string[]>>();
  let n = 0;
  for (const r of records) {
    n++;
    if (typeof r.instance_id !== "string" || !Number.isInteger(r.sample)) {
      throw new Error(`${where} record ${n}: needs a string "instance_id" and an integer "sample"`);
    }
    if (r.found_files != null && (!Array.isArray(r.found_files) || r.found_files.some((f) => typeof f !== "string"))) {
      throw new Error(`${where} record ${n} (${r.instance_id} sample ${r.sample}): "found_files" must be a list of paths`);
    }
    let samples = bySample.get(r.instance_id);
    if (!samples) bySample.set(r.instance_id, (samples = new Map()));
    samples.set(r.sample, r.error ? [] : (r.found_files ?? []));
  }
  const out = new Map<string, string[][]>();
  for (const [id, samples] of bySample) {
    out.set(id, [...samples.entries()].sort((a, b) => a[0] - b[0]).map(([, files]) => files));
  }
  return out;
}

/** Non-empty sets, first occurrence of each exact list kept, at most `samples` of them. */
export function uniqueLocationSets(sets: readonly string[][], samples: number): string[][] {
  const seen = new Set<string>();
  const unique: string[][] = [];
  for (const files of sets) {
    if (files.length === 0) continue;
    const key = JSON.stringify(files);
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push([...files]);
  }
  return unique.slice(0, samples);
}

/** The location set of repair sample `index`: the unique sets cycled. */
export const locationSetIndex = (index: number, uniqueCount: number): number => index % uniqueCount;
