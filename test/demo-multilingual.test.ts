// The embedded multilingual demo (Go, Rust, JavaScript) end to end in real containers: its
// rows have SWE-bench Multilingual's columns, `swerl spec --check` agrees with its eval_script
// column, gold patches resolve every instance, and a patch that leaves the code as it is
// resolves none (the new tests fail, the old ones pass) when the tests really run.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Docker from "dockerode";
import { beforeAll, describe, expect, it } from "vitest";
import { buildMultilingualDemoBenchmark } from "../src/demo/multilingual.js";
import { runCli } from "./helpers/cli.js";

const resultsDir = mkdtempSync(join(tmpdir(), "swerl-mldemo-"));
const docker = new Docker();
type Row = Record<string, string>;
let rows: Row[] = [];

async function evaluate(runId: string, predictions: string) {
  const started = Date.now();
  const r = await runCli([
    "evaluate",
    "--dataset",
    "demo-multilingual",
    "--predictions",
    predictions,
    "--run-id",
    runId,
    "--namespace",
    "none",
    "--results-dir",
    resultsDir,
    "--timeout",
    "300",
    "--memory",
    "2g",
    "--max-workers",
    "2",
  ]);
  if (r.status !== 0) throw new Error(`evaluate exited ${r.status}:\n${r.stderr}`);
  const report = JSON.parse(readFileSync(join(resultsDir, runId, "run_report.json"), "utf8"));
  return { report, seconds: (Date.now() - started) / 1000 };
}

const instanceReport = (runId: string, id: string) =>
  JSON.parse(readFileSync(join(resultsDir, runId, "evaluation", id, "report.json"), "utf8"))[id];

beforeAll(async () => {
  await docker.ping(); // no engine → the whole file fails, as it must in CI
  const demo = await buildMultilingualDemoBenchmark();
  rows = readFileSync(demo.datasetPath, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Row);
  // The instance images (built on first use from the toolchain images) before the timed runs.
  const built = await runCli(["images", "build", "--dataset", "demo-multilingual", "--namespace", "none"]);
  if (built.status !== 0) throw new Error(`images build exited ${built.status}:\n${built.stderr}`);
}, 1_200_000);

describe("the multilingual demo benchmark", () => {
  it("has Go, Rust and JavaScript instances in SWE-bench Multilingual's row format", () => {
    expect(rows.length).toBeGreaterThanOrEqual(5);
    const columns = [
      "repo",
      "instance_id",
      "base_commit",
      "patch",
      "test_patch",
      "problem_statement",
      "hints_text",
      "created_at",
      "version",
      "FAIL_TO_PASS",
      "PASS_TO_PASS",
      "log_parser",
      "image",
      "eval_script",
    ];
    for (const row of rows) {
      for (const c of columns) expect(row, `${row.instance_id}.${c}`).toHaveProperty(c);
      expect(JSON.parse(row.FAIL_TO_PASS).length, row.instance_id).toBeGreaterThan(0);
      expect(JSON.parse(row.PASS_TO_PASS).length, row.instance_id).toBeGreaterThan(0);
      expect(row.patch).toMatch(/^diff --git /);
      expect(row.test_patch).toMatch(/^diff --git /);
    }
    const parsers = Object.fromEntries(rows.map((r) => [r.repo, r.log_parser]));
    expect(parsers).toEqual({
      "swerl-demo/semver": "parse_log_gotest",
      "swerl-demo/tinycsv": "parse_log_cargo",
      "swerl-demo/querystr": "parse_log_tap",
    });
  });

  it("swerl spec --check agrees with the eval_script column on every row", async () => {
    const r = await runCli(["spec", "--dataset", "demo-multilingual", "--check"]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`check: ${rows.length}/${rows.length} eval scripts byte-identical`);
  }, 120_000);

  it("gold patches resolve every instance in real containers", async () => {
    const { report, seconds } = await evaluate("gold", "gold");
    process.stderr.write(
      `multilingual demo: gold evaluation of ${rows.length} instances took ${seconds.toFixed(1)} s\n`,
    );
    expect(report.total_instances).toBe(rows.length);
    expect(report.resolved_instances).toBe(rows.length);
    expect(report.error_instances).toBe(0);
    for (const row of rows) {
      const r = instanceReport("gold", row.instance_id);
      expect(r.tests_status.FAIL_TO_PASS.success, row.instance_id).toEqual(JSON.parse(row.FAIL_TO_PASS));
      expect(r.tests_status.PASS_TO_PASS.failure, row.instance_id).toEqual([]);
    }
  }, 900_000);

  it("empty patches resolve none; a patch that does not fix the bug runs the tests and resolves none", async () => {
    const empty = await evaluate("empty", "empty");
    expect(empty.report.resolved_instances).toBe(0);
    expect(empty.report.empty_patch_instances).toBe(rows.length);
    // Every instance gets a real (non-empty) patch that leaves the code as it is: a README line.
    const preds = join(resultsDir, "noop.jsonl");
    writeFileSync(
      preds,
      rows
        .map((row) =>
          JSON.stringify({
            instance_id: row.instance_id,
            model_name_or_path: "noop",
            model_patch: `diff --git a/README.md b/README.md\n--- a/README.md\n+++ b/README.md\n@@ -1,1 +1,1 @@\n-${readmeTitle(row)}\n+${readmeTitle(row)} (demo)\n`,
          }),
        )
        .join("\n") + "\n",
    );
    const noop = await evaluate("noop", preds);
    expect(noop.report.completed_instances).toBe(rows.length);
    expect(noop.report.resolved_instances).toBe(0);
    for (const row of rows) {
      const r = instanceReport("noop", row.instance_id);
      expect(r.patch_successfully_applied, row.instance_id).toBe(true);
      expect(r.tests_status.FAIL_TO_PASS.failure, row.instance_id).toEqual(JSON.parse(row.FAIL_TO_PASS));
      expect(r.tests_status.PASS_TO_PASS.success, row.instance_id).toEqual(JSON.parse(row.PASS_TO_PASS));
    }
  }, 900_000);
});

/** The README's first line at the base commit (each demo README starts with "# <name>"). */
function readmeTitle(row: Row): string {
  return `# ${row.repo.split("/")[1]}`;
}
