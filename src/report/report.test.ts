import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { buildDemoBenchmark, type DemoBenchmark } from "../demo/build.js";
import type { Report } from "./build.js";
import { reportCommand } from "./command.js";
import { writeDemoRun } from "../../test/support/report/demo-run.js";
import { verifiedJsonl } from "../../test/helpers/paths.js";
import { D1, D2, L1, runReport, T1, T2, writeRunDir } from "../../test/support/report/run-fixture.js";
import { writeReport } from "./write.js";

let work: string;
let bench: DemoBenchmark;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "swerl-report-"));
  bench = await buildDemoBenchmark(join(work, "demo"));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const ABLATION = {
  samples: [
    { k: 1, solve_rate: 0.2, lo: 0.0362, hi: 0.6245, oracle_at_k: 0.4 },
    { k: 2, solve_rate: 0.4, lo: 0.1176, hi: 0.7693, oracle_at_k: 0.6 },
    { k: 4, solve_rate: 0.4, lo: 0.1176, hi: 0.7693, oracle_at_k: 0.6 },
  ],
  tests: [
    { t: 1, solve_rate: 0.4, lo: 0.1176, hi: 0.7693 },
    { t: 2, solve_rate: 0.4, lo: 0.1176, hi: 0.7693 },
  ],
  n_instances: 5,
};

describe("swerl report on a complete demo run", () => {
  let report: Report;
  let md: string;
  let html: string;

  beforeAll(async () => {
    const { dir } = await writeDemoRun(bench, join(work, "results"), "full", { ablation: ABLATION });
    const written = await writeReport(dir);
    report = JSON.parse(readFileSync(written.paths.json, "utf8")) as Report;
    md = readFileSync(written.paths.md, "utf8");
    html = readFileSync(written.paths.html, "utf8");
  });

  it("gives the solve rate with its Wilson interval, infrastructure errors apart", () => {
    expect(report.instances).toBe(5);
    expect(report.solve_rate!.k).toBe(2);
    expect(report.solve_rate!.n).toBe(5);
    expect(report.solve_rate!.rate).toBe(0.4);
    expect(report.solve_rate!.lo).toBeCloseTo(0.117621, 5);
    expect(report.solve_rate!.hi).toBeCloseTo(0.769276, 5);
    // ledger-1's infrastructure error leaves 4 instances: 2/4, Wilson [0.1500, 0.8500]
    const ex = report.solve_rate_excluding_infrastructure_errors!;
    expect([ex.k, ex.n]).toEqual([2, 4]);
    expect(ex.lo).toBeCloseTo(0.150039, 5);
    expect(report.outcomes!.resolved).toEqual([D1, T1]);
    expect(report.outcomes!.unresolved).toEqual([T2]);
    expect(report.outcomes!.timed_out).toEqual([D2]);
    expect(report.outcomes!.infrastructure_error).toEqual([L1]);
    expect(report.infrastructure_errors).toEqual([
      { instance_id: L1, error: "image sweb.eval.x86_64.swerl-demo__ledger-1:latest not found" },
    ]);
  });

  it("breaks the solve rate down per repo and per difficulty (the demo has none: unknown)", () => {
    expect(report.per_repo.map((b) => [b.key, b.k, b.n])).toEqual([
      ["swerl-demo/durations", 1, 2],
      ["swerl-demo/ledger", 0, 1],
      ["swerl-demo/textkit", 1, 2],
    ]);
    expect(report.per_repo[0].lo).toBeCloseTo(0.094531, 5);
    expect(report.per_difficulty.map((b) => [b.key, b.k, b.n])).toEqual([["unknown", 2, 5]]);
  });

  it("scores localization, repair samples and unique patches", () => {
    const l = report.localization!;
    expect([l.instances, l.any_hit_count, l.all_hit_count]).toEqual([5, 3, 3]);
    expect(l.mean_set_size).toBeCloseTo(8 / 7, 10); // 8 files over 7 samples (the failed one counts 0)
    const r = report.repair!;
    expect([r.samples, r.answered, r.model_errors, r.format_errors]).toEqual([20, 19, 1, 5]);
    expect(r.format_error_rate).toBeCloseTo(5 / 19, 10);
    expect(r.mean_reward).toBeCloseTo(4.8 / 19, 10); // 1.5 + 1.2 + 0.8 - 2.7 + 4 over 19 rewards
    expect(report.unique_patches.sampled_per_instance).toBeCloseTo(7 / 5, 10);
    expect(report.unique_patches.validated).toEqual({ [D1]: 1, [D2]: 1, [L1]: 1, [T1]: 2, [T2]: 2 });
  });

  it("finds where rerank lost by normalized gold, and says so", () => {
    const loss = report.rerank_loss;
    expect(loss.definition).toBe("normalized_gold");
    expect(loss.considered).toBe(5);
    expect(loss.good_sampled).toEqual([L1, T1, T2]);
    expect(loss.good_chosen).toEqual([L1, T1]);
    expect(loss.lost).toEqual([T2]);
  });

  it("adds up token usage and throughput over busy time, and flags the oracle", () => {
    const t = report.usage!.total;
    expect([t.requests, t.prompt_tokens, t.completion_tokens, t.busy_ms]).toEqual([30, 450_000, 32_000, 24_000]);
    expect(t.completion_tokens_per_s).toBeCloseTo(32_000 / 24, 8);
    expect(t.total_tokens_per_s).toBeCloseTo(482_000 / 24, 8);
    expect(report.oracle.used).toBe(true);
    expect(report.settings.regress_scope).toBe("touched");
    expect(report.notes).toEqual([]);
  });

  it("writes report.md with the same numbers", () => {
    expect(md).toContain("**Solve rate: 40.0%** (2/5), 95% CI [11.8%, 76.9%] (Wilson score interval).");
    expect(md).toContain("Excluding 1 infrastructure error(s): 50.0% (2/4), 95% CI [15.0%, 85.0%].");
    expect(md).toContain("**Oracle used**");
    expect(md).toContain("| swerl-demo/textkit | 2 | 1 | 50.0% | [9.5%, 90.5%] |");
    expect(md).toContain("| format-error rate (SWE-RL strict) | 26.3% (5/19) |");
    expect(md).toContain("| unique patches per instance (normalized, validated) | 1.40 (min 1, median 1, max 2) |");
    expect(md).toContain("Definition used: **normalized_gold**");
    expect(md).toContain("**lost by rerank: 1** (swerl-demo__textkit-2)");
    expect(md).toContain(`| ${L1} | image sweb.eval.x86_64.swerl-demo__ledger-1:latest not found |`);
    expect(md).toContain("| total | 30 | 0 |  | 450,000 | 32,000 | 24.0 | 1333.3 | 20083.3 |");
    expect(md).toContain("| 2 | 40.0% | [11.8%, 76.9%] | 60.0% |");
  });

  it("writes one standalone report.html: inline SVG plots, no external reference", () => {
    expect(html).not.toMatch(/https?:|\/\/[a-z]|<script|<link|src=/i);
    expect(html.match(/<svg /g)).toHaveLength(3);
    expect(html).toContain('data-plot="solve-vs-samples"');
    expect(html).toContain('data-plot="solve-vs-tests"');
    expect(html).toContain('data-plot="per-repo"');
  });
});

