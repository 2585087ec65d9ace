// `swerl run` end to end on the embedded default (demo benchmark, oracle policy with noise),
// through the built CLI, real containers: the run prints a solve rate and writes the report;
// a kill -9 in the middle and the same command again give the same preds.jsonl and report
// numbers with no stage record duplicated; two shards merged report what the whole run did;
// ablation on the finished run needs neither Docker nor a model.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli, type CliRun } from "./helpers/cli.js";
import { cliPath } from "./helpers/paths.js";

const resultsDir = mkdtempSync(join(tmpdir(), "swerl-run-"));
const swerl = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> =>
  runCli([...args, "--results-dir", resultsDir], { env });

const lines = (path: string): Record<string, unknown>[] =>
  existsSync(path)
    ? readFileSync(path, "utf8")
        .split("\n")
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l) as Record<string, unknown>)
    : [];
const preds = (run: string) =>
  lines(join(resultsDir, run, "preds.jsonl"))
    .map((p) => JSON.stringify([p.instance_id, p.model_patch, p.sample]))
    .sort();
const reportOf = (run: string) =>
  JSON.parse(readFileSync(join(resultsDir, run, "report.json"), "utf8")) as {
    solve_rate: { k: number; n: number; rate: number } | null;
  };
const resolvedIds = (run: string) =>
  (JSON.parse(readFileSync(join(resultsDir, run, "run_report.json"), "utf8")) as { resolved_ids: string[] })
    .resolved_ids;

/** Stage files and the key each record is unique by. */
const STAGE_KEYS: Record<string, (r: Record<string, unknown>) => string> = {
  "localization.jsonl": (r) => `${r.instance_id}#${r.sample}`,
  "repair.jsonl": (r) => `${r.instance_id}#${r.sample}`,
  "reproduction.jsonl": (r) => `${r.instance_id}#${r.sample}`,
  "reproduction_tests.jsonl": (r) => `${r.instance_id}`,
  "regression.jsonl": (r) => `${r.instance_id}`,
  "validation.jsonl": (r) => `${r.instance_id}#${r.patch_id}`,
  "evaluation.jsonl": (r) => `${r.instance_id}`,
  "grading.jsonl": (r) => `${r.instance_id}#${r.patch_id}`,
};

let full: CliRun;

beforeAll(async () => {
  full = await swerl(["run", "--run-id", "full", "--grade-all"]);
}, 900_000);

