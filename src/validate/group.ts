// Samples → unique patches: each sample's patch normalized (src/normalize) against the files at
// the instance's base commit; samples with equal normalized text are one patch, validated once.
// Samples whose normalized patch is "" (empty, no-op, comment-only, not applying) are dropped.
// Identical raw patches (common at 500 samples) are normalized once, whatever the normalizer.
import type { Instance } from "../dataset/schema.js";
import { scopeNormalizer } from "../normalize/scope-normalizer.js";
import { canonicalNormalizer, type PatchNormalizer } from "../normalize/patch-normalizer.js";
import { readFilesAtCommit } from "../repo/files.js";
import { parsePatchSet, patchedFilePath } from "../reward/patch-set.js";
import type { RepairSample } from "../records/validation-inputs.js";
import { patchIdOf } from "../records/validation.js";

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
  } catch {
    /* not a diff: normalizePatch says so */
  }
  return paths;
}

/**
 * The one call into src/normalize: one instance's distinct raw patches → their normalized texts
 * ("" for none), in order. The canonical form goes through one InstanceNormalizer per instance
 * (its caches hold that instance only); another normalizer gets them all at once (the agentless
 * one batches them into few requests to its worker; `scope` keys its per-instance caches).
 */
export async function normalizeDistinctPatches(
  originals: Readonly<Record<string, string>>,
  patches: readonly string[],
  normalizer: PatchNormalizer = canonicalNormalizer,
  scope = "",
): Promise<string[]> {
  if (normalizer !== canonicalNormalizer) {
    return (await Promise.all(patches.map((p) => normalizer.normalize(p, originals, scope)))).map((r) => r.normalized);
  }
  const normalize = scopeNormalizer(originals);
  const out: string[] = [];
  for (const [i, p] of patches.entries()) {
    // tree-sitter frees a tree in a finalizer that runs only between event-loop turns
    if (i % 16 === 15) await new Promise((resolve) => setImmediate(resolve));
    out.push(normalize(p).normalized);
  }
  return out;
}

/** Unique patches in order of their earliest sample. */
export async function uniquePatches(
  instance: Instance,
  samples: readonly RepairSample[],
  repoDir: string,
  normalizer: PatchNormalizer = canonicalNormalizer,
): Promise<UniquePatch[]> {
  const withPatch = [...samples].filter((s) => s.patch.trim() !== "").sort((a, b) => a.sample - b.sample);
  const distinct = [...new Set(withPatch.map((s) => s.patch))];
  const paths = [...new Set(distinct.flatMap(touchedPaths))];
  const originals = await readFilesAtCommit(repoDir, instance.base_commit, paths);
  const scope = `${instance.instance_id}@${instance.base_commit}`;
  return groupByNormalized(withPatch, distinct, await normalizeDistinctPatches(originals, distinct, normalizer, scope));
}

/** Samples (sorted by index) grouped by the normalized text of their raw patch. */
export function groupByNormalized(
  samples: readonly RepairSample[],
  distinct: readonly string[],
  normalized: readonly string[],
): UniquePatch[] {
  const normalizedOf = new Map(distinct.map((p, i) => [p, normalized[i]!]));
  const byNormalized = new Map<string, UniquePatch>();
  for (const s of samples) {
    const key = normalizedOf.get(s.patch) ?? "";
    if (key === "") continue;
    const found = byNormalized.get(key);
    if (found) found.samples.push(s.sample);
    else byNormalized.set(key, { patch_id: patchIdOf(key), normalized: key, patch: s.patch, samples: [s.sample] });
  }
  return [...byNormalized.values()];
}
