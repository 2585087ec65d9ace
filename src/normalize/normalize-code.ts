// Patch normalization for the vote in a repo of another language (validate.normalize picks it
// for every non-Python instance, whatever its value: Agentless's normalizer knows only Python).
// As normalize-patch.ts does for Python: apply the patch, and for each file it changes diff the
// canonical forms (canonical-code.ts) of the old and new content; a change that only adds
// functions keeps only its -/+ lines; a change to comments or whitespace alone normalizes to "".
// A file of no grammar of the family, or with a syntax error on either side, is compared on its
// raw text. The result is a key, not a patch to apply.
import { applyUnifiedDiff, PatchApplyError } from "../reward/apply-diff.js";
import { unifiedDiff } from "../reward/unified-diff.js";
import type { LanguageFamily } from "../treesitter/languages.js";
import { CodeCanonicalizer, type CodeForm } from "./canonical-code.js";
import { type NormalizedPatch, onlyAddsFunctions, rawLines } from "./normalize-patch.js";
import type { PatchNormalizer } from "./patch-normalizer.js";

export class CodePatchNormalizer implements PatchNormalizer {
  private readonly canon: CodeCanonicalizer;
  private readonly forms = new Map<string, CodeForm | null>(); // path + text → form (originals recur in every sample)

  constructor(family: LanguageFamily) {
    this.canon = new CodeCanonicalizer(family);
  }

  private form(path: string, text: string): CodeForm | null {
    const key = `${path}\u0000${text}`;
    if (!this.forms.has(key)) {
      if (this.forms.size > 2000) this.forms.clear();
      this.forms.set(key, this.canon.formOf(path, text));
    }
    return this.forms.get(key)!;
  }

  /** The normalized diff of one file; "" when it has no normalized change. */
  fileChange(path: string, oldText: string, newText: string): string {
    let oldLines = rawLines(oldText);
    let newLines = rawLines(newText);
    let contextFree = false;
    const before = this.form(path, oldText);
    const after = this.form(path, newText);
    if (before && after) {
      oldLines = before.lines;
      newLines = after.lines;
      contextFree = onlyAddsFunctions(before.functions, after.functions);
    }
    const diff = unifiedDiff(oldLines, newLines, { fromfile: `a/${path}`, tofile: `b/${path}`, lineterm: "" });
    if (diff.length === 0) return "";
    const body = contextFree ? diff.filter((l) => l.startsWith("-") || l.startsWith("+")) : diff;
    return [`diff --git a/${path} b/${path}`, ...body].join("\n") + "\n";
  }

  normalizeNow(patch: string, originals: Readonly<Record<string, string>>): NormalizedPatch {
    if (patch.trim() === "") return { normalized: "" };
    let result;
    try {
      result = applyUnifiedDiff(originals, patch);
    } catch (err) {
      if (err instanceof PatchApplyError) return { normalized: "", error: err.message };
      throw err;
    }
    const paths = Object.keys(result.after).sort();
    return { normalized: paths.map((p) => this.fileChange(p, result.before[p] ?? "", result.after[p] ?? "")).join("") };
  }

  normalize(patch: string, originals: Readonly<Record<string, string>>): Promise<NormalizedPatch> {
    return Promise.resolve(this.normalizeNow(patch, originals));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
