// The repair stage's records (results/<run>/repair.jsonl, one line per sample) and the summary
// over them. A resumed or retried run appends; for one (instance, sample) the last record wins.
import { createHash } from "node:crypto";
import { RECORD_FILES } from "./files.js";
import type { TokenUsage } from "../model/types.js";
import type { RunStore } from "../store/run-store.js";

export const REPAIR_STAGE = RECORD_FILES.repair;

export interface RepairRecord {
  instance_id: string;
  stage: typeof REPAIR_STAGE;
  sample: number;
  /** Model name as reports show it ("oracle" for the oracle policy) and its provider kind. */
  model: string;
  provider: string;
  locations: "localized" | "gold";
  /** Index of the location set among the instance's unique sets, and its files. */
  location_set_index: number;
  location_set: string[];
  /** Files in the prompt (prompt order) and those left out, with why. */
  context_files: string[];
  omitted_files: OmittedFile[];
  /** Llama 3 tokens of the files in the prompt; over_budget when even the first file alone exceeds the budget. */
  context_tokens: number;
  over_budget: boolean;
  /** The model's answer (null when the call failed), plain or gzip-compressed: read it with rawOutputOf (store/raw-output.ts). */
  raw_output?: string | null;
  raw_output_gz?: string;
  thought_length: number | null;
  /** SWE-RL's strict format (think/solution tags, strict blocks that apply). */
  format_ok: boolean | null;
  format_error: string | null;
  /** SWE-RL reward against the gold patch (-1 on a format error); null without an answer or gold. */
  reward: number | null;
  /** "model_error" when the call failed, "process_error" when handling the answer failed, else what the tolerant pipeline made of the answer. */
  status: SampleStatus | "model_error" | "process_error";
  /** Why the sample has no usable patch, or what partly failed; null when status is ok. */
  error: string | null;
  /** Model failure reason when status is model_error (a FailureReason, or "exception" if the provider threw). */
  model_error: string | null;
  blocks: BlockOutcome[];
  edited_files: string[];
  /** The patch for evaluation: a git diff, "" when there is none. */
  patch: string;
  /** The diff of the applied edits when `patch` was emptied (syntax_error, empty_patch); else null. */
  raw_patch: string | null;
  syntax_errors: Record<string, string>;
  usage: TokenUsage;
  latency_ms: number;
  cached: boolean;
  attempts: number | null;
  finish_reason: string | null;
  /** Where the thought came from when the server did not send it in the text (a reasoning field, a pre-filled <think>). */
  thought_source?: string | null;
  /** Oracle policy only: which variant answered (correct, wrong_edit, format_error:…, noop). */
  oracle_variant: string | null;
  created_at: string;
}

export const recordKey = (instanceId: string, sample: number): string => `${instanceId}\u0000${sample}`;

/** What resume and the summary need of a record (a paper-scale run has 250,000 records). */
export interface RecordDigest {
  instance_id: string;
  sample: number;
  provider: string;
  status: RepairRecord["status"];
  format_ok: boolean | null;
  reward: number | null;
  /** sha1 of the patch, null when it is empty. */
  patch_sha: string | null;
  prompt_tokens: number;
  completion_tokens: number;
  /** The answer was cut at max_tokens (finish_reason "length"). */
  truncated: boolean;
}

export function digestOf(r: RepairRecord): RecordDigest {
  return {
    instance_id: r.instance_id,
    sample: r.sample,
    provider: r.provider,
    status: r.status,
    format_ok: r.format_ok,
    reward: r.reward,
    patch_sha: r.patch.trim() === "" ? null : createHash("sha1").update(r.patch).digest("hex"),
    prompt_tokens: r.usage?.prompt_tokens ?? 0,
    completion_tokens: r.usage?.completion_tokens ?? 0,
    truncated: r.finish_reason === "length",
  };
}

