// ablation.json as `swerl ablate` writes it: solve rate (with its 95% interval) vs the number
// of repair samples k (and oracle@k: some sampled patch resolves) and vs the number of
// reproduction tests t. Checked here so a malformed file is named, not plotted as garbage.
export interface AblationSamplesPoint {
  k: number;
  solve_rate: number;
  lo: number;
  hi: number;
  oracle_at_k: number | null;
}
export interface AblationTestsPoint {
  t: number;
  solve_rate: number;
  lo: number;
  hi: number;
}
export interface Ablation {
  samples: AblationSamplesPoint[];
  tests: AblationTestsPoint[];
  n_instances: number | null;
}

const isRate = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v) && v >= 0 && v <= 1;

function point(
  raw: unknown,
  xKey: "k" | "t",
  where: string,
): { x: number; solve_rate: number; lo: number; hi: number; oracle_at_k: number | null } {
  const r = raw as Record<string, unknown> | null;
  if (!r || typeof r !== "object") throw new Error(`${where}: not an object`);
  const x = r[xKey];
  if (typeof x !== "number" || !Number.isFinite(x) || x <= 0)
    throw new Error(`${where}: "${xKey}" must be a positive number`);
  for (const f of ["solve_rate", "lo", "hi"])
    if (!isRate(r[f])) throw new Error(`${where}: "${f}" must be a rate in [0, 1]`);
  const oracle = r.oracle_at_k;
  if (oracle !== undefined && oracle !== null && !isRate(oracle))
    throw new Error(`${where}: "oracle_at_k" must be a rate in [0, 1]`);
  return {
    x,
    solve_rate: r.solve_rate as number,
    lo: r.lo as number,
    hi: r.hi as number,
    oracle_at_k: (oracle as number | undefined) ?? null,
  };
}

export function parseAblation(raw: unknown, where: string): Ablation {
  const r = raw as Record<string, unknown> | null;
  if (!r || typeof r !== "object") throw new Error(`${where}: not a JSON object`);
  const list = (key: string): unknown[] => {
    const v = r[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) throw new Error(`${where}: "${key}" must be a list`);
    return v;
  };
  const samples = list("samples")
    .map((p, i) => point(p, "k", `${where} samples[${i}]`))
    .map(({ x, ...rest }) => ({ k: x, ...rest }))
    .sort((a, b) => a.k - b.k);
  const tests = list("tests")
    .map((p, i) => point(p, "t", `${where} tests[${i}]`))
    .map(({ x, solve_rate, lo, hi }) => ({ t: x, solve_rate, lo, hi }))
    .sort((a, b) => a.t - b.t);
  const n = r.n_instances;
  return { samples, tests, n_instances: typeof n === "number" ? n : null };
}
