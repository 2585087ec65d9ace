// Rerank rules on hand-built sample sets: each step of SWE-RL's rule and of Agentless's where
// it departs from the obvious reading (reference-cases are checked in reference.test.ts), our
// swerl-tiebreak variant, the filters and the sample prefix; then a randomized check that the
// choice never depends on the order of the input.
import { describe, expect, it } from "vitest";
import { seededRandom } from "../util/seeded-random.js";
import {
  rerank,
  RerankInputError,
  samplesOfCandidates,
  type RerankFilter,
  type RerankRule,
  type RerankSample,
} from "./rerank.js";

/** Sample i whose normalized patch is `key` ("" = empty) and whose written patch is "patch i". */
const s = (sample: number, key: string, failures: number | null, passed: string[] | null): RerankSample => ({
  sample,
  normalized: key ? `diff ${key}\n` : "",
  patch: key ? `patch ${sample}` : "",
  regressionFailures: failures,
  reproductionPassed: passed,
});
/** Several samples of one key sharing one result. */
const many = (samples: number[], key: string, failures: number | null, passed: string[] | null) =>
  samples.map((i) => s(i, key, failures, passed));
const pick = (samples: RerankSample[], options = {}) => rerank(samples, options).sample;

describe("swerl rule (SWE-RL's rerank.py)", () => {
  it("fewest regression failures first, then the best reproduction group, then the vote", () => {
    const pool = [...many([0, 1, 2, 3], "A", 2, ["t1", "t2"]), s(4, "B", 0, []), s(5, "C", 0, ["t1"])];
    const r = rerank(pool);
    expect(r).toMatchObject({ patch: "patch 5", normalized: "diff C", sample: 5, sampleIndices: [5] });
    expect(r.reason).toContain("took reproduction after regression");
  });

  it("groups tied at the best |tests|²×|samples| are merged and voted over together", () => {
    // {t1,t2}: 1 sample × 4 = 4; {t1}: 4 samples × 1 = 4 → both kept; A has 4 votes
    const pool = [s(0, "B", 0, ["t1", "t2"]), ...many([1, 2, 3, 4], "A", 0, ["t1"]), s(5, "C", 0, [])];
    expect(pick(pool)).toBe(1);
    // swerl-tiebreak takes the group with more tests
    expect(pick(pool, { rule: "swerl-tiebreak" })).toBe(0);
  });

  it("a missing regression result counts 10,000 failures (not infinitely many)", () => {
    const pool = [...many([0, 1], "A", 10001, []), s(2, "B", null, [])];
    expect(pick(pool)).toBe(2);
    expect(pick(pool, { rule: "swerl-tiebreak" })).toBe(0);
    // a tie at 10,000: both kept, the vote decides
    expect(pick([...many([0, 1], "A", 10000, []), s(2, "B", null, [])])).toBe(0);
  });

  it("each sample keeps its own results; the chosen sample's own patch is emitted", () => {
    // A's first sample fails 2 tests, its others none: swerl-tiebreak uses the first sample's results for all of A
    const pool = [s(0, "A", 2, []), s(1, "A", 0, []), s(2, "A", 0, []), s(3, "B", 0, []), s(4, "B", 0, [])];
    expect(rerank(pool)).toMatchObject({ sample: 1, patch: "patch 1", sampleIndices: [0, 1, 2] });
    expect(rerank(pool, { rule: "swerl-tiebreak" })).toMatchObject({ sample: 3, patch: "patch 3" });
  });

  it("vote ties go to the first appearance in the merged selection, which may not be the earliest sample", () => {
    // groups in order of first appearance: {t1} = [0 X, 3 A], {t2} = [1 A, 2 C], both 2×1²; {} = [4 D]
    // merged order 0, 3, 1, 2: A has 2 votes and first appears as sample 3
    const pool = [
      s(0, "X", 0, ["t1"]),
      s(1, "A", 0, ["t2"]),
      s(2, "C", 0, ["t2"]),
      s(3, "A", 0, ["t1"]),
      s(4, "D", 0, []),
    ];
    expect(rerank(pool)).toMatchObject({ sample: 3, patch: "patch 3" });
    // tied votes compare the first-appearance sample numbers, not positions in the selection:
    // merged order 0 B, 3 A, 4 A, 1 C, 2 C, 5 D → A and C have 2 votes; C first appears as sample 1 < 3
    const tie = [
      s(0, "B", 0, ["t1"]),
      s(1, "C", 0, ["t2"]),
      s(2, "C", 0, ["t2"]),
      s(3, "A", 0, ["t1"]),
      s(4, "A", 0, ["t1"]),
      s(5, "D", 0, ["t2"]),
      s(6, "E", 0, []),
    ];
    expect(rerank(tie)).toMatchObject({ sample: 1, sampleIndices: [1, 2] });
  });

  it("no selection smaller than the pool: plain vote over every non-empty sample", () => {
    const r = rerank([...many([0], "A", 0, ["t1"]), ...many([1, 2], "B", 0, ["t1"]), s(3, "", 0, [])]);
    expect(r.sample).toBe(1);
    expect(r.reason).toContain("no selection is a proper subset");
  });

  it("empty samples never take part; all empty → no patch", () => {
    expect(pick([s(0, "", 0, ["t1"]), s(1, "A", 3, [])])).toBe(1);
    expect(rerank([...many([0, 1], "", 0, ["t1"])])).toMatchObject({ patch: "", sample: null });
    expect(rerank([]).patch).toBe("");
    // whitespace around a normalized patch is stripped: one patch, two votes
    const spaced = { ...s(1, "A", 0, []), normalized: "\n diff A\n\n" };
    expect(rerank([s(0, "B", 0, []), spaced, s(2, "A", 0, [])])).toMatchObject({ sample: 1, sampleIndices: [1, 2] });
  });

  it("filters: none / regression / reproduction", () => {
    const pool = [...many([0, 1, 2], "A", 5, []), s(3, "B", 0, []), ...many([4, 5], "C", 5, ["t1"])];
    expect(pick(pool, { filter: "none" })).toBe(0);
    expect(pick(pool, { filter: "regression" })).toBe(3);
    expect(pick(pool, { filter: "reproduction" })).toBe(4);
    expect(pick(pool, { filter: "both" })).toBe(3);
  });

  it("kept tests: passes of other tests are ignored", () => {
    const pool = [...many([0, 1], "A", 0, ["t1"]), s(2, "B", 0, ["t1", "t9"])];
    expect(pick(pool)).toBe(2);
    expect(pick(pool, { tests: ["t1"] })).toBe(0);
  });

  it("--max-samples and subsets: only those samples count", () => {
    const pool = [...many([0, 5, 6, 7], "A", 0, []), ...many([1, 2], "B", 0, []), s(8, "C", 0, ["t1"])];
    expect(pick(pool)).toBe(8);
    expect(pick(pool, { maxSamples: 8 })).toBe(0);
    expect(pick(pool, { maxSamples: 4 })).toBe(1);
    expect(pick(pool, { onlySamples: new Set([1, 5, 6]) })).toBe(5);
    expect(() => rerank(pool, { maxSamples: 0 })).toThrow(RerankInputError);
  });

  it("bad input is one clear error naming the sample", () => {
    expect(() => rerank([s(0, "A", 0, []), s(0, "B", 0, [])])).toThrow(/sample 0: given twice/);
    expect(() => rerank([s(-1, "A", 0, [])])).toThrow(/sample -1: the sample index/);
    expect(() => rerank([s(0, "A", 1.5, [])])).toThrow(/regressionFailures 1.5/);
    expect(() => rerank([s(0, "A", 0, [])], { rule: "best" as RerankRule })).toThrow(/unknown rerank rule "best"/);
  });

  it("candidates (one result per normalized patch) expand to their samples", () => {
    const samples = samplesOfCandidates(
      [
        {
          normalized: "diff A",
          sampleIndices: [4, 1],
          originalPatch: "p1",
          regressionFailures: 0,
          reproductionPassed: null,
        },
      ],
      new Map([[4, "p4"]]),
    );
    expect(samples).toEqual([
      { sample: 1, normalized: "diff A", patch: "p1", regressionFailures: 0, reproductionPassed: null },
      { sample: 4, normalized: "diff A", patch: "p4", regressionFailures: 0, reproductionPassed: null },
    ]);
  });
});

