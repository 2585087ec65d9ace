// A run's report as data (report.json); report.md and report.html are views of it.
import { localizationMetrics, type LocalizationMetrics } from "../records/localization-metrics.js";
import { summarize, type RepairSummary } from "../records/repair.js";
import type { StageUsage } from "../model/usage.js";
import type { Ablation } from "./ablation.js";
import { loadDatasetContext, type DatasetContext } from "./dataset-context.js";
import { loadRunInputs, type RunInputs } from "./inputs.js";
import { outcomesFromRunReport, repoFromInstanceId, type Outcome } from "./outcomes.js";
import { rerankLoss, type RepoSourceFlags, type RerankLoss } from "./rerank-loss.js";
import { proportion, type Proportion } from "./stats.js";

export interface Breakdown extends Proportion {
  key: string;
}

export interface UsageTotals {
  requests: number;
  failed: number;
  prompt_tokens: number;
  completion_tokens: number;
  busy_ms: number;
  completion_tokens_per_s: number;
  total_tokens_per_s: number;
}

export interface Report {
  run_id: string;
  run_dir: string;
  generated_at: string;
  run: {
    command: string;
    status: string;
    swerl_version: string;
    git_commit: string | null;
    created_at: string;
    updated_at: string;
  };
  model: { provider: string | null; name: string | null };
  /** The pipeline profile (run.json) and the options that depart from it; null for runs from before profiles. */
  profile: { name: string; departures: Record<string, { value: unknown; profile: unknown }> } | null;
  /** The predictions `swerl evaluate` graded (a file digest, or "gold"/"empty"), when the run has no model. */
  predictions: string | null;
  oracle: { used: boolean; evidence: string[] };
  settings: Record<string, string | number | boolean | null>;
  dataset: {
    dataset: string | null;
    path: string | null;
    instances_from: DatasetContext["universe"];
    error: string | null;
  };
  /** Inputs absent from the run directory (and what that leaves out), and other caveats. */
  notes: string[];
  instances: number;
  /** resolved / instances, Wilson 95% interval; null without graded outcomes. */
  solve_rate: Proportion | null;
  solve_rate_excluding_infrastructure_errors: Proportion | null;
  outcomes: Record<Outcome, string[]> | null;
  infrastructure_errors: { instance_id: string; error: string | null }[];
  per_repo: Breakdown[];
  per_difficulty: Breakdown[];
  localization: Omit<LocalizationMetrics, "per_instance"> | null;
  repair: RepairSummary | null;
  unique_patches: {
    sampled_per_instance: number | null;
    validated_per_instance: number | null;
    validated: Record<string, number>;
  };
  /** Regression tests per instance: how many have a signal, and why the others have none. */
  regression: { instances: number; with_signal: number; no_signal: Array<{ instance_id: string; why: string }> } | null;
  rerank_loss: RerankLoss;
  usage: { stages: Record<string, StageUsage>; total: UsageTotals } | null;
  ablation: Ablation | null;
}

const OUTCOMES: Outcome[] = [
  "resolved",
  "unresolved",
  "empty_patch",
  "no_prediction",
  "patch_apply_failed",
  "timed_out",
  "infrastructure_error",
  "not_evaluated",
];

const at = (value: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), value);
const scalar = (v: unknown): string | number | boolean | null =>
  typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? v : null;

function settingsOf(config: unknown): Record<string, string | number | boolean | null> {
  return {
    localize_samples: scalar(at(config, "localize", "samples")),
    repair_samples: scalar(at(config, "repair", "samples")),
    repair_locations: scalar(at(config, "repair", "locations")),
    temperature: scalar(at(config, "model", "temperature")),
    reproduce_samples: scalar(at(config, "reproduce", "samples")),
    reproduce_top_tests: scalar(at(config, "reproduce", "top_tests")),
    regress_scope: scalar(at(config, "regress", "scope")),
    regress_model_filter: scalar(at(config, "regress", "model_filter")),
    regress_passing: scalar(at(config, "regress", "passing")),
    validate_isolation: scalar(at(config, "validate", "isolation")),
    validate_normalize: scalar(at(config, "validate", "normalize")),
    rerank_rule: scalar(at(config, "rerank", "rule")),
  };
}

