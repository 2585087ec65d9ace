// Rerank rules on hand-built candidate sets: each step of SWE-RL's rule and of Agentless's,
// every tie-break, the filters and the sample prefix; then a randomized check that the choice
// never depends on the order of the input.
import { describe, expect, it } from "vitest";
import { seededRandom } from "../reward/verified-cases.js";
import { rerank, RerankInputError, type RerankCandidate, type RerankFilter, type RerankRule } from "./rerank.js";

/** A candidate whose normalized text is `key` and whose written patch is "patch of <key>". */
const cand = (key: string, samples: number[], failures: number | null, passed: string[] | null): RerankCandidate => ({
  normalized: key ? `diff ${key}\n` : "",
  sampleIndices: samples,
  originalPatch: `patch of ${key || "nothing"}`,
  regressionFailures: failures,
  reproductionPassed: passed,
});

const pick = (cands: RerankCandidate[], options = {}) => rerank(cands, options).patch;

describe("swerl rule", () => {
  it("fewest regression failures wins over a bigger vote and more tests", () => {
    const cands = [cand("A", [0, 1, 2, 3], 2, ["t1", "t2"]), cand("B", [4], 0, []), cand("C", [5], null, ["t1", "t2", "t3"])];
    const r = rerank(cands);
    expect(r.patch).toBe("patch of B");
    expect(r.sample).toBe(4);
    expect(r.reason).toContain("fewest regression failures: 0 regression failures, kept 1");
  });

  it("a missing regression result counts as very many", () => {
    expect(pick([cand("A", [0, 1, 2], null, ["t1"]), cand("B", [3], 7, [])])).toBe("patch of B");
    // all missing: all tie and the later steps decide
    expect(pick([cand("A", [0], null, []), cand("B", [1], null, ["t1"])])).toBe("patch of B");
  });

  it("scores groups by |P|·|T|²: two tests beat three times the samples on one test", () => {
    // group {t1}: 3 samples × 1² = 3; group {t1,t2}: 1 sample × 2² = 4
    const cands = [cand("A", [0, 1, 2], 0, ["t1"]), cand("B", [3], 0, ["t1", "t2"])];
    const r = rerank(cands);
    expect(r.patch).toBe("patch of B");
    expect(r.reason).toContain("score 1×2²=4");
    // with 5 samples on {t1}: 5 > 4
    expect(pick([cand("A", [0, 1, 2, 5, 6], 0, ["t1"]), cand("B", [3], 0, ["t1", "t2"])])).toBe("patch of A");
  });

  it("groups by the exact set: {t1} and {t2} are different groups, |P| sums their samples", () => {
    // group {t1} holds A (2 samples) and C (2 samples): 4×1 = 4; group {t2} holds B (3): 3
    const cands = [cand("A", [0, 1], 0, ["t1"]), cand("B", [2, 3, 4], 0, ["t2"]), cand("C", [5, 6], 0, ["t1"])];
    const r = rerank(cands);
    expect(r.patch).toBe("patch of A"); // vote inside {t1}: A and C tie at 2, A's sample 0 is earliest
    expect(r.reason).toContain("score 4×1²=4");
    expect(r.reason).toContain("tied with 1 other patch(es), earliest sample 0 wins");
  });

  it("votes on the normalized patch inside the best group", () => {
    const cands = [cand("A", [0], 0, ["t1"]), cand("B", [1, 2, 3], 0, ["t1"]), cand("C", [4, 5, 6, 7, 8], 0, [])];
    const r = rerank(cands);
    expect(r.patch).toBe("patch of B");
    expect(r.sampleIndices).toEqual([1, 2, 3]);
    expect(r.reason).toContain("vote: 3 samples of 4 for the winner");
  });

  it("no test passed by anyone: one group, plain vote", () => {
    expect(pick([cand("A", [0], 0, null), cand("B", [1, 2], 0, [])])).toBe("patch of B");
  });

  it("equal group scores: more tests, then the group with the earliest sample", () => {
    // {t1}: 4 samples × 1 = 4; {t1,t2}: 1 × 4 = 4 → more tests wins
    expect(pick([cand("A", [0, 1, 2, 3], 0, ["t1"]), cand("B", [9], 0, ["t2", "t1"])])).toBe("patch of B");
    // {t1}: 2 × 1; {t2}: 2 × 1 → earliest sample (3 in {t2}) wins
    expect(pick([cand("A", [5, 6], 0, ["t1"]), cand("B", [3, 8], 0, ["t2"])])).toBe("patch of B");
  });

  it("emits the original patch of the earliest sample, not the normalized text", () => {
    const r = rerank([cand("A", [7, 2, 4], 0, ["t1"])]);
    expect(r).toMatchObject({ patch: "patch of A", normalized: "diff A\n", sample: 2, sampleIndices: [2, 4, 7] });
  });

  it("all empty → no patch", () => {
    const r = rerank([cand("", [0, 1, 2], 0, ["t1"])]);
    expect(r).toMatchObject({ patch: "", sample: null });
    expect(r.reason).toContain("0 non-empty candidates");
    expect(rerank([]).patch).toBe("");
    // an empty patch with fewer failures does not hide the non-empty ones
    expect(pick([cand("", [0], 0, []), cand("A", [1], 3, [])])).toBe("patch of A");
  });

  it("filters: none / regression / reproduction", () => {
    const cands = [cand("A", [0, 1, 2], 5, []), cand("B", [3], 0, []), cand("C", [4, 5], 5, ["t1"])];
    expect(pick(cands, { filter: "none" })).toBe("patch of A");
    expect(pick(cands, { filter: "regression" })).toBe("patch of B");
    expect(pick(cands, { filter: "reproduction" })).toBe("patch of C");
    expect(pick(cands, { filter: "both" })).toBe("patch of B");
  });

  it("--max-tests: passes of tests outside the kept list are ignored", () => {
    const cands = [cand("A", [0, 1], 0, ["t1"]), cand("B", [2], 0, ["t1", "t9"])];
    expect(pick(cands)).toBe("patch of B");
    expect(pick(cands, { tests: ["t1"] })).toBe("patch of A");
  });

  it("--max-samples: only the first k samples count", () => {
    const cands = [cand("A", [0, 5, 6, 7], 0, []), cand("B", [1, 2], 0, []), cand("C", [8], 0, ["t1"])];
    expect(pick(cands)).toBe("patch of C");
    expect(pick(cands, { maxSamples: 8 })).toBe("patch of A");
    expect(pick(cands, { maxSamples: 4 })).toBe("patch of B");
    expect(() => rerank(cands, { maxSamples: 0 })).toThrow(RerankInputError);
  });

  it("bad input is one clear error naming the candidate", () => {
    expect(() => rerank([cand("A", [0], 0, []), cand("A", [1], 0, [])])).toThrow(/candidate 1 .*given twice/);
    expect(() => rerank([cand("A", [0], 0, []), cand("B", [0], 0, [])])).toThrow(/candidate 1 .*sample 0 belongs to more than one/);
    expect(() => rerank([cand("A", [], 0, [])])).toThrow(/candidate 0 .*no sample indices/);
    expect(() => rerank([cand("A", [-1], 0, [])])).toThrow(/sample index -1/);
    expect(() => rerank([cand("A", [0], 1.5, [])])).toThrow(/regressionFailures 1.5/);
  });
});