/** The digest of the latest record of every (instance, sample) in the run. */
export async function latestRecordDigests(run: RunStore): Promise<Map<string, RecordDigest>> {
  const latest = new Map<string, RecordDigest>();
  for await (const r of run.records<RepairRecord>(REPAIR_STAGE))
    latest.set(recordKey(r.instance_id, r.sample), digestOf(r));
  return latest;
}

export interface RepairSummary {
  instances: number;
  samples: number;
  model_errors: number;
  /** Answers whose handling failed (an internal error; see the records' error). */
  process_errors: number;
  answered: number;
  format_errors: number;
  format_error_rate: number;
  /** Answers with edit blocks of which some or all could not be applied, over answers. */
  apply_errors: number;
  apply_error_rate: number;
  no_edits: number;
  syntax_errors: number;
  empty_patches: number;
  /** Answers cut at max_tokens (finish_reason "length"), and their share of the answers. */
  truncated: number;
  truncated_rate: number;
  usable_patches: number;
  mean_reward: number | null;
  /** Mean over instances of the number of distinct non-empty patches. */
  unique_patches_per_instance: number;
  prompt_tokens: number;
  completion_tokens: number;
  oracle_used: boolean;
  /** Instances with no location set (not localized yet, or nothing found) or that could not be prepared. */
  skipped_instances: Record<string, string>;
}

const rate = (n: number, d: number): number => (d === 0 ? 0 : n / d);