describe("swerl report on other runs", () => {
  it("uses grading.jsonl for rerank losses when every patch was graded", async () => {
    const { dir } = await writeDemoRun(bench, join(work, "results"), "graded", { grading: true });
    const { report } = await writeReport(dir);
    const loss = report.rerank_loss;
    expect(loss.definition).toBe("grading");
    expect(loss.considered).toBe(4); // ledger-1 was never graded
    expect(loss.good_sampled).toEqual([D1, T1, T2]);
    expect(loss.lost).toEqual([T2]);
    const md = readFileSync(join(dir, "report.md"), "utf8");
    expect(md).toContain("Definition used: **grading**: a patch graded resolved");
    expect(md).toContain("no ablation.json — run swerl ablate");
    const html = readFileSync(join(dir, "report.html"), "utf8");
    expect(html).toContain('data-plot-missing="solve-vs-samples"');
    expect(html.match(/<svg /g)).toHaveLength(1); // per-repo bars only
  });

  it("reports a partial run (only localization) and says what is missing", async () => {
    const dir = writeRunDir(join(work, "results"), "partial", {
      config: {
        dataset: { path: bench.datasetPath },
        model: { provider: "openai", name: "llama3-swe-rl-70b" },
        localize: { samples: 1 },
      },
      localization: [{ instance_id: T1, sample: 0, found_files: ["textkit/slug.py"], error: null }],
    });
    const { report, paths } = await writeReport(dir);
    expect(report.solve_rate).toBeNull();
    expect(report.dataset.instances_from).toBe("config_selection");
    expect(report.instances).toBe(5);
    expect(report.localization!.any_hit_count).toBe(1);
    expect(report.localization!.not_localized).toHaveLength(4);
    expect(report.oracle.used).toBe(false);
    expect(report.notes.some((n) => n.startsWith("run_report.json missing"))).toBe(true);
    expect(report.notes.some((n) => n.startsWith("repair.jsonl missing"))).toBe(true);
    const md = readFileSync(paths.md, "utf8");
    expect(md).toContain("Solve rate: not available");
    expect(md).toContain("Oracle used: no.");
    expect(existsSync(paths.html)).toBe(true);
  });

  it("counts the instances without a regression signal and names them in a note", async () => {
    const reg = (id: string, selected: string[], noSignal: string | null, error: string | null = null) => ({
      instance_id: id,
      selected_tests: selected,
      no_signal: noSignal,
      error,
    });
    const dir = writeRunDir(join(work, "results"), "regression", {
      config: {
        dataset: { path: bench.datasetPath },
        model: { provider: "openai", name: "m" },
        regress: { scope: "directives", passing: "passed" },
      },
      regression: [
        reg(T1, ["a::t"], null),
        reg(T2, [], "no test file to run (scope directives)"),
        reg(D1, [], "no test passes on the original code"),
        reg(L1, [], null, "image missing"),
      ],
    });
    const { report } = await writeReport(dir);
    expect(report.regression).toEqual({
      instances: 3,
      with_signal: 1,
      no_signal: [
        { instance_id: T2, why: "no test file to run (scope directives)" },
        { instance_id: D1, why: "no test passes on the original code" },
      ].sort((a, b) => (a.instance_id < b.instance_id ? -1 : 1)),
    });
    expect(report.settings.regress_passing).toBe("passed");
    expect(report.notes.some((n) => n.startsWith("2 of 3 instances have no regression signal"))).toBe(true);
  });

  it("reads difficulty from the Verified dataset", async () => {
    // One instance of each of three difficulties, straight from the published Verified file.
    const byDifficulty = new Map<string, string>();
    for (const line of readFileSync(verifiedJsonl, "utf8").split("\n")) {
      if (!line) continue;
      const d = (JSON.parse(line) as { difficulty: string }).difficulty;
      if (!byDifficulty.has(d)) byDifficulty.set(d, line);
      if (byDifficulty.size === 3) break;
    }
    const rows = [...byDifficulty.values()];
    const verified = join(work, "verified-3.jsonl");
    writeFileSync(verified, rows.join("\n") + "\n");
    const [a, b, c] = rows.map((r) => JSON.parse(r) as { instance_id: string; difficulty: string });
    const dir = writeRunDir(join(work, "results"), "verified", {
      config: { dataset: { path: verified }, model: { provider: "openai", name: "m" } },
      runReport: runReport({ resolved: [a.instance_id], unresolved: [b.instance_id], empty: [c.instance_id] }),
    });
    const { report } = await writeReport(dir);
    const expected = [
      [a.difficulty, 1, 1],
      [b.difficulty, 0, 1],
      [c.difficulty, 0, 1],
    ].sort((x, y) => (x[0] < y[0] ? -1 : 1));
    expect(report.per_difficulty.map((d) => [d.key, d.k, d.n])).toEqual(expected);
    expect(report.outcomes!.empty_patch).toEqual([c.instance_id]);
    expect(report.solve_rate!.k).toBe(1);
  });

  it("runs from the command line: --run as an id under --results-dir, --out elsewhere", async () => {
    await writeDemoRun(bench, join(work, "cli-results"), "cli");
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    try {
      await reportCommand().parseAsync(
        ["--run", "cli", "--results-dir", join(work, "cli-results"), "--out", join(work, "cli-out")],
        { from: "user" },
      );
    } finally {
      spy.mockRestore();
    }
    expect(out.join("")).toContain("Solve rate 40.0% (2/5), 95% CI [11.8%, 76.9%]");
    expect(out.join("")).toContain("Infrastructure errors: 1 (swerl-demo__ledger-1)");
    for (const f of ["report.json", "report.md", "report.html"])
      expect(existsSync(join(work, "cli-out", f))).toBe(true);
    await expect(
      reportCommand().parseAsync(["--run", "nope", "--results-dir", join(work, "cli-results")], { from: "user" }),
    ).rejects.toThrow(/run nope: no run\.json/);
  });

  it("needs run.json", async () => {
    await expect(writeReport(join(work, "nowhere"))).rejects.toThrow(/no run\.json/);
  });
});
