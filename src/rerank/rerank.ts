// Choose one patch per instance from its repair samples, each with its own test results.
// Three rules (docs/fidelity.md has the reference lines):
//
// swerl (the default): SWE-RL's `majority_voting` (agentless_mini/rerank.py), step for step —
//   rule-swe-rl.ts.
// agentless: Agentless 1.5's `majority_voting` (agentless/repair/rerank.py) — rule-agentless.ts.
// swerl-tiebreak: our variant of the SWE-RL rule that breaks every tie explicitly (more tests,
//   then the earliest sample) and uses one result per normalized patch — rule-tiebreak.ts.
//
// The chosen sample's patch is emitted as written (not normalized).
import { InputError } from "../util/input-error.js";
import type { PoolSample, RerankFilter, RerankResult } from "./pool.js";
import { rerankAgentless } from "./rule-agentless.js";
import { rerankSweRl } from "./rule-swe-rl.js";
import { rerankTiebreak } from "./rule-tiebreak.js";

export type { RerankFilter, RerankResult } from "./pool.js";

/** One repair sample and its own test results. */
export interface RerankSample {
  /** Sample index (0-based); order of samples decides ties. */
  sample: number;
  /** The normalized patch; "" (or whitespace) = an empty sample. */
  normalized: string;
  /** The patch as the model wrote it (what is emitted when this sample is chosen). */
  patch: string;
  /** Failing regression tests with this patch applied; null = no result. */
  regressionFailures: number | null;
  /** Ids of the reproduction tests that print "Issue resolved" with this patch; null = no result. */
  reproductionPassed: string[] | null;
}

/** Samples that share a normalized patch and its test results (one validation record). */
export interface RerankCandidate {
  normalized: string;
  sampleIndices: number[];
  /** The earliest sample's patch as written; `patches` gives other samples' own. */
  originalPatch: string;
  regressionFailures: number | null;
  reproductionPassed: string[] | null;
}

export const RERANK_RULES = ["swerl", "swerl-tiebreak", "agentless"] as const;
export type RerankRule = (typeof RERANK_RULES)[number];
export const RERANK_FILTERS: readonly RerankFilter[] = ["none", "regression", "reproduction", "both"];

export interface RerankOptions {
  rule?: RerankRule;
  /** Which test filters apply (default both): the reference's applied rankers. */
  filter?: RerankFilter;
  /** Kept reproduction tests, best first: passes of other tests are ignored. */
  tests?: readonly string[];
  /** Only samples 0..maxSamples-1 count (rerank on a prefix of the samples). */
  maxSamples?: number;
  /** Only these samples count (rerank on a subset, e.g. for ablations). */
  onlySamples?: ReadonlySet<number>;
}

export class RerankInputError extends InputError {
  override name = "RerankInputError";
}

/** Candidates (one per normalized patch) → one sample each, all with the candidate's results. */
export function samplesOfCandidates(
  candidates: readonly RerankCandidate[],
  patches?: ReadonlyMap<number, string>,
): RerankSample[] {
  return candidates.flatMap((c) =>
    [...c.sampleIndices]
      .sort((a, b) => a - b)
      .map((s, i) => ({
        sample: s,
        normalized: c.normalized,
        patch: (i === 0 ? undefined : patches?.get(s)) ?? c.originalPatch,
        regressionFailures: c.regressionFailures,
        reproductionPassed: c.reproductionPassed,
      })),
  );
}

function prepare(samples: readonly RerankSample[], options: RerankOptions): PoolSample[] {
  const seen = new Set<number>();
  const allowed = options.tests ? new Set(options.tests) : null;
  const pool: PoolSample[] = [];
  for (const s of samples) {
    const where = `sample ${s.sample}`;
    if (!Number.isInteger(s.sample) || s.sample < 0)
      throw new RerankInputError(`${where}: the sample index is not a non-negative integer`);
    if (seen.has(s.sample)) throw new RerankInputError(`${where}: given twice`);
    seen.add(s.sample);
    const f = s.regressionFailures;
    if (f !== null && (!Number.isInteger(f) || f < 0))
      throw new RerankInputError(`${where}: regressionFailures ${f} is not a non-negative integer or null`);
    if (options.maxSamples !== undefined && s.sample >= options.maxSamples) continue;
    if (options.onlySamples && !options.onlySamples.has(s.sample)) continue;
    const passed =
      s.reproductionPassed === null
        ? null
        : [...new Set(s.reproductionPassed)].filter((t) => !allowed || allowed.has(t)).sort();
    pool.push({ sample: s.sample, key: s.normalized.trim(), patch: s.patch, failures: f, passed });
  }
  return pool.sort((a, b) => a.sample - b.sample);
}

/** Choose one patch from the samples of one instance (see the header for the rules). */
export function rerank(samples: readonly RerankSample[], options: RerankOptions = {}): RerankResult {
  const { rule = "swerl", filter = "both" } = options;
  if (options.maxSamples !== undefined && !(Number.isInteger(options.maxSamples) && options.maxSamples > 0)) {
    throw new RerankInputError(`maxSamples must be a positive integer, got ${options.maxSamples}`);
  }
  if (!RERANK_RULES.includes(rule))
    throw new RerankInputError(`unknown rerank rule "${rule}" (${RERANK_RULES.join(", ")})`);
  const pool = prepare(samples, options);
  if (rule === "agentless") return rerankAgentless(pool, filter, options.tests);
  if (rule === "swerl-tiebreak") return rerankTiebreak(pool, filter);
  return rerankSweRl(pool, filter);
}