export function summarize(records: Iterable<RecordDigest>, skipped: Record<string, string> = {}): RepairSummary {
  let samples = 0,
    modelErrors = 0,
    processErrors = 0,
    formatErrors = 0,
    applyErrors = 0,
    noEdits = 0,
    syntax = 0,
    empty = 0,
    usable = 0,
    truncated = 0;
  let rewardSum = 0,
    rewardCount = 0,
    prompt = 0,
    completion = 0;
  let oracle = false;
  const patches = new Map<string, Set<string>>();
  for (const r of records) {
    samples++;
    if (!patches.has(r.instance_id)) patches.set(r.instance_id, new Set());
    prompt += r.prompt_tokens;
    completion += r.completion_tokens;
    if (r.provider === "oracle") oracle = true;
    if (r.status === "model_error") {
      modelErrors++;
      continue;
    }
    if (r.status === "process_error") processErrors++;
    if (r.truncated) truncated++;
    if (r.format_ok === false) formatErrors++;
    if (r.status === "apply_error" || r.status === "partial_apply") applyErrors++;
    if (r.status === "no_edits") noEdits++;
    if (r.status === "syntax_error") syntax++;
    if (r.status === "empty_patch") empty++;
    if (r.patch_sha !== null) {
      usable++;
      patches.get(r.instance_id)!.add(r.patch_sha);
    }
    if (r.reward !== null) {
      rewardSum += r.reward;
      rewardCount++;
    }
  }
  const answered = samples - modelErrors;
  let uniqueSum = 0;
  for (const set of patches.values()) uniqueSum += set.size;
  return {
    instances: patches.size,
    samples,
    model_errors: modelErrors,
    process_errors: processErrors,
    answered,
    format_errors: formatErrors,
    format_error_rate: rate(formatErrors, answered),
    apply_errors: applyErrors,
    apply_error_rate: rate(applyErrors, answered),
    no_edits: noEdits,
    syntax_errors: syntax,
    empty_patches: empty,
    truncated,
    truncated_rate: rate(truncated, answered),
    usable_patches: usable,
    mean_reward: rewardCount === 0 ? null : rewardSum / rewardCount,
    unique_patches_per_instance: rate(uniqueSum, patches.size),
    prompt_tokens: prompt,
    completion_tokens: completion,
    oracle_used: oracle,
    skipped_instances: skipped,
  };
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

export function formatSummary(s: RepairSummary): string {
  const lines = [
    `Instances: ${s.instances}${Object.keys(s.skipped_instances).length ? ` (${Object.keys(s.skipped_instances).length} skipped)` : ""}`,
    `Samples: ${s.samples} (${s.answered} answered, ${s.model_errors} model errors${s.process_errors ? `, ${s.process_errors} processing errors` : ""})`,
    `Format errors (SWE-RL strict): ${s.format_errors} (${pct(s.format_error_rate)} of answers)`,
    `Truncated at max_tokens: ${s.truncated} (${pct(s.truncated_rate)} of answers; a cut answer is a format error)`,
    `Apply errors: ${s.apply_errors} (${pct(s.apply_error_rate)} of answers); no edits: ${s.no_edits}; syntax errors: ${s.syntax_errors}; empty patches: ${s.empty_patches}`,
    `Usable patches: ${s.usable_patches}; unique per instance: ${s.unique_patches_per_instance.toFixed(2)}`,
    `Mean reward: ${s.mean_reward === null ? "n/a" : s.mean_reward.toFixed(4)}`,
    `Tokens: ${s.prompt_tokens} prompt, ${s.completion_tokens} completion`,
  ];
  if (s.oracle_used) lines.push("Model: oracle policy (answers built from the gold patches, not a real model)");
  for (const [id, why] of Object.entries(s.skipped_instances)) lines.push(`Skipped ${id}: ${why}`);
  return lines.join("\n") + "\n";
}

export type PathProblem =
  | "empty"
  | "absolute" // /etc/passwd, C:\x, ~/x
  | "parent_dir" // a `..` segment
  | "unsupported_characters" // control characters, backslashes, quotes (git would quote them)
  | "not_in_repo" // not a file of the repository at base_commit
  | "not_a_regular_file"; // a symlink (may point outside the repo) or a submodule

export type BlockStatus = "applied" | "not_found" | "identical" | "empty_search" | "rejected_path" | BlockError;

export type MatchKind = "exact" | "mid_line" | "trailing_whitespace";

export interface BlockOutcome {
  path: string | null;
  line: number;
  status: BlockStatus;
  rules: BlockRule[];
  /** How the search was found, and how many times it was replaced. */
  match?: MatchKind;
  occurrences?: number;
  /** rejected_path: why. */
  path_problem?: PathProblem;
  /** The block edits a repository file that was not in the prompt. */
  outside_context?: true;
}

export interface OmittedFile {
  path: string;
  /** Tokens of the file's `### path` + content block (null when the file could not be read). */
  tokens: number | null;
  reason: "over_budget" | "not_in_repo";
}

/**
 * ok: a non-empty patch from edits that all applied; partial_apply: a patch, but some blocks
 * failed; apply_error: blocks, none applied; no_edits: no SEARCH/REPLACE block found;
 * syntax_error: the edits break Python syntax (patch emptied); empty_patch: the edits change
 * nothing but whitespace or blank lines (patch emptied).
 */
export type SampleStatus = "ok" | "partial_apply" | "apply_error" | "no_edits" | "syntax_error" | "empty_patch";

/** Ways a block departs from SWE-RL's strict format. */
export type BlockRule =
  | "crlf" // the answer uses \r\n line ends
  | "marker_format" // a marker or fence line with extra whitespace, or a SEARCH/REPLACE marker without exactly 7 <'s / >'s
  | "path_line_format" // the path is not written as `### path` (e.g. `## path`, `File: path`, `path` in backticks)
  | "path_line_position" // the path line is not the line right after the opening fence
  | "missing_path" // no path at all: the only file in the context is assumed
  | "path_from_previous_block" // no path line: the previous block's path in the same fence is used
  | "no_fence" // the block is not inside a ``` fence
  | "shared_fence" // several blocks in one fence
  | "fence_not_closed" // the fence is not closed right after the REPLACE marker
  | "path_completed" // the path is the end of a prompt file's path (`x.py` for `pkg/x.py`); set when applying
  | "other"; // none of the above, yet the strict regex does not match the block

export type BlockError = "no_path" | "unterminated";
