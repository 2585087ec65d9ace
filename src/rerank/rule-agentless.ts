// Agentless 1.5's rerank (agentless/repair/rerank.py, `majority_voting`), step for step, on
// samples that each carry their own results:
// - regression: the fewest failures is taken over ALL samples, empty ones included; a sample
//   without a result counts 0 (run_regression_tests.py records [] when the harness wrote no
//   report: empty patch, patch not applied, run failed); without the regression ranker all 0;
// - reproduction: a sample passes when it passes the single selected test (`tests[0]`; with no
//   ranked list, any test); no result = fails;
// - keep the non-empty samples at the fewest failures that pass reproduction; if none, those
//   at the fewest failures (with the reproduction ranker; without it, that set directly);
// - if none remain: vote over every non-empty sample, unless every written patch or every
//   normalized patch is empty (then no patch);
// - vote (voteOver): most samples per normalized patch, ties to the first appearance.
import { chosenSample, noPatch, plural, voteOver, type PoolSample } from "./pool.js";
import type { RerankFilter, RerankResult } from "./pool.js";

export function rerankAgentless(
  pool: readonly PoolSample[],
  filter: RerankFilter,
  tests: readonly string[] | undefined,
): RerankResult {
  const useRegression = filter === "regression" || filter === "both";
  const useReproduction = filter === "reproduction" || filter === "both";
  const nonEmpty = pool.filter((s) => s.key !== "");
  const steps = [`agentless: ${plural(nonEmpty.length, "non-empty sample")} of ${pool.length}`];
  if (pool.length === 0) return noPatch([...steps, "no patch"]);

  const failures = (s: PoolSample) => (useRegression ? (s.failures ?? 0) : 0);
  const fewest = Math.min(...pool.map(failures));
  const single = tests?.[0];
  const reproduces = (s: PoolSample) =>
    !useReproduction || (s.passed !== null && (single === undefined ? s.passed.length > 0 : s.passed.includes(single)));
  const atFewest = nonEmpty.filter((s) => failures(s) === fewest);
  if (useRegression)
    steps.push(
      `fewest regression failures over all samples: ${fewest} (no result counts 0); ${atFewest.length} non-empty at it`,
    );
  let ids = atFewest;
  if (useReproduction) {
    const both = atFewest.filter(reproduces);
    const test = single === undefined ? "any reproduction test" : `reproduction test ${JSON.stringify(single)}`;
    steps.push(
      `${both.length} of them pass ${test}` +
        (both.length === 0 ? ", falling back to the regression filter alone" : ""),
    );
    if (both.length > 0) ids = both;
  }
  if (ids.length === 0) {
    if (pool.every((s) => s.patch.trim() === "") || nonEmpty.length === 0) return noPatch([...steps, "no patch"]);
    steps.push("none kept: voting on all non-empty samples");
    ids = nonEmpty;
  }
  const { winner, note } = voteOver(ids);
  return chosenSample(pool, winner, [...steps, note]);
}