function breakdown(ids: string[], outcomes: Map<string, Outcome>, keyOf: (id: string) => string): Breakdown[] {
  const groups = new Map<string, { n: number; k: number }>();
  for (const id of ids) {
    const key = keyOf(id);
    const g = groups.get(key) ?? { n: 0, k: 0 };
    g.n++;
    if (outcomes.get(id) === "resolved") g.k++;
    groups.set(key, g);
  }
  return [...groups].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, g]) => ({ key, ...proportion(g.k, g.n) }));
}

function usageTotals(stages: Record<string, StageUsage>): UsageTotals {
  const t = { requests: 0, failed: 0, prompt_tokens: 0, completion_tokens: 0, busy_ms: 0 };
  for (const s of Object.values(stages)) {
    t.requests += s.requests;
    t.failed += s.failed;
    t.prompt_tokens += s.prompt_tokens;
    t.completion_tokens += s.completion_tokens;
    t.busy_ms += s.busy_ms;
  }
  const seconds = t.busy_ms / 1000;
  return {
    ...t,
    completion_tokens_per_s: seconds > 0 ? t.completion_tokens / seconds : 0,
    total_tokens_per_s: seconds > 0 ? (t.prompt_tokens + t.completion_tokens) / seconds : 0,
  };
}

/** A note when most answers were read from cache entries another run recorded (not sampled for this run). */
function cachedFromOtherRuns(stages: Record<string, StageUsage>): string | null {
  let ok = 0,
    others = 0;
  for (const u of Object.values(stages)) {
    ok += u.ok;
    others += u.cached_from_other_runs ?? 0;
  }
  if (ok === 0 || others * 2 <= ok) return null;
  return `${others} of ${ok} model answers came from the response cache, recorded by other runs (same checkpoint, prompts and settings): not sampled afresh for this run`;
}

function regressionSummary(inputs: RunInputs, ids: readonly string[]): Report["regression"] {
  if (!inputs.regression) return null;
  const mine = ids.map((id) => inputs.regression!.get(id)).filter((r) => r !== undefined && r.error === null);
  const noSignal = mine
    .filter((r) => r!.no_signal || r!.selected_tests.length === 0)
    .map((r) => ({ instance_id: r!.instance_id, why: r!.no_signal ?? "no test selected" }));
  return { instances: mine.length, with_signal: mine.length - noSignal.length, no_signal: noSignal };
}

function oracleEvidence(inputs: RunInputs, repair: RepairSummary | null): string[] {
  const evidence: string[] = [];
  if (at(inputs.manifest.config, "model", "provider") === "oracle") evidence.push("run.json: model.provider is oracle");
  if (repair?.oracle_used) evidence.push("repair.jsonl: samples answered by the oracle provider");
  return evidence;
}

export interface BuildReportOptions extends RepoSourceFlags {
  dataset?: string;
}

