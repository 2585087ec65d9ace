// Choose one patch per instance from its validated candidates (one per unique normalized
// patch). Two rules:
//
// swerl (SWE-RL, the default): candidates are the non-empty normalized patches; keep those
//   with the fewest regression failures (no result = infinitely many); group the survivors by
//   the exact set of reproduction tests they pass (no result = none); score a group
//   |P| × |T|², |P| counting samples (duplicates included, as the vote does) and |T| tests;
//   take the best group; inside it the patch with the most samples wins.
// agentless (Agentless 1.5's rerank.py): the fewest regression failures is taken over every
//   candidate, empty ones included; a candidate passes reproduction when it passes the single
//   test (the first of `tests`; without `tests`, any test); keep non-empty candidates at the
//   minimum that pass reproduction, else those at the minimum, else all non-empty ones; the
//   patch with the most samples wins.
//
// Every tie is broken explicitly: groups of equal score → more tests → the group holding the
// earliest sample; votes of equal count → the earliest sample. The result never depends on
// the order of the input. The chosen patch is emitted as written (not normalized).
import { InputError } from "../util/input-error.js";

export interface RerankCandidate {
  normalized: string;
  /** Samples (0-based) whose patch normalizes to `normalized`. */
  sampleIndices: number[];
  /** The patch of the earliest sample, as the model wrote it. */
  originalPatch: string;
  /** Failing regression tests with this patch applied; null = no result. */
  regressionFailures: number | null;
  /** Ids of the reproduction tests that print "Issue resolved" with this patch; null = no result. */
  reproductionPassed: string[] | null;
}

export type RerankRule = "swerl" | "agentless";
export type RerankFilter = "none" | "regression" | "reproduction" | "both";

export interface RerankOptions {
  rule?: RerankRule;
  /** Which test filters apply (default both). */
  filter?: RerankFilter;
  /** Kept reproduction tests, best first: passes of other tests are ignored. */
  tests?: readonly string[];
  /** Only samples 0..maxSamples-1 count (rerank on a prefix of the samples). */
  maxSamples?: number;
  /** Only these samples count (rerank on a subset, e.g. for ablations). */
  onlySamples?: ReadonlySet<number>;
}

export interface RerankResult {
  /** The chosen patch as written; "" when there is no non-empty candidate. */
  patch: string;
  normalized: string;
  /** Earliest sample of the chosen patch; null when none was chosen. */
  sample: number | null;
  sampleIndices: number[];
  reason: string;
}

export class RerankInputError extends InputError {
  override name = "RerankInputError";
}

