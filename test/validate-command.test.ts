// `swerl validate` takes its options from the config through the same step as `swerl run`
// (src/validate/step.ts): validate.test_timeout_s from -c is honoured (it used to be ignored
// for a --test-timeout default of 120 s), and --test-timeout overrides it. Real containers of
// the demo benchmark: one reproduction test that sleeps 6 s before printing its verdict.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSelectedInstances } from "../src/dataset/options.js";
import type { Instance } from "../src/dataset/schema.js";
import { RunStore } from "../src/store/run-store.js";
import { runCli } from "./helpers/cli.js";
import { requireDocker } from "./support/docker.js";

const work = mkdtempSync(join(tmpdir(), "swerl-validate-cmd-"));
const resultsDir = join(work, "results");
const SLOW_TEST = "import time\ntime.sleep(6)\nprint('Issue resolved')\n";
let textkit: Instance;

beforeAll(async () => {
  await requireDocker();
  textkit = (await loadSelectedInstances({ dataset: "demo" })).find((i) => i.instance_id === "swerl-demo__textkit-1")!;
  writeFileSync(
    join(work, "config.yaml"),
    [
      "dataset:",
      "  path: demo",
      `  instance_ids: [${textkit.instance_id}]`,
      "docker:",
      "  namespace: none",
      "  max_workers: 1",
      "validate:",
      "  test_timeout_s: 2",
      "",
    ].join("\n"),
  );
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A run holding the gold patch as its one repair sample and the slow test as its one kept test. */
async function writeRun(runId: string): Promise<void> {
  const run = await RunStore.open({ runId, command: "test", config: { test: runId }, resultsDir });
  await run.append("repair", { instance_id: textkit.instance_id, sample: 0, patch: textkit.patch });
  await run.append("reproduction_tests", {
    instance_id: textkit.instance_id,
    top_tests: 1,
    tests: [{ test_id: "repro-slow00000000", script: SLOW_TEST, votes: 1, samples: [0] }],
  });
  await run.finish("success");
}

async function validate(runId: string, extra: string[]): Promise<Record<string, string>> {
  await writeRun(runId);
  const r = await runCli([
    "validate",
    "-c",
    join(work, "config.yaml"),
    "--run-id",
    runId,
    "--results-dir",
    resultsDir,
    "--force",
    ...extra,
  ]);
  expect(r.status, r.stderr.slice(-2000)).toBe(0);
  const records = readFileSync(join(resultsDir, runId, "validation.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map(
      (l) =>
        JSON.parse(l) as {
          reproduction_outcomes: Record<string, string>;
        },
    );
  expect(records).toHaveLength(1);
  return records[0]!.reproduction_outcomes;
}

describe("swerl validate and the config", () => {
  it("honours validate.test_timeout_s from the config: a 6 s test is cut at 2 s", async () => {
    expect(await validate("timeout-from-config", [])).toEqual({ "repro-slow00000000": "timed_out" });
  }, 300_000);

  it("lets --test-timeout override the config", async () => {
    expect(await validate("timeout-from-flag", ["--test-timeout", "60"])).toEqual({ "repro-slow00000000": "resolved" });
  }, 300_000);
});