describe("agentless rule", () => {
  const agentless = { rule: "agentless" as const };

  it("fewest regression failures, then its single reproduction test, then the vote", () => {
    const cands = [cand("A", [0, 1, 2], 0, []), cand("B", [3], 0, ["t1"]), cand("C", [4, 5, 6, 7], 1, ["t1"])];
    const r = rerank(cands, { ...agentless, tests: ["t1", "t2"] });
    expect(r.patch).toBe("patch of B");
    expect(r.reason).toContain('1 pass reproduction test "t1"');
  });

  it("passing other tests does not count: only the first kept test", () => {
    const cands = [cand("A", [0, 1], 0, ["t2"]), cand("B", [2], 0, ["t1"])];
    expect(pick(cands, { ...agentless, tests: ["t1", "t2"] })).toBe("patch of B");
    // unlike swerl, which scores {t2} (2 samples) vs {t1} (1 sample)
    expect(pick(cands, { tests: ["t1", "t2"] })).toBe("patch of A");
  });

  it("nobody passes the reproduction test: falls back to the regression filter alone", () => {
    const cands = [cand("A", [0], 0, []), cand("B", [1, 2], 0, []), cand("C", [3, 4, 5], 2, [])];
    const r = rerank(cands, { ...agentless, tests: ["t1"] });
    expect(r.patch).toBe("patch of B");
    expect(r.reason).toContain("falling back to the regression filter alone");
  });

  it("the minimum is taken over all candidates, empty ones included; then all non-empty ones vote", () => {
    const cands = [cand("", [0], 0, []), cand("A", [1], 2, []), cand("B", [2, 3], 4, [])];
    const r = rerank(cands, { ...agentless, filter: "regression" });
    expect(r.patch).toBe("patch of B");
    expect(r.reason).toContain("voting on all non-empty candidates");
    // swerl takes the minimum over non-empty candidates only
    expect(pick(cands, { filter: "regression" })).toBe("patch of A");
  });

  it("vote ties go to the earliest sample; all empty gives no patch", () => {
    expect(pick([cand("A", [4, 5], 0, []), cand("B", [1, 9], 0, [])], agentless)).toBe("patch of B");
    expect(rerank([cand("", [0], 0, [])], agentless)).toMatchObject({ patch: "", sample: null });
  });
});

