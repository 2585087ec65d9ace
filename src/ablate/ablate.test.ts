import { describe, expect, it } from "vitest";
import { samplesOfCandidates } from "../rerank/rerank.js";
import { rerankPool, type InstancePool } from "../rerank/run-candidates.js";
import { ablate, AblationInputError } from "./ablate.js";

/** A pool of 8 samples: patch "good" (resolved) on samples `good`, "bad" (unresolved) on the rest. */
function pool(id: string, good: number[], badFailures: number): InstancePool {
  const bad = Array.from({ length: 8 }, (_, s) => s).filter((s) => !good.includes(s));
  const candidates = [
    ...(good.length
      ? [
          {
            normalized: `good-${id}`,
            sampleIndices: good,
            originalPatch: "g",
            regressionFailures: 0,
            reproductionPassed: ["t1"],
          },
        ]
      : []),
    ...(bad.length
      ? [
          {
            normalized: `bad-${id}`,
            sampleIndices: bad,
            originalPatch: "b",
            regressionFailures: badFailures,
            reproductionPassed: [],
          },
        ]
      : []),
  ];
  return {
    instance_id: id,
    samples: samplesOfCandidates(candidates),
    candidates: candidates.length,
    patchIds: new Map([
      [`good-${id}`, `g-${id}`],
      [`bad-${id}`, `b-${id}`],
    ]),
    rankedTests: ["t1"],
    topTests: 1,
    sampleCount: 8,
  };
}

const pools = [pool("a", [0, 1, 2, 3, 4, 5], 1), pool("b", [6], 0), pool("c", [], 0), pool("d", [3, 7], 2)];
const grades = new Map(
  pools.map((p) => [
    p.instance_id,
    new Map([
      [`g-${p.instance_id}`, true],
      [`b-${p.instance_id}`, false],
    ]),
  ]),
);
const options = { ks: [1, 2, 4, 8], ts: [1], rounds: 300, seed: 7, rule: "swerl" as const, filter: "both" as const };

describe("ablate", () => {
  it("at k = N equals the full-pool rerank, and oracle@k grows with k", () => {
    const r = ablate({ pools, grades, nSamples: 8 }, options);
    const full =
      pools.filter(
        (p) => grades.get(p.instance_id)!.get(rerankPool(p, { rule: "swerl", filter: "both" }).patch_id ?? "") === true,
      ).length / pools.length;
    const atN = r.samples.find((s) => s.k === 8)!;
    expect(atN.solve_rate).toBe(full);
    expect(atN.lo).toBe(full);
    expect(atN.oracle_at_k).toBe(0.75);
    for (let i = 1; i < r.samples.length; i++) {
      expect(r.samples[i]!.oracle_at_k).toBeGreaterThan(r.samples[i - 1]!.oracle_at_k);
      expect(r.samples[i]!.solve_rate).toBeGreaterThanOrEqual(r.samples[i - 1]!.solve_rate - 0.02);
    }
    // k = 1: instance a resolves with probability 6/8, b 1/8, d 2/8 (expected 1.125/4 ≈ 0.28)
    expect(r.samples[0]!.solve_rate).toBeGreaterThan(0.22);
    expect(r.samples[0]!.solve_rate).toBeLessThan(0.34);
    expect(r.samples[0]!.lo).toBeLessThanOrEqual(r.samples[0]!.solve_rate);
    expect(r.tests[0]!.solve_rate).toBe(full);
  });

  it("is deterministic for a seed", () => {
    expect(ablate({ pools, grades, nSamples: 8 }, options)).toEqual(ablate({ pools, grades, nSamples: 8 }, options));
  });

  it("refuses a chosen patch without an official grade, and k outside 1..N", () => {
    const partial = new Map(grades);
    partial.set("a", new Map());
    expect(() => ablate({ pools, grades: partial, nSamples: 8 }, options)).toThrow(AblationInputError);
    expect(() => ablate({ pools, grades, nSamples: 8 }, { ...options, ks: [9] })).toThrow(/within 1\.\.8/);
  });
});
