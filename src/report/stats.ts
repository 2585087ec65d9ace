// The statistics the report and compare print: Wilson score intervals for a solve rate and
// McNemar's exact test (a two-sided binomial test on the discordant pairs) for two runs
// graded on the same instances.

/** z for a two-sided 95% interval (the 0.975 quantile of the standard normal). */
export const Z95 = 1.959963984540054;

export interface Interval {
  lo: number;
  hi: number;
}

/** Wilson score interval of k successes out of n (n = 0 gives [0, 1]: nothing is known). */
export function wilsonInterval(k: number, n: number, z = Z95): Interval {
  if (!Number.isInteger(k) || !Number.isInteger(n) || k < 0 || n < 0 || k > n) {
    throw new Error(`wilsonInterval: need whole numbers 0 ≤ k ≤ n (got k=${k}, n=${n})`);
  }
  if (n === 0) return { lo: 0, hi: 1 };
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // Clamp rounding noise at the ends (k = 0 gives exactly 0, k = n exactly 1).
  return { lo: k === 0 ? 0 : Math.max(0, center - half), hi: k === n ? 1 : Math.min(1, center + half) };
}

export interface Proportion {
  k: number;
  n: number;
  rate: number;
  lo: number;
  hi: number;
}

export function proportion(k: number, n: number): Proportion {
  const { lo, hi } = wilsonInterval(k, n);
  return { k, n, rate: n === 0 ? 0 : k / n, lo, hi };
}

/** ln(n!) by summation: exact enough for the few thousand instances a benchmark has. */
function logFactorials(n: number): Float64Array {
  const out = new Float64Array(n + 1);
  for (let i = 2; i <= n; i++) out[i] = out[i - 1] + Math.log(i);
  return out;
}

/**
 * McNemar's exact test: b instances only A solved, c only B solved. Under the null each
 * discordant pair is a fair coin, so p = 2·P(X ≤ min(b, c)) for X ~ Binomial(b + c, 1/2),
 * capped at 1 (and 1 when there are no discordant pairs).
 */
export function mcnemarExact(b: number, c: number): number {
  if (!Number.isInteger(b) || !Number.isInteger(c) || b < 0 || c < 0)
    throw new Error(`mcnemarExact: need whole counts (got ${b}, ${c})`);
  const n = b + c;
  if (n === 0) return 1;
  const lf = logFactorials(n);
  const ln2n = n * Math.LN2;
  let tail = 0;
  for (let i = 0; i <= Math.min(b, c); i++) tail += Math.exp(lf[n] - lf[i] - lf[n - i] - ln2n);
  return Math.min(1, 2 * tail);
}