describe("agentless rule (Agentless 1.5's rerank.py)", () => {
  const agentless = { rule: "agentless" as const };

  it("fewest regression failures, then its single reproduction test, then the vote", () => {
    const pool = [...many([0, 1, 2], "A", 0, []), s(3, "B", 0, ["t1"]), ...many([4, 5, 6, 7], "C", 1, ["t1"])];
    const r = rerank(pool, { ...agentless, tests: ["t1", "t2"] });
    expect(r.sample).toBe(3);
    expect(r.reason).toContain('1 of them pass reproduction test "t1"');
    // passing other tests does not count
    expect(pick([...many([0, 1], "A", 0, ["t2"]), s(2, "B", 0, ["t1"])], { ...agentless, tests: ["t1", "t2"] })).toBe(
      2,
    );
  });

  it("nobody passes the reproduction test: falls back to the regression filter alone", () => {
    const r = rerank([s(0, "A", 0, []), ...many([1, 2], "B", 0, []), ...many([3, 4, 5], "C", 2, [])], {
      ...agentless,
      tests: ["t1"],
    });
    expect(r.sample).toBe(1);
    expect(r.reason).toContain("falling back to the regression filter alone");
  });

  it("a missing regression result counts 0 failures", () => {
    const pool = [...many([0, 1, 2], "A", 1, []), s(3, "B", null, [])];
    expect(pick(pool, agentless)).toBe(3);
    expect(pick(pool)).toBe(0); // swerl: 10,000
  });

  it("the minimum is over all samples, empty ones included; none left → every non-empty sample votes", () => {
    const pool = [s(0, "", null, []), s(1, "A", 2, []), ...many([2, 3], "B", 4, [])];
    const r = rerank(pool, { ...agentless, filter: "regression" });
    expect(r.sample).toBe(2);
    expect(r.reason).toContain("voting on all non-empty samples");
    expect(pick(pool, { filter: "regression" })).toBe(1); // swerl: the minimum over non-empty samples
  });

  it("vote ties go to the earliest sample; all empty gives no patch", () => {
    expect(pick([...many([4, 5], "A", 0, []), ...many([1, 9], "B", 0, [])], agentless)).toBe(1);
    expect(rerank([s(0, "", 0, [])], agentless)).toMatchObject({ patch: "", sample: null });
  });
});

