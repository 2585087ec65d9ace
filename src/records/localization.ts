// The localization stage's records (results/<run>/localization.jsonl, one line per sample; the
// repair stage reads them through records/locations.ts) and the summary over them. A resumed or
// retried run appends; for one (instance, sample) the last record wins.
import { RECORD_FILES } from "./files.js";
import type { LocalizationRecord } from "./locations.js";
import { localizationSets, uniqueLocationSets } from "./locations.js";
import type { TokenUsage } from "../model/types.js";
import type { RunStore } from "../store/run-store.js";
import type { LocalizationMetrics } from "./localization-metrics.js";

/** The run's file: results/<run>/localization.jsonl. */
export const LOCALIZATION_FILE = RECORD_FILES.localization;
/** The stage name sent with model requests (the oracle and usage meter know it). */
export const LOCALIZE_STAGE = "localize";

export interface LocalizeRecord extends LocalizationRecord {
  instance_id: string;
  stage: typeof LOCALIZE_STAGE;
  sample: number;
  model: string;
  provider: string;
  /** The prompt's settings: greedy or sampled, n files asked for, listing indent, shuffle seed. */
  greedy: boolean;
  n: number;
  indent: number;
  shuffle_seed: number | null;
  /** sha256 of the messages sent (canonical JSON). */
  prompt_hash: string;
  /** Files in the listing shown to the model. */
  listed_files: number;
  /** Files found, in the order named; [] when none, null when the model call failed. */
  found_files: string[] | null;
  /** The model's answer (null when the call failed), plain or gzip-compressed: read it with rawOutputOf (store/raw-output.ts). */
  raw_output?: string | null;
  raw_output_gz?: string;
  status: LocalizationStatus | "model_error";
  /** Why no file was found (or why the call failed); null when status is ok. */
  error: string | null;
  model_error: string | null;
  thinking: boolean | null;
  fenced: boolean | null;
  dropped: DroppedPath[];
  notes: string[];
  usage: TokenUsage;
  latency_ms: number;
  cached: boolean;
  attempts: number | null;
  finish_reason: string | null;
  oracle_variant: string | null;
  created_at: string;
}

export const recordKey = (instanceId: string, sample: number): string => `${instanceId}\u0000${sample}`;

/** The latest record of every (instance, sample) in the run. */
export async function latestLocalizeRecords(run: RunStore): Promise<Map<string, LocalizeRecord>> {
  const latest = new Map<string, LocalizeRecord>();
  for await (const r of run.records<LocalizeRecord>(LOCALIZATION_FILE))
    latest.set(recordKey(r.instance_id, r.sample), r);
  return latest;
}

/** instance → its distinct non-empty location sets, in sample order (what repair will cycle). */
export function consolidateLocations(records: Iterable<LocalizationRecord>): Record<string, string[][]> {
  const out: Record<string, string[][]> = {};
  for (const [id, sets] of localizationSets(records)) out[id] = uniqueLocationSets(sets, Number.MAX_SAFE_INTEGER);
  return out;
}

export type FailureCounts = Record<LocalizationStatus | "model_error", number>;

export interface LocalizeSummary {
  instances: number;
  samples: number;
  answered: number;
  model_errors: number;
  /** Samples by outcome. */
  statuses: FailureCounts;
  /** Mean files found per answered sample. */
  mean_files: number;
  unique_sets_per_instance: number;
  prompt_tokens: number;
  completion_tokens: number;
  oracle_used: boolean;
  /** Instances that could not be prepared (no repository, commit missing, …), with why. */
  skipped_instances: Record<string, string>;
  metrics: LocalizationMetrics;
}

export function summarize(
  records: Iterable<LocalizeRecord>,
  metrics: LocalizationMetrics,
  skipped: Record<string, string> = {},
): LocalizeSummary {
  const statuses: FailureCounts = { ok: 0, empty_answer: 0, no_fenced_block: 0, nonexistent_paths: 0, model_error: 0 };
  const all = [...records];
  let files = 0,
    prompt = 0,
    completion = 0;
  for (const r of all) {
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    if (r.status !== "model_error") files += r.found_files?.length ?? 0;
    prompt += r.usage?.prompt_tokens ?? 0;
    completion += r.usage?.completion_tokens ?? 0;
  }
  const sets = Object.values(consolidateLocations(all));
  const answered = all.length - statuses.model_error;
  return {
    instances: new Set(all.map((r) => r.instance_id)).size,
    samples: all.length,
    answered,
    model_errors: statuses.model_error,
    statuses,
    mean_files: answered ? files / answered : 0,
    unique_sets_per_instance: sets.length ? sets.reduce((n, s) => n + s.length, 0) / sets.length : 0,
    prompt_tokens: prompt,
    completion_tokens: completion,
    oracle_used: all.some((r) => r.provider === "oracle"),
    skipped_instances: skipped,
    metrics,
  };
}

export function formatSummary(s: LocalizeSummary): string {
  const skipped = Object.keys(s.skipped_instances).length;
  const lines = [
    `Instances: ${s.instances}${skipped ? ` (${skipped} skipped)` : ""}`,
    `Samples: ${s.samples} (${s.answered} answered, ${s.model_errors} model errors)`,
    `No files found: ${s.statuses.empty_answer} empty answers, ${s.statuses.no_fenced_block} without a fenced block or path, ` +
      `${s.statuses.nonexistent_paths} naming only paths not in the listing`,
    `Files per answered sample: ${s.mean_files.toFixed(2)}; unique location sets per instance: ${s.unique_sets_per_instance.toFixed(2)}`,
    `Tokens: ${s.prompt_tokens} prompt, ${s.completion_tokens} completion`,
  ];
  if (s.oracle_used) lines.push("Model: oracle policy (answers built from the gold patches, not a real model)");
  for (const [id, why] of Object.entries(s.skipped_instances)) lines.push(`Skipped ${id}: ${why}`);
  return lines.join("\n") + "\n";
}

export type LocalizationStatus = "ok" | "empty_answer" | "no_fenced_block" | "nonexistent_paths";

export interface DroppedPath {
  /** The path as the model wrote it. */
  path: string;
  reason: "not_in_repo" | "not_listed" | "duplicate" | "over_limit";
}
