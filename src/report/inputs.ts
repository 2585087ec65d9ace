// Everything a report reads from a run directory. Only run.json is required; every other
// input may be missing (a partial run), and `missing` says which and what that leaves out.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { EvaluationRecord, GradingRecord } from "../records/evaluation.js";
import type { RunReport } from "../records/run-report.js";
import type { LocalizationRecord } from "../records/locations.js";
import { digestOf, recordKey, type RecordDigest, type RepairRecord } from "../records/repair.js";
import type { StageUsage } from "../model/usage.js";
import { readRecords } from "../store/jsonl.js";
import { jsonlName, RECORD_FILES } from "../records/files.js";
import type { RunManifest } from "../store/run-store.js";
import { parseAblation, type Ablation } from "./ablation.js";

/** The note for a run not yet ablated (`swerl run` never ablates: it logs this one as info). */
export const ABLATION_ABSENT = "ablation.json missing: no solve-rate curves (run swerl ablate)";

/** What the report needs of a validation record (validation.jsonl, last line per patch wins). */
export interface ValidationDigest {
  instance_id: string;
  patch_id: string;
  normalized_patch: string;
  samples: number[];
}

/** What the report needs of a regression record (regression.jsonl, last line per instance wins). */
export interface RegressionDigest {
  instance_id: string;
  no_signal?: string | null;
  error: string | null;
  selected_tests: string[];
}

export interface RerankDigest {
  instance_id: string;
  patch_id: string | null;
  sample: number | null;
}

export interface RunInputs {
  dir: string;
  manifest: RunManifest;
  usage: Record<string, StageUsage> | null;
  localization: LocalizationRecord[] | null;
  repair: RecordDigest[] | null;
  /** instance → its unique validated patches. */
  validation: Map<string, ValidationDigest[]> | null;
  /** instance → its regression record (absent: the run has no regress step). */
  regression: Map<string, RegressionDigest> | null;
  /** instance → the chosen patch (rerank.jsonl, else preds.jsonl's sample). */
  rerank: Map<string, RerankDigest> | null;
  runReport: RunReport | null;
  /** Last evaluation.jsonl record per instance (error details). */
  evaluation: Map<string, EvaluationRecord> | null;
  /** instance → patch_id → graded outcome (null = not gradable). */
  grading: Map<string, Map<string, boolean | null>> | null;
  ablation: Ablation | null;
  /** Human-readable notes on inputs absent or unreadable. */
  missing: string[];
}

/** A run given as a directory (holding run.json) or as a run id under the results dir. */
export function resolveRunDir(run: string, resultsDir: string): string {
  if (existsSync(join(run, "run.json"))) return resolve(run);
  const dir = resolve(resultsDir, run);
  if (!existsSync(join(dir, "run.json")))
    throw new Error(
      `run ${run}: no run.json in ${dir} (nor in ${resolve(run)}); pass a run id under --results-dir or a run directory`,
    );
  return dir;
}

async function readJson<T>(path: string): Promise<T> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as T;
  } catch (err) {
    throw new Error(`${path}: not valid JSON (${(err as Error).message})`);
  }
}

async function collect<T>(path: string): Promise<T[] | null> {
  if (!existsSync(path)) return null;
  const out: T[] = [];
  for await (const r of readRecords<T>(path)) out.push(r);
  return out;
}

