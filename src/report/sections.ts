// The report's content as neutral sections (paragraphs, key/value rows, tables), rendered to
// Markdown (report.md) and HTML (report.html) alike, so the two never disagree.
import type { Breakdown, Report } from "./build.js";

export interface Table {
  headers: string[];
  rows: string[][];
}
export interface Section {
  id: string;
  title: string;
  paragraphs: string[];
  tables: Table[];
}

export const pct = (v: number): string => `${(100 * v).toFixed(1)}%`;
const ci = (p: { lo: number; hi: number }) => `[${pct(p.lo)}, ${pct(p.hi)}]`;
const int = (v: number): string => Math.round(v).toLocaleString("en-US");
const list = (ids: string[], max = 20): string =>
  ids.length === 0 ? "none" : ids.slice(0, max).join(", ") + (ids.length > max ? `, … (${ids.length} in all)` : "");

/** "min a, median b, max c" of a list of counts. */
function spread(counts: number[]): string {
  const sorted = [...counts].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
  return `min ${sorted[0]}, median ${median}, max ${sorted[sorted.length - 1]}`;
}

function breakdownTable(rows: Breakdown[], what: string): Table {
  return {
    headers: [what, "instances", "resolved", "solve rate", "95% CI"],
    rows: rows.map((b) => [b.key, String(b.n), String(b.k), pct(b.rate), ci(b)]),
  };
}

