// Sample-count ablations from an already-validated pool, with no model call and no container:
// for k repair samples, draw `rounds` random k-subsets of each instance's samples (seeded),
// rerank each subset exactly as the full run did, and look up the official grade of the chosen
// patch (grading.jsonl, from `swerl run --grade-all`). Solve rate = mean over rounds of the
// per-round solve rate, band = its 2.5–97.5 percentiles; oracle@k = any resolved patch among
// the subset. At k = N there is one subset, the full pool: the run's own choice. The tests
// curve reranks the full pool with the first t ranked reproduction tests.
import type { RerankFilter, RerankRule } from "../rerank/rerank.js";
import { rerankPool, type InstancePool } from "../rerank/run-candidates.js";
import { seededRandom } from "../util/seeded-random.js";
import { InputError } from "../util/input-error.js";

export interface AblationPoint {
  k: number;
  solve_rate: number;
  lo: number;
  hi: number;
  oracle_at_k: number;
}
export interface TestsPoint {
  t: number;
  solve_rate: number;
  lo: number;
  hi: number;
}
export interface Ablation {
  n_instances: number;
  n_samples: number;
  rounds: number;
  seed: number;
  rule: RerankRule;
  filter: RerankFilter;
  samples: AblationPoint[];
  tests: TestsPoint[];
}

export interface AblateInput {
  /** One pool per instance of the run (instances without candidates included: never resolved). */
  pools: readonly InstancePool[];
  /** patch_id → resolved, per instance. */
  grades: ReadonlyMap<string, ReadonlyMap<string, boolean>>;
  /** N: repair samples per instance in the run. */
  nSamples: number;
}

export interface AblateOptions {
  ks: number[];
  ts: number[];
  rounds: number;
  seed: number;
  rule: RerankRule;
  filter: RerankFilter;
}

export class AblationInputError extends InputError {}

/** k distinct sample indices of 0..n-1 (partial Fisher–Yates). */
function subset(n: number, k: number, random: () => number): Set<number> {
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(random() * (n - i));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return new Set(a.slice(0, k));
}

const quantile = (sorted: number[], q: number): number => {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos),
    hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
};

export function ablate(input: AblateInput, o: AblateOptions): Ablation {
  const n = input.nSamples;
  const gradeOf = (pool: InstancePool, patchId: string | null): boolean => {
    if (patchId === null) return false;
    const g = input.grades.get(pool.instance_id)?.get(patchId);
    if (g === undefined)
      throw new AblationInputError(
        `${pool.instance_id}: patch ${patchId} has no official grade in grading.jsonl (run with --grade-all)`,
      );
    return g;
  };
  // sample → resolved, for oracle@k
  const sampleResolved = input.pools.map((pool) => {
    const m = new Map<number, boolean>();
    for (const s of pool.samples) {
      const id = pool.patchIds.get(s.normalized.trim());
      if (id !== undefined) m.set(s.sample, gradeOf(pool, id));
    }
    return m;
  });
  const random = seededRandom(o.seed);
  const samples = [...new Set(o.ks)]
    .sort((a, b) => a - b)
    .map((k): AblationPoint => {
      if (!Number.isInteger(k) || k < 1 || k > n)
        throw new AblationInputError(`--samples: ${k} is not within 1..${n} (the run drew ${n} samples per instance)`);
      const rounds = k === n ? 1 : o.rounds;
      const rates: number[] = [];
      let oracleSum = 0;
      for (let r = 0; r < rounds; r++) {
        let solved = 0,
          any = 0;
        input.pools.forEach((pool, i) => {
          const only = subset(n, k, random);
          const chosen = rerankPool(pool, { rule: o.rule, filter: o.filter, onlySamples: only });
          if (gradeOf(pool, chosen.patch_id)) solved++;
          if ([...only].some((s) => sampleResolved[i]!.get(s) === true)) any++;
        });
        rates.push(solved / Math.max(1, input.pools.length));
        oracleSum += any / Math.max(1, input.pools.length);
      }
      const sorted = [...rates].sort((a, b) => a - b);
      return {
        k,
        solve_rate: rates.reduce((a, b) => a + b, 0) / rounds,
        lo: quantile(sorted, 0.025),
        hi: quantile(sorted, 0.975),
        oracle_at_k: oracleSum / rounds,
      };
    });
  const tests = [...new Set(o.ts)]
    .sort((a, b) => a - b)
    .map((t): TestsPoint => {
      if (!Number.isInteger(t) || t < 1) throw new AblationInputError(`--tests: ${t} is not a positive integer`);
      let solved = 0;
      for (const pool of input.pools)
        if (gradeOf(pool, rerankPool(pool, { rule: o.rule, filter: o.filter, maxTests: t }).patch_id)) solved++;
      const rate = solved / Math.max(1, input.pools.length);
      return { t, solve_rate: rate, lo: rate, hi: rate };
    });
  return {
    n_instances: input.pools.length,
    n_samples: n,
    rounds: o.rounds,
    seed: o.seed,
    rule: o.rule,
    filter: o.filter,
    samples,
    tests,
  };
}