export async function loadRunInputs(dir: string): Promise<RunInputs> {
  const manifestPath = join(dir, "run.json");
  if (!existsSync(manifestPath)) throw new Error(`${dir}: no run.json (not a run directory)`);
  const manifest = await readJson<RunManifest>(manifestPath);
  const missing: string[] = [];
  const file = (name: string) => join(dir, name);
  const absent = (name: string, what: string) => missing.push(`${name} missing: ${what}`);

  const usage = existsSync(file("usage.json"))
    ? await readJson<Record<string, StageUsage | null>>(file("usage.json"))
    : null;
  if (!usage) absent("usage.json", "no token usage or throughput");

  const localization = await collect<LocalizationRecord>(file(jsonlName(RECORD_FILES.localization)));
  if (!localization) absent(jsonlName(RECORD_FILES.localization), "no localization recall");

  // repair.jsonl is the run's biggest file (a record per sample, with the whole answer): only
  // each record's digest is kept, never the records.
  let repair: RecordDigest[] | null = null;
  if (existsSync(file(jsonlName(RECORD_FILES.repair)))) {
    const latest = new Map<string, RecordDigest>();
    for await (const r of readRecords<RepairRecord>(file(jsonlName(RECORD_FILES.repair))))
      latest.set(recordKey(r.instance_id, r.sample), digestOf(r));
    repair = [...latest.values()];
  } else absent(jsonlName(RECORD_FILES.repair), "no format-error rate, mean reward or sampled-patch counts");

  let validation: Map<string, ValidationDigest[]> | null = null;
  if (existsSync(file(jsonlName(RECORD_FILES.validation)))) {
    const byKey = new Map<string, ValidationDigest>();
    for await (const r of readRecords<ValidationDigest>(file(jsonlName(RECORD_FILES.validation)))) {
      byKey.set(`${r.instance_id}\u0000${r.patch_id}`, {
        instance_id: r.instance_id,
        patch_id: r.patch_id,
        normalized_patch: r.normalized_patch,
        samples: r.samples,
      });
    }
    validation = new Map();
    for (const r of byKey.values()) validation.set(r.instance_id, [...(validation.get(r.instance_id) ?? []), r]);
  } else
    absent(
      jsonlName(RECORD_FILES.validation),
      "no unique validated patches; rerank losses by normalized gold cannot be found",
    );

  const regressionRecords = await collect<RegressionDigest>(file(jsonlName(RECORD_FILES.regression)));
  const regression = regressionRecords ? new Map(regressionRecords.map((r) => [r.instance_id, r])) : null;

  const rerank = await loadChoices(dir, validation);
  if (!rerank) absent("rerank.jsonl and preds.jsonl", "the chosen patch of each instance is unknown");

  const runReport = existsSync(file("run_report.json")) ? await readJson<RunReport>(file("run_report.json")) : null;
  if (!runReport) absent("run_report.json", "no graded outcomes: no solve rate (run swerl evaluate)");

  const evalRecords = await collect<EvaluationRecord>(file(jsonlName(RECORD_FILES.evaluation)));
  const evaluation = evalRecords ? new Map(evalRecords.map((r) => [r.instance_id, r])) : null;

  const gradingRecords = await collect<GradingRecord>(file(jsonlName(RECORD_FILES.grading)));
  let grading: Map<string, Map<string, boolean | null>> | null = null;
  if (gradingRecords) {
    grading = new Map();
    for (const r of gradingRecords) {
      if (!grading.has(r.instance_id)) grading.set(r.instance_id, new Map());
      grading.get(r.instance_id)!.set(r.patch_id, r.resolved);
    }
  }

  let ablation: Ablation | null = null;
  if (existsSync(file("ablation.json"))) {
    try {
      ablation = parseAblation(await readJson<unknown>(file("ablation.json")), file("ablation.json"));
    } catch (err) {
      missing.push(`ablation.json unreadable: ${(err as Error).message}`);
    }
  } else missing.push(ABLATION_ABSENT);

  const cleanUsage = usage
    ? Object.fromEntries(Object.entries(usage).filter((e): e is [string, StageUsage] => e[1] !== null))
    : null;
  return {
    dir,
    manifest,
    usage: cleanUsage,
    localization,
    repair,
    validation,
    regression,
    rerank,
    runReport,
    evaluation,
    grading,
    ablation,
    missing,
  };
}

/** The chosen patch per instance: rerank.jsonl's patch_id, else preds.jsonl's sample mapped through validation. */
async function loadChoices(
  dir: string,
  validation: Map<string, ValidationDigest[]> | null,
): Promise<Map<string, RerankDigest> | null> {
  const rerank = await collect<RerankDigest>(join(dir, jsonlName(RECORD_FILES.rerank)));
  if (rerank)
    return new Map(
      rerank.map((r) => [
        r.instance_id,
        { instance_id: r.instance_id, patch_id: r.patch_id ?? null, sample: r.sample ?? null },
      ]),
    );
  const preds = await collect<{ instance_id: string; sample?: number | null }>(join(dir, "preds.jsonl"));
  if (!preds) return null;
  const out = new Map<string, RerankDigest>();
  for (const p of preds) {
    const sample = p.sample ?? null;
    const patch = sample === null ? undefined : validation?.get(p.instance_id)?.find((v) => v.samples.includes(sample));
    out.set(p.instance_id, { instance_id: p.instance_id, patch_id: patch?.patch_id ?? null, sample });
  }
  return out;
}