describe("order independence", () => {
  const shuffle = <T>(xs: readonly T[], rng: () => number): T[] => {
    const out = [...xs];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  };

  it("the choice never depends on the order of the samples or of their passed tests (2000 sets × 3 rules × 4 filters)", () => {
    const rng = seededRandom(42);
    const rules: RerankRule[] = ["swerl", "swerl-tiebreak", "agentless"];
    const filters: RerankFilter[] = ["none", "regression", "reproduction", "both"];
    const tests = ["t1", "t2", "t3"];
    let distinctWinners = 0;
    for (let round = 0; round < 2000; round++) {
      const n = 1 + Math.floor(rng() * 10);
      const pool = Array.from({ length: n }, (_, i) =>
        s(
          i,
          rng() < 0.15 ? "" : `P${Math.floor(rng() * 4)}`,
          rng() < 0.15 ? null : Math.floor(rng() * 3),
          rng() < 0.15 ? null : tests.filter(() => rng() < 0.4),
        ),
      );
      const winners = new Set<number | null>();
      for (const rule of rules)
        for (const filter of filters) {
          const options = { rule, filter, tests: rng() < 0.5 ? tests : undefined };
          const expected = rerank(pool, options);
          winners.add(expected.sample);
          for (let k = 0; k < 2; k++) {
            const shuffled = shuffle(pool, rng).map((x) => ({
              ...x,
              reproductionPassed: x.reproductionPassed && shuffle(x.reproductionPassed, rng),
            }));
            expect(rerank(shuffled, options)).toEqual(expected);
          }
        }
      if (winners.size > 1) distinctWinners++;
    }
    expect(distinctWinners).toBeGreaterThan(500);
  });
});
