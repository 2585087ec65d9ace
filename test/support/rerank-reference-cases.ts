// Random per-sample rerank cases for checking our rules against the reference rerank.py files
// (SWE-RL's and Agentless's). The reference outputs were produced once, outside the repo, and
// live with the cases in src/rerank/testdata/reference-cases.json.gz (docs/fidelity.md says how).
// Cases are built to hit what decides a choice: ties of votes, of regression failures and of
// group scores, missing results, empty samples (with and without a written patch), whitespace
// around normalized patches, and samples of one normalized patch with conflicting results.
import { seededRandom } from "../../src/util/seeded-random.js";
import type { RerankFilter } from "../../src/rerank/rerank.js";

export interface CaseSample {
  sample: number;
  patch: string;
  normalized: string;
  regression_failures: number | null;
  reproduction_passed: string[] | null;
}

export interface RerankCase {
  id: string;
  filter: RerankFilter;
  /** Ranked reproduction tests (null: unknown, every passed test counts). */
  tests: string[] | null;
  /** Only the first max_tests of `tests` count (null: all). */
  max_tests: number | null;
  /** consistent: one result per normalized patch, empty samples without results (as a run records them). */
  results: "consistent" | "per_sample" | "perturbed";
  samples: CaseSample[];
}

export interface ReferenceOutput {
  /** The reference's model_patch and the sample it belongs to (null: ""). */
  swerl: { patch: string; sample: number | null };
  agentless: { patch: string; sample: number | null };
}

const TEST_POOL = ["t1", "t2", "t3", "t4", "t5"];
const FILTERS: RerankFilter[] = ["both", "both", "both", "regression", "reproduction", "none"];

const diffOf = (key: number) =>
  `diff --git a/pkg/mod.py b/pkg/mod.py\n--- a/pkg/mod.py\n+++ b/pkg/mod.py\n@@ -1,1 +1,1 @@\n-x = 0\n+x = ${key}\n`;

export function generateRerankCases(seed: number, count: number): RerankCase[] {
  const random = seededRandom(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const chance = (p: number) => random() < p;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const subset = (xs: readonly string[], p: number) => xs.filter(() => chance(p));
  const shuffled = <T>(xs: readonly T[]) => {
    const a = [...xs];
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    return a;
  };
  const cases: RerankCase[] = [];
  for (let c = 0; c < count; c++) {
    const n = int(1, 12);
    const keys = int(1, 5);
    const pEmpty = pick([0, 0, 0.15, 0.4, 1]);
    const results = pick(["consistent", "consistent", "per_sample", "perturbed"] as const);
    const tests = chance(0.3) ? null : shuffled(TEST_POOL).slice(0, int(1, TEST_POOL.length));
    const maxTests = tests && chance(0.4) ? int(1, tests.length) : null;
    const passP = pick([0.2, 0.5, 0.8]);
    const failures = (): number | null =>
      chance(0.2) ? null : chance(0.03) ? pick([9999, 10000, 10001]) : pick([0, 0, 0, 1, 1, 2, 3]);
    const passed = (): string[] | null =>
      chance(0.15) ? null : subset(chance(0.85) && tests ? tests : TEST_POOL, passP);
    const byKey = new Map<number, { f: number | null; p: string[] | null }>();
    const resultsOf = (key: number) => {
      if (!byKey.has(key)) byKey.set(key, { f: failures(), p: passed() });
      return byKey.get(key)!;
    };
    const samples: CaseSample[] = [];
    for (let i = 0; i < n; i++) {
      if (chance(pEmpty)) {
        const written = chance(0.3) ? `not applying ${c}-${i}\n` : "";
        const normalized = chance(0.8) ? "" : " \n";
        const given = results !== "consistent";
        samples.push({
          sample: i,
          patch: written,
          normalized,
          regression_failures: given ? failures() : null,
          reproduction_passed: given ? passed() : null,
        });
        continue;
      }
      // skewed toward the first keys so votes are often decided, and often tied
      const key = Math.min(int(0, keys - 1), int(0, keys - 1));
      let normalized = diffOf(key).trimEnd();
      if (results !== "consistent" && chance(0.2))
        normalized = pick(["\n", " ", "\n\n"]) + normalized + pick(["\n", "  \n", ""]);
      let { f, p } = resultsOf(key);
      if (results === "per_sample") ({ f, p } = { f: failures(), p: passed() });
      if (results === "perturbed" && chance(0.3)) chance(0.5) ? (f = failures()) : (p = passed());
      samples.push({
        sample: i,
        patch: `patch of sample ${i} (case ${c}, key ${key})\n`,
        normalized,
        regression_failures: f,
        reproduction_passed: p,
      });
    }
    cases.push({
      id: `case-${String(c).padStart(4, "0")}`,
      filter: pick(FILTERS),
      tests,
      max_tests: maxTests,
      results,
      samples,
    });
  }
  return cases;
}