export async function buildReport(runDir: string, o: BuildReportOptions = {}): Promise<Report> {
  const inputs = await loadRunInputs(runDir);
  const ctx = await loadDatasetContext(inputs, o.dataset);
  const notes = [...inputs.missing];
  const fromOthers = inputs.usage ? cachedFromOtherRuns(inputs.usage) : null;
  if (fromOthers) notes.push(fromOthers);
  if (ctx.error) notes.push(`${ctx.error}: repos read off instance ids, difficulty unknown, no localization recall`);
  const ids = ctx.instanceIds;
  const idSet = new Set(ids);

  let outcomes: Map<string, Outcome> | null = null;
  if (inputs.runReport) {
    outcomes = outcomesFromRunReport(inputs.runReport);
    for (const id of ids) if (!outcomes.has(id)) outcomes.set(id, "not_evaluated");
  }
  const lists = outcomes
    ? (Object.fromEntries(OUTCOMES.map((k) => [k, ids.filter((id) => outcomes!.get(id) === k)])) as Record<
        Outcome,
        string[]
      >)
    : null;
  const infra = lists?.infrastructure_error ?? [];

  const repair = inputs.repair ? summarize(inputs.repair.filter((r) => idSet.has(r.instance_id))) : null;
  const instancesInDataset = ids.map((id) => ctx.byId.get(id)).filter((i) => i !== undefined);
  let localization: Report["localization"] = null;
  if (inputs.localization && instancesInDataset.length > 0) {
    const { per_instance: _per, ...rest } = localizationMetrics(inputs.localization, instancesInDataset);
    localization = rest;
  } else if (inputs.localization) notes.push("localization recall needs the dataset's gold patches");

  const validated: Record<string, number> = {};
  for (const id of ids) {
    const v = inputs.validation?.get(id);
    if (v) validated[id] = v.filter((p) => p.normalized_patch !== "").length;
  }
  const validatedCounts = Object.values(validated);

  const regression = regressionSummary(inputs, ids);
  if (regression && regression.no_signal.length > 0) {
    notes.push(
      `${regression.no_signal.length} of ${regression.instances} instances have no regression signal (no test to run or none passing on the original code): ` +
        `their patches are ranked without regression tests (${regression.no_signal
          .slice(0, 5)
          .map((x) => x.instance_id)
          .join(", ")}${regression.no_signal.length > 5 ? ", …" : ""})`,
    );
  }

  const { loss, note } = await rerankLoss(inputs, ctx, outcomes ?? new Map(), o);
  if (note) notes.push(note);

  const m = inputs.manifest;
  return {
    run_id: m.run_id,
    run_dir: runDir,
    generated_at: new Date().toISOString(),
    run: {
      command: m.command,
      status: m.status,
      swerl_version: m.swerl_version,
      git_commit: m.git_commit,
      created_at: m.created_at,
      updated_at: m.updated_at,
    },
    model: {
      provider: scalar(at(m.config, "model", "provider")) as string | null,
      name: scalar(at(m.config, "model", "name")) as string | null,
    },
    profile: m.profile ?? null,
    predictions: scalar(at(m.config, "predictions")) === null ? null : String(at(m.config, "predictions")),
    oracle: (() => {
      const evidence = oracleEvidence(inputs, repair);
      return { used: evidence.length > 0, evidence };
    })(),
    settings: settingsOf(m.config),
    dataset: { dataset: ctx.dataset, path: ctx.datasetPath, instances_from: ctx.universe, error: ctx.error },
    notes,
    instances: ids.length,
    solve_rate: lists ? proportion(lists.resolved.length, ids.length) : null,
    solve_rate_excluding_infrastructure_errors: lists
      ? proportion(lists.resolved.length, ids.length - infra.length)
      : null,
    outcomes: lists,
    infrastructure_errors: infra.map((id) => ({
      instance_id: id,
      error: inputs.evaluation?.get(id)?.error?.split("\n")[0] ?? null,
    })),
    per_repo: outcomes ? breakdown(ids, outcomes, (id) => ctx.byId.get(id)?.repo ?? repoFromInstanceId(id)) : [],
    per_difficulty: outcomes ? breakdown(ids, outcomes, (id) => ctx.byId.get(id)?.difficulty || "unknown") : [],
    localization,
    repair,
    unique_patches: {
      sampled_per_instance: repair ? repair.unique_patches_per_instance : null,
      validated_per_instance: validatedCounts.length
        ? validatedCounts.reduce((a, b) => a + b, 0) / validatedCounts.length
        : null,
      validated,
    },
    regression,
    rerank_loss: loss,
    usage: inputs.usage ? { stages: inputs.usage, total: usageTotals(inputs.usage) } : null,
    ablation: inputs.ablation,
  };
}
