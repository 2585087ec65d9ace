// Two graded runs side by side: each run's solve rate, then the paired comparison on the
// instances both graded. Instances with an infrastructure error in either run are left out of
// the pairing (an infrastructure error says nothing about either model) and listed. Won = solved
// by A only, lost = solved by B only; McNemar's exact test on those discordant pairs.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { RunReport } from "../records/run-report.js";
import { outcomesFromRunReport, type Outcome } from "../report/outcomes.js";
import { mcnemarExact, proportion, type Proportion } from "../report/stats.js";
import { RunStore } from "../store/run-store.js";

export interface RunSide {
  run_id: string;
  dir: string;
  model: string | null;
  oracle_used: boolean;
  instances: number;
  /** Over the run's own instances. */
  solve_rate: Proportion;
  /** Over the paired instances. */
  paired_solve_rate: Proportion;
  infrastructure_errors: string[];
}

export interface Comparison {
  a: RunSide;
  b: RunSide;
  only_in_a: string[];
  only_in_b: string[];
  /** Common instances left out of the pairing: an infrastructure error in either run. */
  excluded_infrastructure: string[];
  paired_instances: number;
  both_resolved: string[];
  neither_resolved: string[];
  /** Resolved by A, not by B. */
  won: string[];
  /** Resolved by B, not by A. */
  lost: string[];
  /** Paired solve-rate difference, A − B. */
  difference: number;
  mcnemar: { test: string; won: number; lost: number; p_value: number };
}

interface GradedRun {
  run_id: string;
  dir: string;
  model: string | null;
  oracle: boolean;
  outcomes: Map<string, Outcome>;
}

async function loadGradedRun(dir: string, label: string): Promise<GradedRun> {
  const manifest = await RunStore.readManifest(dir);
  if (!manifest) throw new Error(`run ${label} (${dir}): no run.json`);
  const path = join(dir, "run_report.json");
  if (!existsSync(path))
    throw new Error(
      `run ${label} (${dir}): no run_report.json: grade its predictions first (swerl evaluate / swerl run)`,
    );
  let report: RunReport;
  try {
    report = JSON.parse(await readFile(path, "utf8")) as RunReport;
  } catch (err) {
    throw new Error(`${path}: not valid JSON (${(err as Error).message})`);
  }
  const config = manifest.config as { model?: { name?: unknown; provider?: unknown }; predictions?: unknown } | null;
  const model = config?.model;
  // A run of `swerl evaluate` has no model, only the predictions it graded.
  const modelLabel =
    typeof model?.name === "string"
      ? model.name
      : typeof config?.predictions === "string"
        ? `predictions ${config.predictions}`
        : null;
  return {
    run_id: manifest.run_id,
    dir,
    model: modelLabel,
    oracle: model?.provider === "oracle",
    outcomes: outcomesFromRunReport(report),
  };
}

const sorted = (ids: Iterable<string>): string[] => [...ids].sort();

