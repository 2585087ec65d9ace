// Location sets for repair: the files found by each localization sample of an instance
// (localization.jsonl records {instance_id, sample, found_files, error}), or the files the
// gold patch modifies (`--locations gold`). How they fill the N repair samples
// (`repair.location_fill`):
// - `cycle` (Agentless Mini, swe-rl/src/swerl/agentless_mini/repair.py:119-148): empty sets
//   dropped, sets de-duplicated in sample order, at most N kept, then cycled.
// - `per_set` (Agentless 1.5, README_swebench.md:184-228, agentless/repair/rerank.py:18-22):
//   every localization sample's set is its own repair run, duplicates and empty sets included;
//   rerank reads sample i of each run in turn, so repair sample s belongs to set s mod K and is
//   the (s div K)-th sample of that set (0: the greedy one).
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
export function localizationSets(
  records: Iterable<LocalizationRecord>,
  where = "localization.jsonl",
): Map<string, string[][]> {
  const bySample = new Map<string, Map<number, string[]>>();
  let n = 0;
  for (const r of records) {
    n++;
    if (typeof r.instance_id !== "string" || !Number.isInteger(r.sample)) {
      throw new Error(`${where} record ${n}: needs a string "instance_id" and an integer "sample"`);
    }
    if (r.found_files != null && (!Array.isArray(r.found_files) || r.found_files.some((f) => typeof f !== "string"))) {
      throw new Error(
        `${where} record ${n} (${r.instance_id} sample ${r.sample}): "found_files" must be a list of paths`,
      );
    }
    let samples = bySample.get(r.instance_id);
    if (!samples) bySample.set(r.instance_id, (samples = new Map()));
    samples.set(r.sample, r.error ? [] : (r.found_files ?? []));
  }
  const out = new Map<string, string[][]>();
  for (const [id, samples] of bySample) {
    out.set(
      id,
      [...samples.entries()].sort((a, b) => a[0] - b[0]).map(([, files]) => files),
    );
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

export type LocationFill = "cycle" | "per_set";

/**
 * The sets repair samples are drawn from: `cycle` the unique non-empty ones (at most `samples`);
 * `per_set` all of them in sample order (none when every set is empty: nothing to repair).
 */
export function repairLocationSets(
  sets: readonly string[][],
  samples: number,
  fill: LocationFill = "cycle",
): string[][] {
  if (fill === "cycle") return uniqueLocationSets(sets, samples);
  return sets.some((files) => files.length > 0) ? sets.map((files) => [...files]) : [];
}

/** The location set of repair sample `index`: sets taken in turn (both fills). */
export const locationSetIndex = (index: number, setCount: number): number => index % setCount;

/** Agentless 1.5: the first sample of each set's run (the first round of K samples) is its greedy one. */
export const isFirstOfSet = (index: number, setCount: number): boolean => index < setCount;

/** Agentless 1.5 `agentless/repair/repair.py:403-446`: greedy first sample, then temperature 0.8, 1,024 max tokens. */
export const AGENTLESS_REPAIR_SAMPLING = { temperature: 0.8, max_tokens: 1024 } as const;
