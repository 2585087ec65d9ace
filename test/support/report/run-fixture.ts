// Run directories for report and compare tests, written record by record per
// docs/pipeline-records.md, over the demo benchmark (5 instances in 3 repos). Validation
// records carry the normalized patch and patch_id the validate stage would write
// (normalizePatch against the files at base_commit, read from the demo repos with git).
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Instance } from "../../../src/dataset/schema.js";
import type { RunReport } from "../../../src/records/run-report.js";
import { normalizePatch } from "../../../src/normalize/normalize-patch.js";
import { readFilesAtCommit } from "../../../src/repo/files.js";
import { parsePatchSet } from "../../../src/reward/patch-set.js";

export const T1 = "swerl-demo__textkit-1",
  T2 = "swerl-demo__textkit-2",
  D1 = "swerl-demo__durations-1",
  D2 = "swerl-demo__durations-2",
  L1 = "swerl-demo__ledger-1";

/** Alternative patches for the demo instances (real diffs against their base commits). */
export const PATCHES = {
  textkitWrong: `diff --git a/textkit/slug.py b/textkit/slug.py
--- a/textkit/slug.py
+++ b/textkit/slug.py
@@ -15,5 +15,5 @@ def slugify(text, separator="-"):
     'hello-world'
     """
     text = _ascii(text).lower()
     text = re.sub(r"[^a-z0-9]", separator, text)
-    return text.strip(separator)
+    return text.replace(separator * 2, separator).strip(separator)
`,
  // The gold fix plus a comment: normalizes to the gold patch's form.
  caseGoldWithComment: `diff --git a/textkit/case.py b/textkit/case.py
--- a/textkit/case.py
+++ b/textkit/case.py
@@ -11,5 +11,6 @@ def title_case(text):
         if 0 < i < len(words) - 1 and word.lower() in SMALL_WORDS:
             out.append(word.lower())
         else:
-            out.append(word.title())
+            # str.title() would capitalize after an apostrophe
+            out.append(word[:1].upper() + word[1:].lower())
     return " ".join(out)
`,
  caseWrong: `diff --git a/textkit/case.py b/textkit/case.py
--- a/textkit/case.py
+++ b/textkit/case.py
@@ -11,5 +11,5 @@ def title_case(text):
         if 0 < i < len(words) - 1 and word.lower() in SMALL_WORDS:
             out.append(word.lower())
         else:
-            out.append(word.title())
+            out.append(word.capitalize())
     return " ".join(out)
`,
  parseAlt: `diff --git a/durations/parse.py b/durations/parse.py
--- a/durations/parse.py
+++ b/durations/parse.py
@@ -18,6 +18,8 @@ def parse_duration(text):
     text = text.strip().lower()
     if not text:
         raise DurationError("empty duration")
+    if "".join(a + u for a, u in _TOKEN.findall(text)) != text.replace(" ", ""):
+        raise DurationError("not a duration: " + repr(text))
     total = 0
     for amount, unit in _TOKEN.findall(text):
         total += int(amount) * UNITS[unit]
`,
  formatWrong: `diff --git a/durations/format.py b/durations/format.py
--- a/durations/format.py
+++ b/durations/format.py
@@ -6,6 +6,8 @@ def format_duration(seconds):
     """Format \`\`seconds\`\` as the shortest compact string, e.g. 5400 -> "1h30m"."""
     if seconds < 0:
         raise ValueError("negative duration")
+    if not seconds:
+        return ""
     parts = []
     for unit, size in UNITS.items():
         count, seconds = divmod(seconds, size)
`,
};

export interface SampleSpec {
  patch: string;
  format_ok: boolean | null;
  reward: number | null;
  model_error?: boolean;
}

const created = "2026-11-23T20:00:00.000Z";
const jsonl = (rows: unknown[]) => rows.map((r) => JSON.stringify(r) + "\n").join("");

export function repairRecord(
  instanceId: string,
  sample: number,
  s: SampleSpec,
  provider = "oracle",
): Record<string, unknown> {
  const status = s.model_error
    ? "model_error"
    : s.format_ok === false
      ? "format_error"
      : s.patch
        ? "ok"
        : "empty_patch";
  return {
    instance_id: instanceId,
    stage: "repair",
    sample,
    model: provider === "oracle" ? "oracle" : "llama3-swe-rl-70b",
    provider,
    locations: "localized",
    location_set_index: 0,
    location_set: [],
    context_files: [],
    omitted_files: [],
    context_tokens: 1800,
    over_budget: false,
    raw_output: s.model_error ? null : "<think>…</think><solution>…</solution>",
    thought_length: s.model_error ? null : 120,
    format_ok: s.format_ok,
    format_error: s.format_ok === false ? "missing </solution>" : null,
    reward: s.reward,
    status,
    error: s.model_error ? "model call failed: timeout" : null,
    model_error: s.model_error ? "timeout" : null,
    blocks: [],
    edited_files: [],
    patch: s.patch,
    raw_patch: null,
    syntax_errors: {},
    usage: { prompt_tokens: s.model_error ? 0 : 2000, completion_tokens: s.model_error ? 0 : 300 },
    latency_ms: 900,
    cached: false,
    attempts: 1,
    finish_reason: s.model_error ? null : "stop",
    oracle_variant: provider === "oracle" ? (s.format_ok === false ? "format_error:tags" : "correct") : null,
    created_at: created,
  };
}