describe("swerl run on the embedded default", () => {
  it("runs the whole pipeline and prints the solve rate and the report's path", () => {
    expect(full.status, full.stderr.slice(-3000)).toBe(0);
    expect(full.stdout).toMatch(/Solve rate: \d+\.\d% \(\d\/5 resolved\)/);
    expect(full.stdout).toMatch(/report\.html/);
    expect(full.stdout).toMatch(/oracle/);
    expect(existsSync(join(resultsDir, "full", "report.html"))).toBe(true);
    expect(preds("full")).toHaveLength(5);
    for (const stage of Object.keys(STAGE_KEYS))
      expect(lines(join(resultsDir, "full", stage)).length, stage).toBeGreaterThan(0);
    // The oracle's noise gives rerank work: more unique patches than instances.
    expect(lines(join(resultsDir, "full", "validation.jsonl")).length).toBeGreaterThan(5);
    const solve = reportOf("full").solve_rate!;
    expect(solve.n).toBe(5);
    expect(solve.k).toBe(resolvedIds("full").length);
  });

  it("keeps reproducing tests, drops the others, and a patch that breaks a test loses", () => {
    const dir = join(resultsDir, "full");
    const samples = lines(join(dir, "reproduction.jsonl"));
    const kept = lines(join(dir, "reproduction_tests.jsonl")).flatMap((r) =>
      (r.tests as { test_id: string }[]).map((t) => `${r.instance_id}#${t.test_id}`),
    );
    const reproducing = samples.filter((r) => r.reproduces === true);
    const not = samples.filter((r) => r.reproduces !== true);
    expect(reproducing.length).toBeGreaterThan(0);
    expect(not.length).toBeGreaterThan(0); // the oracle's noise: tests that never reproduce, broken ones, no code block
    expect(new Set(reproducing.map((r) => `${r.instance_id}#${r.test_id}`))).toEqual(new Set(kept));
    for (const r of not)
      if (r.test_id)
        expect(reproducing.some((x) => x.instance_id === r.instance_id && x.test_id === r.test_id)).toBe(false);
    // Validation ran the kept tests: some patch passes one (prints "Issue resolved" with it applied).
    const validation = lines(join(dir, "validation.jsonl"));
    expect(validation.some((v) => ((v.reproduction_passed as string[] | null) ?? []).length > 0)).toBe(true);
    // Where a patch breaks regression tests and another does not, the chosen one does not.
    const chosen = new Map(
      lines(join(dir, "rerank.jsonl")).map((r) => [r.instance_id as string, r.patch_id as string]),
    );
    const contested = [
      ...new Set(validation.filter((v) => (v.regression_failures as number) > 0).map((v) => v.instance_id as string)),
    ].filter((id) => validation.some((v) => v.instance_id === id && v.regression_failures === 0));
    expect(contested.length).toBeGreaterThan(0); // the demo config's noise (seed 0) makes such instances
    for (const id of contested) {
      const pick = validation.find((v) => v.instance_id === id && v.patch_id === chosen.get(id))!;
      expect(pick.regression_failures, id).toBe(0);
    }
  });

  it("resumes after kill -9 to the same predictions and report, no record duplicated", async () => {
    const child = spawn("node", [cliPath, "run", "--run-id", "killed", "--grade-all", "--results-dir", resultsDir], {
      stdio: "ignore",
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    let killedAt = "";
    for (let i = 0; i < 3000 && !killedAt; i++) {
      await new Promise((r) => setTimeout(r, 100));
      if (lines(join(resultsDir, "killed", "validation.jsonl")).length >= 1) {
        child.kill("SIGKILL");
        killedAt = "validate";
      }
      if (child.exitCode !== null) break;
    }
    await exited;
    expect(killedAt, "the run finished before it could be killed mid-validation").toBe("validate");
    expect(existsSync(join(resultsDir, "killed", "report.json"))).toBe(false);
    const again = await swerl(["run", "--run-id", "killed", "--grade-all"]);
    expect(again.status, again.stderr.slice(-3000)).toBe(0);
    expect(preds("killed")).toEqual(preds("full"));
    expect(reportOf("killed").solve_rate).toEqual(reportOf("full").solve_rate);
    expect(resolvedIds("killed")).toEqual(resolvedIds("full"));
    for (const [stage, key] of Object.entries(STAGE_KEYS)) {
      const keys = lines(join(resultsDir, "killed", stage)).map(key);
      expect(new Set(keys).size, `${stage} has a duplicated record`).toBe(keys.length);
      expect(keys.length, stage).toBe(lines(join(resultsDir, "full", stage)).length);
    }
  }, 900_000);

  it("merges two shard runs into the report of the whole run", async () => {
    for (const shard of ["0/2", "1/2"]) {
      const r = await swerl(["run", "--run-id", `shard-${shard[0]}`, "--shard", shard, "--grade-all"]);
      expect(r.status, r.stderr.slice(-3000)).toBe(0);
    }
    const merged = await swerl(["merge", "shard-0", "shard-1", "--out", "merged"]);
    expect(merged.status, merged.stderr).toBe(0);
    const report = await swerl(["report", "--run", "merged"]);
    expect(report.status, report.stderr).toBe(0);
    expect(preds("merged")).toEqual(preds("full"));
    expect(resolvedIds("merged")).toEqual(resolvedIds("full"));
    expect(reportOf("merged").solve_rate).toEqual(reportOf("full").solve_rate);
  }, 900_000);

  it("ablates the finished run with no Docker engine and no model server", async () => {
    const r = await swerl(["ablate", "--run", "full", "--samples", "1,2,4,8", "--tests", "1,3"], {
      DOCKER_HOST: "unix:///nonexistent/docker.sock",
      OPENAI_BASE_URL: "http://127.0.0.1:9/v1",
    });
    expect(r.status, r.stderr).toBe(0);
    const ablation = JSON.parse(readFileSync(join(resultsDir, "full", "ablation.json"), "utf8")) as {
      samples: { k: number; solve_rate: number; oracle_at_k: number }[];
    };
    const atN = ablation.samples.find((s) => s.k === 8)!;
    expect(atN.solve_rate).toBeCloseTo(reportOf("full").solve_rate!.rate, 10);
    const oracle = ablation.samples.map((s) => s.oracle_at_k);
    for (let i = 1; i < oracle.length; i++) expect(oracle[i]).toBeGreaterThanOrEqual(oracle[i - 1] - 1e-9);
  });
});
