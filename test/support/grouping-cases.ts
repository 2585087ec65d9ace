// Sample sets for checking that grouping keys never change (src/normalize/grouping.test.ts) and
// for bench/scale.ts: noisy samples (noisy-patches.ts) of real gold patches, on SWE-bench
// Verified files rebuilt from the hunks, on real sympy files (testdata/sympy-files.json.gz) and
// on the demo repos.
import { gunzipSync } from "node:zlib";
import { readFileSync } from "node:fs";
import { preImagesFromPatch, seededRandom } from "./verified-cases.js";
import { noisyPatches } from "./noisy-patches.js";

export interface GroupingCase {
  id: string;
  files: Record<string, string>;
  patches: string[];
}
export interface GoldRow {
  instance_id: string;
  patch: string;
  test_patch: string;
}
export interface RealFilesRow {
  instance_id: string;
  patch: string;
  files: Record<string, string>;
}

export const VERIFIED_SAMPLES = 8;
export const REAL_SAMPLES = 60;

/** Every Verified row: pre-images rebuilt around the hunks (blank gaps), 8 samples each. */
export function verifiedGroupingCases(rows: readonly GoldRow[]): GroupingCase[] {
  return rows.map((row, i) => {
    const files = preImagesFromPatch(row, seededRandom(7), [""]);
    return {
      id: `verified:${row.instance_id}`,
      files,
      patches: noisyPatches(files, row.patch, VERIFIED_SAMPLES, 1000 + i),
    };
  });
}

/** Real files at the base commit, `samples` samples each. */
export function realFilesGroupingCases(
  rows: readonly RealFilesRow[],
  samples = REAL_SAMPLES,
  prefix = "real",
): GroupingCase[] {
  return rows.map((row, i) => ({
    id: `${prefix}:${row.instance_id}`,
    files: row.files,
    patches: noisyPatches(row.files, row.patch, samples, 5000 + i),
  }));
}

export const readGzipJson = <T>(path: string | URL): T =>
  JSON.parse(gunzipSync(readFileSync(path)).toString("utf8")) as T;

/** The demo benchmark's instances: originals from `git show` at the base commit, 60 samples each. */
export async function demoGroupingCases(samples = REAL_SAMPLES): Promise<GroupingCase[]> {
  const { buildDemoBenchmark } = await import("../../src/demo/build.js");
  const { readFilesAtCommit } = await import("../../src/repo/files.js");
  const bench = await buildDemoBenchmark();
  const rows = readFileSync(bench.datasetPath, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as GoldRow & { repo: string; base_commit: string });
  const real: RealFilesRow[] = [];
  for (const row of rows) {
    const paths = [...row.patch.matchAll(/^--- a\/(\S+)$/gm)].map((m) => m[1]);
    real.push({
      instance_id: row.instance_id,
      patch: row.patch,
      files: await readFilesAtCommit(bench.repoSources[row.repo], row.base_commit, paths),
    });
  }
  return realFilesGroupingCases(real, samples, "demo");
}

/** The first `count` SWE-bench Verified sympy rows (by id) touching ≤ 3 files, with their files at the base commit. */
export async function sympyRows(gitDir: string, count: number): Promise<RealFilesRow[]> {
  const rows = readFileSync("/work/shared/datasets/swe-bench-verified.test.jsonl", "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as GoldRow & { repo: string; base_commit: string })
    .filter((r) => r.repo === "sympy/sympy")
    .sort((a, b) => a.instance_id.localeCompare(b.instance_id));
  const real: RealFilesRow[] = [];
  for (const row of rows) {
    if (real.length === count) break;
    const paths = [...row.patch.matchAll(/^--- a\/(\S+)$/gm)].map((m) => m[1]!);
    if (paths.length > 3) continue;
    real.push({
      instance_id: row.instance_id,
      patch: row.patch,
      files: await (await import("../../src/repo/files.js")).readFilesAtCommit(gitDir, row.base_commit, paths),
    });
  }
  return real;
}
