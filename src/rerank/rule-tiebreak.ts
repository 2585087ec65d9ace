// swerl-tiebreak: our variant of SWE-RL's rule (not the reference; `swerl` is). Samples with
// the same normalized patch are one candidate whose results are those of its earliest sample.
// Keep the non-empty candidates with the fewest regression failures (no result = infinitely
// many); group the survivors by the exact set of reproduction tests they pass (no result =
// none); score a group |P| × |T|², |P| counting samples and |T| tests; take the ONE best group,
// ties broken by more tests, then the group holding the earliest sample; inside it the patch
// with the most samples wins, ties to the earliest sample. Regression then reproduction, always
// in that order (no four-way selection).
import { noPatch, plural, type PoolSample, type RerankFilter, type RerankResult } from "./pool.js";

interface Entry {
  key: string;
  samples: number[]; // ascending
  first: PoolSample;
  failures: number; // Infinity when unknown
  passed: string[];
}

const countSamples = (entries: readonly Entry[]) => entries.reduce((s, e) => s + e.samples.length, 0);
const failuresText = (f: number) => (f === Infinity ? "no regression result" : plural(f, "regression failure"));

function candidates(pool: readonly PoolSample[]): Entry[] {
  const byKey = new Map<string, Entry>();
  for (const s of pool) {
    if (s.key === "") continue;
    const e = byKey.get(s.key);
    if (e) e.samples.push(s.sample);
    else
      byKey.set(s.key, {
        key: s.key,
        samples: [s.sample],
        first: s,
        failures: s.failures ?? Infinity,
        passed: s.passed ?? [],
      });
  }
  return [...byKey.values()];
}

export function rerankTiebreak(pool: readonly PoolSample[], filter: RerankFilter): RerankResult {
  const entries = candidates(pool);
  const steps = [
    `swerl-tiebreak: ${plural(entries.length, "non-empty candidate")} (${plural(countSamples(entries), "sample")})`,
  ];
  if (entries.length === 0) return noPatch([...steps, "no patch"]);
  let survivors = entries;
  if (filter === "regression" || filter === "both") {
    const fewest = Math.min(...entries.map((e) => e.failures));
    survivors = entries.filter((e) => e.failures === fewest);
    steps.push(`fewest regression failures: ${failuresText(fewest)}, kept ${survivors.length}`);
  }
  if (filter === "reproduction" || filter === "both") {
    const groups = new Map<string, Entry[]>();
    for (const e of survivors) {
      const key = JSON.stringify(e.passed);
      groups.set(key, [...(groups.get(key) ?? []), e]);
    }
    const scored = [...groups.values()].map((members) => {
      const tests = members[0]!.passed.length;
      return { members, tests, samples: countSamples(members), score: countSamples(members) * tests * tests };
    });
    scored.sort(
      (a, b) => b.score - a.score || b.tests - a.tests || a.members[0]!.samples[0]! - b.members[0]!.samples[0]!,
    );
    const best = scored[0]!;
    const tied = scored.filter((g) => g.score === best.score).length;
    steps.push(
      `${plural(scored.length, "group")} by reproduction tests passed; best passes ${plural(best.tests, "test")} ` +
        `(${JSON.stringify(best.members[0]!.passed)}) with ${plural(best.samples, "sample")}: score ${best.samples}×${best.tests}²=${best.score}` +
        (tied > 1 ? ` (tied with ${tied - 1} other group(s): more tests, then earliest sample)` : ""),
    );
    survivors = best.members;
  }
  let winner = survivors[0]!;
  for (const e of survivors) if (e.samples.length > winner.samples.length) winner = e;
  const tiedVotes = survivors.filter((e) => e.samples.length === winner.samples.length).length;
  steps.push(
    `vote: ${plural(winner.samples.length, "sample")} of ${countSamples(survivors)} for the winner` +
      (tiedVotes > 1 ? `, tied with ${tiedVotes - 1} other patch(es), earliest sample ${winner.samples[0]} wins` : ""),
  );
  return {
    patch: winner.first.patch,
    normalized: winner.key,
    sample: winner.first.sample,
    sampleIndices: winner.samples,
    reason: steps.join("; "),
  };
}
