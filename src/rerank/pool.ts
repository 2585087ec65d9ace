// What every rerank rule shares: the pool of samples as the rules see it, the result, and the
// references' majority vote.

export type RerankFilter = "none" | "regression" | "reproduction" | "both";

export interface RerankResult {
  /** The chosen patch as written; "" when there is no non-empty candidate. */
  patch: string;
  /** The chosen normalized patch (stripped). */
  normalized: string;
  /** The chosen sample; null when none was chosen. */
  sample: number | null;
  /** Samples of the pool whose normalized patch is the chosen one. */
  sampleIndices: number[];
  reason: string;
}

/** A sample as the rules see it; pools are in ascending sample order. */
export interface PoolSample {
  sample: number;
  /** The normalized patch, stripped (the references strip it before any comparison); "" = empty. */
  key: string;
  patch: string;
  failures: number | null;
  /** Sorted, unique, within the kept tests when given; null = no result. */
  passed: string[] | null;
}

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export const noPatch = (steps: string[]): RerankResult => ({
  patch: "",
  normalized: "",
  sample: null,
  sampleIndices: [],
  reason: steps.join("; "),
});

export function chosenSample(pool: readonly PoolSample[], winner: PoolSample, steps: string[]): RerankResult {
  const sampleIndices = pool.filter((s) => s.key === winner.key).map((s) => s.sample);
  return {
    patch: winner.patch,
    normalized: winner.key,
    sample: winner.sample,
    sampleIndices,
    reason: steps.join("; "),
  };
}

/**
 * The references' vote (SWE-RL's and Agentless's are the same): count samples per normalized
 * patch over `ids` in their given order; the most votes wins, ties go to the smaller
 * first-appearance index, first appearance being the first occurrence in `ids` order (not
 * necessarily the smallest sample of that patch). The chosen sample is that first occurrence.
 */
export function voteOver(ids: readonly PoolSample[]): { winner: PoolSample; note: string } {
  const votes = new Map<string, number>();
  const first = new Map<string, PoolSample>();
  for (const s of ids) {
    votes.set(s.key, (votes.get(s.key) ?? 0) + 1);
    if (!first.has(s.key)) first.set(s.key, s);
  }
  let best = first.get(ids[0]!.key)!;
  for (const s of first.values()) {
    const [v, w] = [votes.get(s.key)!, votes.get(best.key)!];
    if (v > w || (v === w && s.sample < best.sample)) best = s;
  }
  const top = votes.get(best.key)!;
  const tied = [...votes.values()].filter((v) => v === top).length;
  const note =
    `vote: ${plural(top, "sample")} of ${ids.length} for the winner` +
    (tied > 1 ? `, tied with ${tied - 1} other patch(es), first appearance (sample ${best.sample}) wins` : "");
  return { winner: best, note };
}
