import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { runReport, writeRunDir } from "../../test/support/report/run-fixture.js";
import { compareCommand } from "./command.js";
import { compareRuns, type Comparison } from "./compare.js";

const c = (n: number) => `django__django-1100${n}`;
let results: string;

beforeAll(() => {
  results = mkdtempSync(join(tmpdir(), "swerl-compare-"));
  // 8 common instances; A also has sympy__sympy-20590, B also has astropy__astropy-12907.
  writeRunDir(results, "sft", {
    config: {
      dataset: { path: "princeton-nlp/SWE-bench_Verified" },
      model: { provider: "openai", name: "llama3-swe-rl-70b" },
    },
    runReport: runReport({
      resolved: [c(1), c(2), c(3), c(4), c(5), c(6), "sympy__sympy-20590"],
      unresolved: [c(7)],
      errors: { [c(8)]: "patch_apply_failed" },
    }),
  });
  writeRunDir(results, "base", {
    config: { dataset: { path: "princeton-nlp/SWE-bench_Verified" }, model: { provider: "oracle", name: "oracle" } },
    runReport: runReport({
      resolved: [c(1), c(2), c(7)],
      unresolved: [c(3), c(4), c(5), "astropy__astropy-12907"],
      empty: [c(8)],
      errors: { [c(6)]: "infrastructure" },
    }),
  });
});
afterAll(() => rmSync(results, { recursive: true, force: true }));

describe("swerl compare", () => {
  it("pairs the common instances, leaving out infrastructure errors, and tests the discordant pairs", async () => {
    const r = await compareRuns(join(results, "sft"), join(results, "base"));
    expect(r.a.solve_rate).toMatchObject({ k: 7, n: 9 });
    expect(r.b.solve_rate).toMatchObject({ k: 3, n: 9 });
    expect(r.b.infrastructure_errors).toEqual([c(6)]);
    expect(r.excluded_infrastructure).toEqual([c(6)]);
    expect(r.only_in_a).toEqual(["sympy__sympy-20590"]);
    expect(r.only_in_b).toEqual(["astropy__astropy-12907"]);
    expect(r.paired_instances).toBe(7);
    expect(r.both_resolved).toEqual([c(1), c(2)]);
    expect(r.won).toEqual([c(3), c(4), c(5)]);
    expect(r.lost).toEqual([c(7)]);
    expect(r.neither_resolved).toEqual([c(8)]); // A's patch did not apply, B's was empty: both failures
    expect(r.a.paired_solve_rate).toMatchObject({ k: 5, n: 7 });
    expect(r.b.paired_solve_rate).toMatchObject({ k: 3, n: 7 });
    expect(r.difference).toBeCloseTo(2 / 7, 12);
    // 3 won, 1 lost: p = 2·(C(4,0) + C(4,1))/2^4 = 10/16
    expect(r.mcnemar.p_value).toBeCloseTo(0.625, 12);
  });

  it("prints the comparison and writes JSON from the command line (run ids under --results-dir)", async () => {
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    const json = join(results, "cmp.json");
    try {
      await compareCommand().parseAsync(["base", "sft", "--results-dir", results, "--json", json], { from: "user" });
    } finally {
      spy.mockRestore();
    }
    const text = out.join("");
    // A = base, B = sft now: won and lost swap.
    expect(text).toContain("Won (A only): 1; lost (B only): 3; both: 2; neither: 1.");
    expect(text).toContain(`Won by A: ${c(7)}`);
    expect(text).toContain(`Lost to B: ${c(3)}, ${c(4)}, ${c(5)}`);
    expect(text).toContain("p = 0.6250 (not significant at 5%)");
    expect(text).toContain("| solve rate, 7 paired instances (95% CI) | 42.9% (3/7)");
    expect(text).toContain("oracle policy");
    const saved = JSON.parse(readFileSync(json, "utf8")) as Comparison;
    expect(saved.won).toEqual([c(7)]);
    expect(saved.difference).toBeCloseTo(-2 / 7, 12);
  });

  it("finds a one-sided difference significant", async () => {
    const ids = Array.from({ length: 8 }, (_, i) => `pytest-dev__pytest-500${i}`);
    const cfg = { dataset: { path: "x" }, model: { provider: "openai", name: "m" } };
    writeRunDir(results, "six-better", {
      config: cfg,
      runReport: runReport({ resolved: ids.slice(0, 7), unresolved: ids.slice(7) }),
    });
    writeRunDir(results, "one", {
      config: cfg,
      runReport: runReport({ resolved: ids.slice(0, 1), unresolved: ids.slice(1) }),
    });
    const r = await compareRuns(join(results, "six-better"), join(results, "one"));
    expect([r.won.length, r.lost.length]).toEqual([6, 0]);
    expect(r.mcnemar.p_value).toBeCloseTo(2 / 64, 12);
  });

  it("names a run that was never graded", async () => {
    writeRunDir(results, "ungraded", { config: { model: { provider: "openai" } } });
    await expect(compareRuns(join(results, "sft"), join(results, "ungraded"))).rejects.toThrow(
      /run B .*no run_report\.json/,
    );
    await expect(
      compareCommand().parseAsync(["sft", "missing-run", "--results-dir", results], { from: "user" }),
    ).rejects.toThrow(/run missing-run: no run\.json/);
  });
});