describe("order independence", () => {
  const shuffle = <T>(xs: readonly T[], rng: () => number): T[] => {
    const out = [...xs];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  };

  it("the choice never depends on input order (randomized, 2000 sets × 2 rules × 4 filters)", () => {
    const rng = seededRandom(42);
    const rules: RerankRule[] = ["swerl", "agentless"];
    const filters: RerankFilter[] = ["none", "regression", "reproduction", "both"];
    const tests = ["t1", "t2", "t3"];
    let distinctWinners = 0;
    for (let round = 0; round < 2000; round++) {
      // few distinct values so that ties are frequent
      const n = 1 + Math.floor(rng() * 7);
      const samples = shuffle([...Array(n * 3).keys()], rng);
      const cands: RerankCandidate[] = [];
      let next = 0;
      for (let i = 0; i < n && next < samples.length; i++) {
        const size = 1 + Math.floor(rng() * 3);
        const mine = samples.slice(next, next + size);
        next += size;
        const passed = rng() < 0.15 ? null : tests.filter(() => rng() < 0.4);
        cands.push(cand(i === 0 && rng() < 0.3 ? "" : `P${i}`, mine, rng() < 0.15 ? null : Math.floor(rng() * 3), passed));
      }
      const winners = new Set<string>();
      for (const rule of rules) for (const filter of filters) {
        const options = { rule, filter, tests: rng() < 0.5 ? tests : undefined };
        const expected = rerank(cands, options);
        winners.add(expected.patch);
        for (let k = 0; k < 3; k++) {
          const shuffled = shuffle(cands, rng).map((c) => ({
            ...c,
            sampleIndices: shuffle(c.sampleIndices, rng),
            reproductionPassed: c.reproductionPassed && shuffle(c.reproductionPassed, rng),
          }));
          expect(rerank(shuffled, options)).toEqual(expected);
        }
      }
      if (winners.size > 1) distinctWinners++;
    }
    // the sets exercise the rules: rules and filters often disagree
    expect(distinctWinners).toBeGreaterThan(500);
  });
});