/** The validate stage's record of one unique patch (normalized against the base commit). */
export async function validationRecord(
  inst: Instance,
  repoDir: string,
  patch: string,
  samples: number[],
): Promise<Record<string, unknown>> {
  const paths = parsePatchSet(patch).map((f) => f.sourceFile!.replace(/^a\//, ""));
  const r = normalizePatch(await readFilesAtCommit(repoDir, inst.base_commit, paths), patch);
  if (r.error || r.normalized === "")
    throw new Error(`fixture patch for ${inst.instance_id} does not normalize: ${r.error ?? "empty"}`);
  return {
    instance_id: inst.instance_id,
    patch_id: createHash("sha1").update(r.normalized).digest("hex").slice(0, 16),
    normalized_patch: r.normalized,
    patch,
    samples,
    isolation: "reuse",
    applied: true,
    apply_method: "git apply --verbose",
    regression_failures: 0,
    regression_failed_tests: [],
    reproduction_passed: [],
    reproduction_outcomes: {},
    violation: null,
    timed_out: false,
    error: null,
    timings_ms: { apply: 120, regression: 2400, reproduction: 900, reset: 80, total: 3500 },
    created_at: created,
  };
}

export function runReport(ids: {
  resolved: string[];
  unresolved?: string[];
  empty?: string[];
  errors?: Record<string, "patch_apply_failed" | "timed_out" | "infrastructure">;
  incomplete?: string[];
}): RunReport {
  const errors = ids.errors ?? {};
  const unresolved = ids.unresolved ?? [],
    empty = ids.empty ?? [],
    incomplete = ids.incomplete ?? [];
  const completed = [...ids.resolved, ...unresolved];
  const submitted = [...completed, ...empty, ...Object.keys(errors)];
  const sorted = (a: string[]) => [...a].sort();
  return {
    total_instances: submitted.length + incomplete.length,
    submitted_instances: submitted.length,
    completed_instances: completed.length,
    resolved_instances: ids.resolved.length,
    unresolved_instances: unresolved.length,
    empty_patch_instances: empty.length,
    error_instances: Object.keys(errors).length,
    completed_ids: sorted(completed),
    incomplete_ids: sorted(incomplete),
    empty_patch_ids: sorted(empty),
    submitted_ids: sorted(submitted),
    resolved_ids: sorted(ids.resolved),
    unresolved_ids: sorted(unresolved),
    error_ids: sorted(Object.keys(errors)),
    schema_version: 2,
    error_kinds: errors,
  };
}

export interface RunFiles {
  config: Record<string, unknown>;
  usage?: Record<string, unknown>;
  localization?: unknown[];
  repair?: unknown[];
  regression?: unknown[];
  validation?: unknown[];
  rerank?: unknown[];
  preds?: unknown[];
  runReport?: RunReport;
  evaluation?: unknown[];
  grading?: unknown[];
  ablation?: unknown;
}

/** Write a run directory results/<runId>/ with the given files (absent ones are not written). */
export function writeRunDir(resultsDir: string, runId: string, f: RunFiles): string {
  const dir = join(resultsDir, runId);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "run.json"),
    JSON.stringify(
      {
        run_id: runId,
        command: "run",
        config: f.config,
        config_hash: "0".repeat(64),
        dataset_digest: null,
        swerl_version: "0.1.0",
        git_commit: "8bbccc9a8bbccc9a8bbccc9a8bbccc9a8bbccc9a",
        status: "success",
        created_at: "2026-11-23T20:00:00.000Z",
        updated_at: "2026-11-23T21:30:00.000Z",
      },
      null,
      2,
    ),
  );
  if (f.usage) writeFileSync(join(dir, "usage.json"), JSON.stringify(f.usage, null, 2));
  for (const [name, rows] of [
    ["localization", f.localization],
    ["repair", f.repair],
    ["regression", f.regression],
    ["validation", f.validation],
    ["rerank", f.rerank],
    ["preds", f.preds],
    ["evaluation", f.evaluation],
    ["grading", f.grading],
  ] as const) {
    if (rows) writeFileSync(join(dir, `${name}.jsonl`), jsonl(rows));
  }
  if (f.runReport) writeFileSync(join(dir, "run_report.json"), JSON.stringify(f.runReport, null, 2));
  if (f.ablation) writeFileSync(join(dir, "ablation.json"), JSON.stringify(f.ablation, null, 2));
  return dir;
}

export function stageUsage(
  requests: number,
  prompt: number,
  completion: number,
  busyMs: number,
): Record<string, unknown> {
  const s = busyMs / 1000;
  return {
    requests,
    ok: requests,
    failed: 0,
    failures: {},
    cached: 0,
    prompt_tokens: prompt,
    completion_tokens: completion,
    cached_prompt_tokens: 0,
    cached_completion_tokens: 0,
    latency_ms_total: busyMs * 4,
    busy_ms: busyMs,
    completion_tokens_per_s: completion / s,
    total_tokens_per_s: (prompt + completion) / s,
  };
}
