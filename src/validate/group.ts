// Samples → unique patches: each sample's patch normalized (src/normalize) against the files at
// the instance's base commit; samples with equal normalized text are one patch, validated once.
// Samples whose normalized patch is "" (empty, no-op, comment-only, not applying) are dropped.
import type { Instance } from "../dataset/schema.js";
import { canonicalNormalizer, type PatchNormalizer } from "../normalize/patch-normalizer.js";
import { readFilesAtCommit } from "../repo/files.js";
import { parsePatchSet, patchedFilePath } from "../reward/patch-set.js";
import type { RepairSample } from "./inputs.js";
import { patchIdOf } from "./records.js";

export interface UniquePatch {
  patch_id: string;
  normalized: string;
  /** The earliest sample's original patch (the one validated and, if chosen, submitted). */
  patch: string;
  samples: number[];
}

/** Paths a patch reads at the base commit (sources and targets). */
function touchedPaths(patch: string): string[] {
  const paths: string[] = [];
  try {
    for (const f of parsePatchSet(patch)) {
      paths.push(patchedFilePath(f));
      if (f.sourceFile && f.sourceFile !== "/dev/null") paths.push(f.sourceFile.replace(/^a\//, ""));
    }
  } catch { /* not a diff: normalizePatch says so */ }
  return paths;
}

/** Unique patches in order of their earliest sample. */
export async function uniquePatches(
  instance: Instance, samples: readonly RepairSample[], repoDir: string, normalizer: PatchNormalizer = canonicalNormalizer,
): Promise<UniquePatch[]> {
  const withPatch = samples.filter((s) => s.patch.trim() !== "");
  const paths = [...new Set(withPatch.flatMap((s) => touchedPaths(s.patch)))];
  const originals = await readFilesAtCommit(repoDir, instance.base_commit, paths);
  const byNormalized = new Map<string, UniquePatch>();
  const sorted = [...withPatch].sort((a, b) => a.sample - b.sample);
  // all at once: the agentless normalizer batches them into few requests to its worker
  const scope = `${instance.instance_id}@${instance.base_commit}`;
  const results = await Promise.all(sorted.map((s) => normalizer.normalize(s.patch, originals, scope)));
  for (const [k, s] of sorted.entries()) {
    const { normalized } = results[k];
    if (normalized === "") continue;
    const found = byNormalized.get(normalized);
    if (found) found.samples.push(s.sample);
    else byNormalized.set(normalized, { patch_id: patchIdOf(normalized), normalized, patch: s.patch, samples: [s.sample] });
  }
  return [...byNormalized.values()];
}
