// One scope's (one instance's) normalizer for the vote's canonical forms: Python's through an
// InstanceNormalizer (its caches serve every patch of the scope), another language's through
// its CodePatchNormalizer. Used inline and on the normalize pool's worker threads.
import type { LanguageFamily } from "../treesitter/languages.js";
import { InstanceNormalizer } from "./instance-normalizer.js";
import { CodePatchNormalizer } from "./normalize-code.js";
import type { NormalizedPatch } from "./normalize-patch.js";

/** `language` absent: Python's canonical form. */
export function scopeNormalizer(
  originals: Readonly<Record<string, string>>,
  language?: LanguageFamily,
): (patch: string) => NormalizedPatch {
  if (language) {
    const code = new CodePatchNormalizer(language);
    return (patch) => code.normalizeNow(patch, originals);
  }
  const instance = new InstanceNormalizer(originals);
  return (patch) => instance.normalize(patch);
}
