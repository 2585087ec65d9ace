// `swerl evaluate` end to end in real containers on the embedded demo benchmark: gold,
// empty, wrong, unappliable and hanging predictions, graded as the SWE-bench harness would.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Docker from "dockerode";
import { beforeAll, describe, expect, it } from "vitest";
import { buildDemoBenchmark } from "../src/demo/build.js";
import { runCli } from "./helpers/cli.js";
import { verifiedJsonl } from "./helpers/paths.js";

const resultsDir = mkdtempSync(join(tmpdir(), "swerl-eval-"));
const docker = new Docker();

async function evaluate(runId: string, predictions: string, extra: string[] = []) {
  const started = Date.now();
  const r = await runCli([
    "evaluate",
    "--dataset",
    "demo",
    "--predictions",
    predictions,
    "--run-id",
    runId,
    "--namespace",
    "none",
    "--results-dir",
    resultsDir,
    "--timeout",
    "60",
    "--memory",
    "1g",
    "--pids-limit",
    "256",
    "--max-workers",
    "2",
    ...extra,
  ]);
  if (r.status !== 0) throw new Error(`evaluate exited ${r.status}:\n${r.stderr}`);
  const report = JSON.parse(readFileSync(join(resultsDir, runId, "run_report.json"), "utf8"));
  return { report, stdout: r.stdout, stderr: r.stderr, seconds: (Date.now() - started) / 1000 };
}

const instanceReport = (runId: string, id: string) =>
  JSON.parse(readFileSync(join(resultsDir, runId, "evaluation", id, "report.json"), "utf8"))[id];

const gold: Record<string, string> = {};

beforeAll(async () => {
  await docker.ping(); // no engine → the whole file fails, as it must in CI
  const demo = await buildDemoBenchmark();
  for (const line of readFileSync(demo.datasetPath, "utf8").trim().split("\n")) {
    const row = JSON.parse(line);
    gold[row.instance_id] = row.patch;
  }
}, 600_000);

