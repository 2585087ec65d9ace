import { describe, expect, it } from "vitest";
import { mcnemarExact, wilsonInterval } from "./stats.js";

describe("Wilson score interval", () => {
  // Newcombe (1998), "Two-sided confidence intervals for the single proportion", Table I,
  // method 3 (score interval without continuity correction), to 4 decimals.
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0.0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])("%i/%i matches Newcombe's published interval", (k, n, lo, hi) => {
    const ci = wilsonInterval(k, n);
    expect(ci.lo).toBeCloseTo(lo, 4);
    expect(ci.hi).toBeCloseTo(hi, 4);
  });

  it("is symmetric around 1/2 and exact at the ends", () => {
    const half = wilsonInterval(5, 10);
    expect(half.lo).toBeCloseTo(0.236593, 6);
    expect(half.hi).toBeCloseTo(1 - 0.236593, 6);
    expect(wilsonInterval(10, 10).hi).toBe(1);
    expect(wilsonInterval(0, 10).lo).toBe(0);
    expect(wilsonInterval(0, 0)).toEqual({ lo: 0, hi: 1 });
  });

  it("refuses counts that are not a proportion", () => {
    expect(() => wilsonInterval(3, 2)).toThrow(/0 ≤ k ≤ n/);
    expect(() => wilsonInterval(1.5, 2)).toThrow(/whole numbers/);
  });
});

describe("McNemar's exact test", () => {
  it("is the two-sided binomial tail of the discordant pairs", () => {
    // b=1, c=5: 2·(C(6,0)+C(6,1))/2^6 = 2·7/64
    expect(mcnemarExact(1, 5)).toBeCloseTo(14 / 64, 12);
    expect(mcnemarExact(5, 1)).toBeCloseTo(14 / 64, 12);
    // b=0, c=6: 2/64
    expect(mcnemarExact(0, 6)).toBeCloseTo(2 / 64, 12);
    // b=3, c=12: 2·(1+15+105+455)/2^15
    expect(mcnemarExact(3, 12)).toBeCloseTo((2 * 576) / 32768, 12);
    expect(mcnemarExact(2, 2)).toBe(1);
    expect(mcnemarExact(0, 0)).toBe(1);
  });

  it("stays accurate for benchmark-sized counts", () => {
    // b=40, c=60: p ≈ 0.0569 = 2·Σ_{i≤40} C(100,i)/2^100 (computed with exact integers in Python)
    expect(mcnemarExact(40, 60)).toBeCloseTo(0.05688793364098078, 6);
  });
});
