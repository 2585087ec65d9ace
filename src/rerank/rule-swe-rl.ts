// SWE-RL's rerank (agentless_mini/rerank.py, `majority_voting` and what it calls), step for
// step, on samples that each carry their own results:
// - only samples with a non-empty (stripped) normalized patch take part;
// - regression: keep the samples at the fewest failures; a sample without a result counts
//   10,000 failures (`_load_results`); without the regression ranker every sample counts 0;
// - reproduction: group the samples by the exact set of tests they pass (no result = none),
//   score each group |tests|²×|samples|, and keep every group at the best score, merged in
//   order of first appearance;
// - four selections: reproduction after regression, regression after reproduction,
//   reproduction alone, regression alone; the first that is non-empty and smaller than the
//   whole pool is voted on; if none is, the whole pool;
// - vote (voteOver): most samples per normalized patch, ties to the first appearance.
import {
  chosenSample,
  noPatch,
  plural,
  voteOver,
  type PoolSample,
  type RerankFilter,
  type RerankResult,
} from "./pool.js";

/** What `_load_results` records for a sample with no regression result. */
export const SWE_RL_MISSING_REGRESSION = 10000;

function byRegression(ids: readonly PoolSample[], failures: (s: PoolSample) => number): PoolSample[] {
  if (ids.length === 0) return [...ids];
  const fewest = Math.min(...ids.map(failures));
  return ids.filter((s) => failures(s) === fewest);
}

function byReproduction(ids: readonly PoolSample[], passed: (s: PoolSample) => readonly string[]): PoolSample[] {
  if (ids.length === 0) return [...ids];
  const groups = new Map<string, { tests: number; members: PoolSample[] }>(); // insertion order = first appearance
  for (const s of ids) {
    const key = JSON.stringify(passed(s));
    const g = groups.get(key) ?? { tests: passed(s).length, members: [] };
    g.members.push(s);
    groups.set(key, g);
  }
  const score = (g: { tests: number; members: PoolSample[] }) => g.tests * g.tests * g.members.length;
  const best = Math.max(...[...groups.values()].map(score));
  return [...groups.values()].filter((g) => score(g) === best).flatMap((g) => g.members);
}

export function rerankSweRl(pool: readonly PoolSample[], filter: RerankFilter): RerankResult {
  const useRegression = filter === "regression" || filter === "both";
  const useReproduction = filter === "reproduction" || filter === "both";
  const failures = (s: PoolSample) => (useRegression ? (s.failures ?? SWE_RL_MISSING_REGRESSION) : 0);
  const passed = (s: PoolSample) => (useReproduction ? (s.passed ?? []) : []);
  const all = pool.filter((s) => s.key !== "");
  const steps = [`swerl: ${plural(all.length, "non-empty sample")} of ${pool.length}`];
  if (all.length === 0) return noPatch([...steps, "no patch"]);

  const regressionOnly = byRegression(all, failures);
  const reproductionOnly = byReproduction(all, passed);
  const selections: [string, PoolSample[]][] = [
    ["reproduction after regression", byReproduction(regressionOnly, passed)],
    ["regression after reproduction", byRegression(reproductionOnly, failures)],
    ["reproduction alone", reproductionOnly],
    ["regression alone", regressionOnly],
  ];
  steps.push(`selections: ${selections.map(([name, ids]) => `${name} ${ids.length}`).join(", ")}`);
  const taken = selections.find(([, ids]) => ids.length > 0 && ids.length !== all.length);
  steps.push(taken ? `took ${taken[0]}` : "no selection is a proper subset: voting on all non-empty samples");
  const { winner, note } = voteOver(taken ? taken[1] : all);
  return chosenSample(pool, winner, [...steps, note]);
}
