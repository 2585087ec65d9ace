// The normalizer the vote groups samples with (validate.normalize): "agentless" (default) gives
// Agentless's normalize_patch text exactly (python3 worker, agentless.ts); "canonical" is
// swerl's tree-sitter form (normalize-patch.ts), which needs no Python.
import { createAgentlessNormalizer } from "./agentless.js";
import { normalizePatch, type NormalizedPatch } from "./normalize-patch.js";

export type NormalizerKind = "agentless" | "canonical";

export interface PatchNormalizer {
  /** `scope` names the set of originals (same scope + path ⇒ same content); it keys caches. */
  normalize(patch: string, originals: Readonly<Record<string, string>>, scope: string): Promise<NormalizedPatch>;
  close(): Promise<void>;
}

export const canonicalNormalizer: PatchNormalizer = {
  normalize: (patch, originals) => Promise.resolve(normalizePatch(originals, patch)),
  close: () => Promise.resolve(),
};

export function createPatchNormalizer(kind: NormalizerKind): PatchNormalizer {
  return kind === "canonical" ? canonicalNormalizer : createAgentlessNormalizer();
}