interface Entry {
  normalized: string;
  samples: number[]; // ascending
  first: number;
  originalPatch: string;
  failures: number; // Infinity when unknown
  passed: string[]; // sorted, unique, within `tests` when given
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const countSamples = (entries: readonly Entry[]) => entries.reduce((s, e) => s + e.samples.length, 0);
const isEmpty = (e: Entry) => e.normalized.trim() === "";

function prepare(candidates: readonly RerankCandidate[], options: RerankOptions): Entry[] {
  const seenSamples = new Set<number>();
  const seenPatches = new Set<string>();
  const allowed = options.tests ? new Set(options.tests) : null;
  const entries: Entry[] = [];
  candidates.forEach((c, i) => {
    const where = `candidate ${i} (samples ${JSON.stringify(c.sampleIndices)})`;
    if (seenPatches.has(c.normalized)) throw new RerankInputError(`${where}: normalized patch given twice; merge its samples into one candidate`);
    seenPatches.add(c.normalized);
    if (c.sampleIndices.length === 0) throw new RerankInputError(`${where}: no sample indices`);
    for (const s of c.sampleIndices) {
      if (!Number.isInteger(s) || s < 0) throw new RerankInputError(`${where}: sample index ${s} is not a non-negative integer`);
      if (seenSamples.has(s)) throw new RerankInputError(`${where}: sample ${s} belongs to more than one candidate`);
      seenSamples.add(s);
    }
    const f = c.regressionFailures;
    if (f !== null && (!Number.isInteger(f) || f < 0)) throw new RerankInputError(`${where}: regressionFailures ${f} is not a non-negative integer or null`);
    const samples = [...c.sampleIndices].sort((a, b) => a - b).filter((s) => (options.maxSamples === undefined || s < options.maxSamples) && (!options.onlySamples || options.onlySamples.has(s)));
    if (samples.length === 0) return;
    const passed = [...new Set(c.reproductionPassed ?? [])].filter((t) => !allowed || allowed.has(t)).sort();
    entries.push({ normalized: c.normalized, samples, first: samples[0], originalPatch: c.originalPatch, failures: f ?? Infinity, passed });
  });
  return entries.sort((a, b) => a.first - b.first);
}

/** Most samples wins; equal counts → the earliest sample. `entries` are sorted by first sample. */
function vote(entries: readonly Entry[]): { winner: Entry; note: string } {
  let winner = entries[0];
  for (const e of entries) if (e.samples.length > winner.samples.length) winner = e;
  const tied = entries.filter((e) => e.samples.length === winner.samples.length).length;
  const note = `vote: ${plural(winner.samples.length, "sample")} of ${countSamples(entries)} for the winner` +
    (tied > 1 ? `, tied with ${tied - 1} other patch(es), earliest sample ${winner.first} wins` : "");
  return { winner, note };
}

function chosen(winner: Entry, steps: string[]): RerankResult {
  return { patch: winner.originalPatch, normalized: winner.normalized, sample: winner.first, sampleIndices: winner.samples, reason: steps.join("; ") };
}

const noPatch = (steps: string[]): RerankResult => ({ patch: "", normalized: "", sample: null, sampleIndices: [], reason: steps.join("; ") });

const failuresText = (f: number) => (f === Infinity ? "no regression result" : plural(f, "regression failure"));

function rerankSwerl(entries: Entry[], filter: RerankFilter): RerankResult {
  const candidates = entries.filter((e) => !isEmpty(e));
  const steps = [`swerl: ${plural(candidates.length, "non-empty candidate")} (${plural(countSamples(candidates), "sample")})`];
  if (candidates.length === 0) return noPatch([...steps, "no patch"]);
  let survivors = candidates;
  if (filter === "regression" || filter === "both") {
    const fewest = Math.min(...candidates.map((e) => e.failures));
    survivors = candidates.filter((e) => e.failures === fewest);
    steps.push(`fewest regression failures: ${failuresText(fewest)}, kept ${survivors.length}`);
  }
  if (filter === "reproduction" || filter === "both") {
    const groups = new Map<string, Entry[]>();
    for (const e of survivors) {
      const key = JSON.stringify(e.passed);
      groups.set(key, [...(groups.get(key) ?? []), e]);
    }
    const scored = [...groups.values()].map((members) => {
      const tests = members[0].passed.length;
      return { members, tests, samples: countSamples(members), score: countSamples(members) * tests * tests };
    });
    // best score, then more tests, then the group holding the earliest sample
    scored.sort((a, b) => b.score - a.score || b.tests - a.tests || a.members[0].first - b.members[0].first);
    const best = scored[0];
    const tied = scored.filter((g) => g.score === best.score).length;
    steps.push(`${plural(scored.length, "group")} by reproduction tests passed; best passes ${plural(best.tests, "test")} ` +
      `(${JSON.stringify(best.members[0].passed)}) with ${plural(best.samples, "sample")}: score ${best.samples}×${best.tests}²=${best.score}` +
      (tied > 1 ? ` (tied with ${tied - 1} other group(s): more tests, then earliest sample)` : ""));
    survivors = best.members;
  }
  const { winner, note } = vote(survivors);
  return chosen(winner, [...steps, note]);
}

function rerankAgentless(entries: Entry[], filter: RerankFilter, tests: readonly string[] | undefined): RerankResult {
  const nonEmpty = entries.filter((e) => !isEmpty(e));
  const steps = [`agentless: ${plural(nonEmpty.length, "non-empty candidate")} (${plural(countSamples(nonEmpty), "sample")})`];
  if (nonEmpty.length === 0) return noPatch([...steps, "no patch"]);
  const useRegression = filter === "regression" || filter === "both";
  const useReproduction = filter === "reproduction" || filter === "both";
  const fewest = useRegression ? Math.min(...entries.map((e) => e.failures)) : 0;
  const regressionOk = (e: Entry) => !useRegression || e.failures === fewest;
  const single = tests?.[0];
  const reproductionOk = (e: Entry) => (single === undefined ? e.passed.length > 0 : e.passed.includes(single));
  if (useRegression) steps.push(`fewest regression failures (over all candidates): ${failuresText(fewest)}`);
  let kept = nonEmpty.filter(regressionOk);
  if (useReproduction) {
    const both = kept.filter(reproductionOk);
    const test = single === undefined ? "any reproduction test" : `reproduction test ${JSON.stringify(single)}`;
    steps.push(`${both.length} pass ${test}` + (both.length === 0 ? ", falling back to the regression filter alone" : ""));
    if (both.length > 0) kept = both;
  }
  if (kept.length === 0) {
    steps.push("no non-empty candidate at the fewest regression failures: voting on all non-empty candidates");
    kept = nonEmpty;
  } else if (useRegression || useReproduction) {
    steps.push(`kept ${kept.length}`);
  }
  const { winner, note } = vote(kept);
  return chosen(winner, [...steps, note]);
}

/** Choose one patch from the candidates of one instance (see the header for the rules). */
export function rerank(candidates: readonly RerankCandidate[], options: RerankOptions = {}): RerankResult {
  const { rule = "swerl", filter = "both" } = options;
  if (options.maxSamples !== undefined && !(Number.isInteger(options.maxSamples) && options.maxSamples > 0)) {
    throw new RerankInputError(`maxSamples must be a positive integer, got ${options.maxSamples}`);
  }
  const entries = prepare(candidates, options);
  return rule === "agentless" ? rerankAgentless(entries, filter, options.tests) : rerankSwerl(entries, filter);
}