export function reportSections(r: Report): Section[] {
  const out: Section[] = [];
  const summary: string[] = [];
  if (r.oracle.used)
    summary.push(
      `**Oracle used**: answers were built from the gold patches by the oracle policy, not by a real model (${r.oracle.evidence.join("; ")}). These numbers measure the pipeline, not a model.`,
    );
  else summary.push("Oracle used: no.");
  if (r.solve_rate) {
    summary.push(
      `**Solve rate: ${pct(r.solve_rate.rate)}** (${r.solve_rate.k}/${r.solve_rate.n}), 95% CI ${ci(r.solve_rate)} (Wilson score interval).`,
    );
    if (r.infrastructure_errors.length && r.solve_rate_excluding_infrastructure_errors) {
      const s = r.solve_rate_excluding_infrastructure_errors;
      summary.push(
        `Excluding ${r.infrastructure_errors.length} infrastructure error(s): ${pct(s.rate)} (${s.k}/${s.n}), 95% CI ${ci(s)}.`,
      );
    }
  } else summary.push("Solve rate: not available (no run_report.json: the chosen patches were not graded).");
  const settings = Object.entries(r.settings)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => [k, String(v)]);
  out.push({
    id: "summary",
    title: "Summary",
    paragraphs: summary,
    tables: [
      {
        headers: ["", ""],
        rows: [
          ["run", `${r.run_id} (${r.run.status}, ${r.run.command})`],
          r.model.provider || r.model.name
            ? ["model", `${r.model.name ?? "?"} (provider ${r.model.provider ?? "?"})`]
            : [
                "predictions",
                r.predictions === "gold"
                  ? "gold (the dataset's own patches, not a model)"
                  : (r.predictions ?? "unknown"),
              ],
          ["profile", r.profile ? profileText(r.profile) : "not recorded (a run from before pipeline profiles)"],
          [
            "dataset",
            `${r.dataset.dataset ?? "unknown"}; ${r.instances} instances (from ${r.dataset.instances_from.replace("_", " ")})`,
          ],
          ["swerl", `${r.run.swerl_version}${r.run.git_commit ? ` @ ${r.run.git_commit.slice(0, 12)}` : ""}`],
          ["run time", `${r.run.created_at} → ${r.run.updated_at}`],
          ...settings,
        ],
      },
    ],
  });
  if (r.notes.length)
    out.push({
      id: "missing",
      title: "Missing inputs and caveats",
      paragraphs: r.notes.map((n) => `- ${n}`),
      tables: [],
    });

  if (r.outcomes) {
    const o = r.outcomes;
    const row = (label: string, ids: string[]) => [label, String(ids.length), list(ids)];
    out.push({
      id: "outcomes",
      title: "Outcomes of the chosen patches",
      paragraphs: [
        "Failures are outcomes of the model's patch; infrastructure errors (Docker, images) say nothing about the model and are listed apart.",
      ],
      tables: [
        {
          headers: ["outcome", "instances", "ids"],
          rows: [
            row("resolved", o.resolved),
            row("unresolved", o.unresolved),
            row("empty patch", o.empty_patch),
            row("no prediction", o.no_prediction),
            row("patch apply failed", o.patch_apply_failed),
            row("tests timed out", o.timed_out),
            row("not evaluated", o.not_evaluated),
          ],
        },
        {
          headers: ["infrastructure error", "error"],
          rows: r.infrastructure_errors.map((e) => [e.instance_id, e.error ?? "(no detail)"]),
        },
      ],
    });
    out.push({ id: "per-repo", title: "Per repository", paragraphs: [], tables: [breakdownTable(r.per_repo, "repo")] });
    out.push({
      id: "per-difficulty",
      title: "Per difficulty",
      paragraphs: r.per_difficulty.some((b) => b.key === "unknown")
        ? ['"unknown": the dataset has no difficulty for these instances.']
        : [],
      tables: [breakdownTable(r.per_difficulty, "difficulty")],
    });
  }

  if (r.localization) {
    const l = r.localization;
    out.push({
      id: "localization",
      title: "Localization recall",
      paragraphs: ["Against the .py files the gold patch modifies; instances never localized count as misses."],
      tables: [
        {
          headers: ["metric", "value"],
          rows: [
            ["instances scored", String(l.instances)],
            ["any-hit (some sample names a gold file)", `${pct(l.any_hit)} (${l.any_hit_count}/${l.instances})`],
            ["all-hit (some sample names every gold file)", `${pct(l.all_hit)} (${l.all_hit_count}/${l.instances})`],
            ["mean files per sample", l.mean_set_size.toFixed(2)],
            [
              "coverage of gold files: best / mean",
              `${l.mean_max_coverage.toFixed(3)} / ${l.mean_coverage.toFixed(3)}`,
            ],
            ["not localized", list(l.not_localized)],
          ],
        },
      ],
    });
  }

  if (r.repair) {
    const s = r.repair;
    out.push({
      id: "repair",
      title: "Repair samples",
      paragraphs: [],
      tables: [
        {
          headers: ["metric", "value"],
          rows: [
            [
              "samples",
              `${s.samples} over ${s.instances} instances (${s.answered} answered, ${s.model_errors} model errors)`,
            ],
            ["format-error rate (SWE-RL strict)", `${pct(s.format_error_rate)} (${s.format_errors}/${s.answered})`],
            // summaries of records written before truncation was counted have no such field
            [
              "truncated at max_tokens (finish_reason length)",
              s.truncated === undefined ? "n/a" : `${pct(s.truncated_rate)} (${s.truncated}/${s.answered})`,
            ],
            ["mean reward", s.mean_reward === null ? "n/a" : s.mean_reward.toFixed(4)],
            ["usable patches", String(s.usable_patches)],
            ["unique patches per instance (raw diff)", s.unique_patches_per_instance.toFixed(2)],
            [
              "unique patches per instance (normalized, validated)",
              r.unique_patches.validated_per_instance === null
                ? "n/a"
                : `${r.unique_patches.validated_per_instance.toFixed(2)} (${spread(Object.values(r.unique_patches.validated))})`,
            ],
          ],
        },
      ],
    });
  }

  const loss = r.rerank_loss;
  out.push({
    id: "rerank-loss",
    title: "Where rerank lost",
    paragraphs:
      loss.definition === null
        ? ["Not computed (see missing inputs)."]
        : [
            `Definition used: **${loss.definition}**: ${loss.description}.`,
            `Of ${loss.considered} instances: good patch sampled in ${loss.good_sampled.length}, chosen in ${loss.good_chosen.length}; **lost by rerank: ${loss.lost.length}** (${list(loss.lost)}).`,
          ],
    tables: [],
  });

  if (r.usage) {
    const rows = Object.entries(r.usage.stages).map(([stage, u]) => [
      stage,
      int(u.requests),
      int(u.failed),
      `${int(u.cached)}${u.cached_from_other_runs ? ` (${int(u.cached_from_other_runs)} from other runs)` : ""}`,
      int(u.prompt_tokens),
      int(u.completion_tokens),
      (u.busy_ms / 1000).toFixed(1),
      u.completion_tokens_per_s.toFixed(1),
      u.total_tokens_per_s.toFixed(1),
    ]);
    const t = r.usage.total;
    rows.push([
      "total",
      int(t.requests),
      int(t.failed),
      "",
      int(t.prompt_tokens),
      int(t.completion_tokens),
      (t.busy_ms / 1000).toFixed(1),
      t.completion_tokens_per_s.toFixed(1),
      t.total_tokens_per_s.toFixed(1),
    ]);
    out.push({
      id: "usage",
      title: "Token usage and throughput",
      paragraphs: [
        "Throughput is tokens over the stage's busy time (time with at least one call in flight); cached answers are not counted as tokens.",
      ],
      tables: [
        {
          headers: [
            "stage",
            "requests",
            "failed",
            "cached",
            "prompt tokens",
            "completion tokens",
            "busy s",
            "completion tok/s",
            "total tok/s",
          ],
          rows,
        },
      ],
    });
  }

  if (r.ablation) {
    const a = r.ablation;
    out.push({
      id: "ablation",
      title: "Ablations (swerl ablate)",
      paragraphs: [],
      tables: [
        {
          headers: ["repair samples k", "solve rate", "95% CI", "oracle@k"],
          rows: a.samples.map((p) => [
            String(p.k),
            pct(p.solve_rate),
            ci(p),
            p.oracle_at_k === null ? "n/a" : pct(p.oracle_at_k),
          ]),
        },
        {
          headers: ["reproduction tests t", "solve rate", "95% CI"],
          rows: a.tests.map((p) => [String(p.t), pct(p.solve_rate), ci(p)]),
        },
      ],
    });
  }
  return out;
}

/** "swe-rl (no departures)" or "swerl; departs: repair.parser = strict (profile: tolerant), …". */
function profileText(p: NonNullable<Report["profile"]>): string {
  const d = Object.entries(p.departures).map(
    ([k, v]) => `${k} = ${JSON.stringify(v.value)} (profile: ${JSON.stringify(v.profile)})`,
  );
  return d.length ? `${p.name}; departs: ${d.join(", ")}` : `${p.name} (no departures)`;
}