describe("swerl evaluate on the demo benchmark", () => {
  it("gold predictions resolve every instance; a second run resumes without running any", async () => {
    const { report, stdout } = await evaluate("gold", "gold");
    expect(report.total_instances).toBe(5);
    expect(report.resolved_instances).toBe(5);
    expect(report.error_instances).toBe(0);
    expect(report.schema_version).toBe(2);
    expect(stdout).toContain("Instances resolved: 5");
    const dir = join(resultsDir, "gold", "evaluation", "swerl-demo__ledger-1");
    for (const f of ["patch.diff", "eval.sh", "test_output.txt", "report.json", "run_instance.log"])
      expect(existsSync(join(dir, f))).toBe(true);
    const r = instanceReport("gold", "swerl-demo__ledger-1");
    expect(r.tests_status.FAIL_TO_PASS.success).toEqual([
      "tests/test_book.py::test_failed_transfer_leaves_accounts_unchanged",
    ]);
    expect(r.patch_successfully_applied).toBe(true);

    const again = await evaluate("gold", "gold");
    expect(again.report.resolved_instances).toBe(5);
    expect(
      readFileSync(join(resultsDir, "gold", "evaluation.jsonl"), "utf8")
        .trim()
        .split("\n"),
    ).toHaveLength(5);
  });

  it("--rules latest: the eval script records the test command's exit code, report.json has infra_failure, gold resolves", async () => {
    const { report } = await evaluate("latest", "gold", [
      "--rules",
      "latest",
      "--instance-ids",
      "swerl-demo__textkit-1,swerl-demo__ledger-1",
    ]);
    expect(report.resolved_instances).toBe(2);
    const dir = join(resultsDir, "latest", "evaluation", "swerl-demo__textkit-1");
    expect(readFileSync(join(dir, "eval.sh"), "utf8")).toContain(
      'echo ">>>>> Test Exit Code: $SWEBENCH_TEST_EXIT_CODE"',
    );
    expect(readFileSync(join(dir, "test_output.txt"), "utf8")).toMatch(/^>>>>> Test Exit Code: 0$/m);
    expect(instanceReport("latest", "swerl-demo__textkit-1")).toMatchObject({ resolved: true, infra_failure: false });
    expect(instanceReport("gold", "swerl-demo__textkit-1")).not.toHaveProperty("infra_failure");
  });

  it("empty predictions count as empty_patch and run nothing", async () => {
    const { report } = await evaluate("empty", "empty");
    expect(report.empty_patch_instances).toBe(5);
    expect(report.completed_instances).toBe(0);
    expect(existsSync(join(resultsDir, "empty", "evaluation"))).toBe(false);
  });

  it("classifies wrong, unappliable and hanging patches", async () => {
    const wrong = gold["swerl-demo__textkit-1"]!.replace(
      're.sub(r"[^a-z0-9]+", separator, text)',
      're.sub(r"[^a-z0-9]+", "", text)',
    );
    expect(wrong).not.toBe(gold["swerl-demo__textkit-1"]);
    const garbage =
      "diff --git a/ledger/book.py b/ledger/book.py\n--- a/ledger/book.py\n+++ b/ledger/book.py\n@@ -40,3 +40,3 @@\n-this line is not there\n+nor is this one\n context\n";
    const hang = gold["swerl-demo__durations-2"]!.replace('+        return "0s"', "+        while True: pass");
    expect(hang).not.toBe(gold["swerl-demo__durations-2"]);
    const preds = join(resultsDir, "mixed.jsonl");
    writeFileSync(
      preds,
      [
        { instance_id: "swerl-demo__textkit-1", model_name_or_path: "m", model_patch: wrong },
        { instance_id: "swerl-demo__ledger-1", model_name_or_path: "m", model_patch: garbage },
        { instance_id: "swerl-demo__durations-2", model_name_or_path: "m", model_patch: hang },
      ]
        .map((p) => JSON.stringify(p))
        .join("\n") + "\n",
    );

    // 20 s: textkit's eval script reinstalls the package (pip, ~2.5 s alone, 8+ s on a loaded machine).
    const { report, seconds } = await evaluate("mixed", preds, ["--timeout", "20"]);
    expect(report.submitted_instances).toBe(3);
    expect(report.incomplete_ids).toEqual(["swerl-demo__durations-1", "swerl-demo__textkit-2"]);
    expect(report.unresolved_ids).toEqual(["swerl-demo__textkit-1"]);
    expect(report.error_ids).toEqual(["swerl-demo__durations-2", "swerl-demo__ledger-1"]);
    expect(report.error_kinds).toEqual({
      "swerl-demo__durations-2": "timed_out",
      "swerl-demo__ledger-1": "patch_apply_failed",
    });

    const unresolved = instanceReport("mixed", "swerl-demo__textkit-1");
    expect(unresolved.resolved).toBe(false);
    expect(unresolved.tests_status.FAIL_TO_PASS.failure).toContain("tests/test_slug.py::test_collapses_runs");
    expect(unresolved.tests_status.PASS_TO_PASS.failure).toContain("tests/test_slug.py::test_simple");

    const hungLog = readFileSync(
      join(resultsDir, "mixed", "evaluation", "swerl-demo__durations-2", "test_output.txt"),
      "utf8",
    );
    expect(hungLog).toContain("Timeout error: 20 seconds exceeded.");
    const records = readFileSync(join(resultsDir, "mixed", "evaluation.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const hung = records.find((r) => r.instance_id === "swerl-demo__durations-2");
    expect(hung.timings_ms.total).toBeLessThan((20 + 10) * 1000); // within timeout + 10 s
    expect(seconds).toBeLessThan(120);
    const left = await docker.listContainers({ all: true, filters: { label: ["swerl.run=mixed"] } });
    expect(left).toHaveLength(0);
  });

  it("a missing image is an infrastructure error of that instance, not a crash", async () => {
    const r = await runCli([
      "evaluate",
      "--dataset",
      verifiedJsonl,
      "--instance-ids",
      "psf__requests-2317",
      "--predictions",
      "gold",
      "--run-id",
      "noimage",
      "--namespace",
      "none",
      "--results-dir",
      resultsDir,
    ]);
    expect(r.status).toBe(0);
    const report = JSON.parse(readFileSync(join(resultsDir, "noimage", "run_report.json"), "utf8"));
    expect(report.error_ids).toEqual(["psf__requests-2317"]);
    expect(report.error_kinds).toEqual({ "psf__requests-2317": "infrastructure" });
    expect(
      readFileSync(join(resultsDir, "noimage", "evaluation", "psf__requests-2317", "run_instance.log"), "utf8"),
    ).toContain("image missing: sweb.eval.x86_64.psf__requests-2317:latest");
  });

  it("a malformed predictions line is one clear error naming the line", async () => {
    const preds = join(resultsDir, "bad.jsonl");
    writeFileSync(
      preds,
      JSON.stringify({ instance_id: "swerl-demo__ledger-1", model_patch: "" }) +
        "\n" +
        JSON.stringify({ model_patch: 3 }) +
        "\n",
    );
    const r = await runCli([
      "evaluate",
      "--dataset",
      "demo",
      "--predictions",
      preds,
      "--run-id",
      "bad",
      "--namespace",
      "none",
      "--results-dir",
      resultsDir,
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(new RegExp(`^swerl: ${preds} line 2: field instance_id`));
  });
});