export async function compareRuns(dirA: string, dirB: string): Promise<Comparison> {
  const [ra, rb] = [await loadGradedRun(dirA, "A"), await loadGradedRun(dirB, "B")];
  const isInfra = (r: GradedRun, id: string) => r.outcomes.get(id) === "infrastructure_error";
  const resolved = (r: GradedRun, id: string) => r.outcomes.get(id) === "resolved";
  const common = sorted([...ra.outcomes.keys()].filter((id) => rb.outcomes.has(id)));
  const excluded = common.filter((id) => isInfra(ra, id) || isInfra(rb, id));
  const paired = common.filter((id) => !excluded.includes(id));
  const both = paired.filter((id) => resolved(ra, id) && resolved(rb, id));
  const neither = paired.filter((id) => !resolved(ra, id) && !resolved(rb, id));
  const won = paired.filter((id) => resolved(ra, id) && !resolved(rb, id));
  const lost = paired.filter((id) => !resolved(ra, id) && resolved(rb, id));
  const side = (r: GradedRun): RunSide => {
    const ids = [...r.outcomes.keys()];
    return {
      run_id: r.run_id,
      dir: r.dir,
      model: r.model,
      oracle_used: r.oracle,
      instances: ids.length,
      solve_rate: proportion(ids.filter((id) => resolved(r, id)).length, ids.length),
      paired_solve_rate: proportion(paired.filter((id) => resolved(r, id)).length, paired.length),
      infrastructure_errors: sorted(ids.filter((id) => isInfra(r, id))),
    };
  };
  const a = side(ra),
    b = side(rb);
  return {
    a,
    b,
    only_in_a: sorted([...ra.outcomes.keys()].filter((id) => !rb.outcomes.has(id))),
    only_in_b: sorted([...rb.outcomes.keys()].filter((id) => !ra.outcomes.has(id))),
    excluded_infrastructure: excluded,
    paired_instances: paired.length,
    both_resolved: both,
    neither_resolved: neither,
    won,
    lost,
    difference: a.paired_solve_rate.rate - b.paired_solve_rate.rate,
    mcnemar: {
      test: "McNemar exact (two-sided binomial test on the discordant pairs)",
      won: won.length,
      lost: lost.length,
      p_value: mcnemarExact(won.length, lost.length),
    },
  };
}

const pct = (v: number): string => `${(100 * v).toFixed(1)}%`;
const rate = (p: Proportion): string => `${pct(p.rate)} (${p.k}/${p.n}) [${pct(p.lo)}, ${pct(p.hi)}]`;
const ids = (list: string[]): string => (list.length ? list.join(", ") : "none");

export function formatComparison(c: Comparison): string {
  const name = (s: RunSide) =>
    `${s.run_id}${s.model ? ` (${s.model}${s.oracle_used ? ", ORACLE" : ""})` : s.oracle_used ? " (ORACLE)" : ""}`;
  const lines = [
    `# swerl compare: A = ${c.a.run_id}, B = ${c.b.run_id}`,
    "",
    "| | A | B |",
    "|---|---|---|",
    `| run | ${name(c.a)} | ${name(c.b)} |`,
    `| solve rate, own instances (95% CI) | ${rate(c.a.solve_rate)} | ${rate(c.b.solve_rate)} |`,
    `| solve rate, ${c.paired_instances} paired instances (95% CI) | ${rate(c.a.paired_solve_rate)} | ${rate(c.b.paired_solve_rate)} |`,
    `| infrastructure errors | ${c.a.infrastructure_errors.length} | ${c.b.infrastructure_errors.length} |`,
    "",
    `Paired difference A − B: ${c.difference >= 0 ? "+" : ""}${(100 * c.difference).toFixed(1)} points.`,
    `Won (A only): ${c.won.length}; lost (B only): ${c.lost.length}; both: ${c.both_resolved.length}; neither: ${c.neither_resolved.length}.`,
    `${c.mcnemar.test}: p = ${c.mcnemar.p_value.toPrecision(4)}${c.mcnemar.p_value < 0.05 ? " (significant at 5%)" : " (not significant at 5%)"}.`,
    "",
    `Won by A: ${ids(c.won)}`,
    `Lost to B: ${ids(c.lost)}`,
  ];
  if (c.excluded_infrastructure.length)
    lines.push(`Left out (infrastructure error in either run): ${ids(c.excluded_infrastructure)}`);
  if (c.only_in_a.length) lines.push(`Only in A (not compared): ${ids(c.only_in_a)}`);
  if (c.only_in_b.length) lines.push(`Only in B (not compared): ${ids(c.only_in_b)}`);
  if (c.a.oracle_used || c.b.oracle_used)
    lines.push(
      "",
      "Note: a run answered by the oracle policy (built from the gold patches) measures the pipeline, not a model.",
    );
  return lines.join("\n") + "\n";
}
