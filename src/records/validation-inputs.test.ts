// What validation reads of repair.jsonl: an index of where each instance's latest samples are,
// then one instance at a time.
import { appendFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RunStore } from "../store/run-store.js";
import { repairIndex, repairSamples, repairSamplesAt } from "./validation-inputs.js";

const line = (instance_id: string, sample: number, patch: string) =>
  JSON.stringify({ instance_id, sample, patch, raw_output: "x".repeat(20_000) }) + "\n";

describe("repair samples per instance", () => {
  it("indexes the latest record of each sample and reads one instance at a time", async () => {
    const run = await RunStore.open({
      runId: "inputs",
      command: "test",
      config: {},
      resultsDir: mkdtempSync(join(tmpdir(), "swerl-inputs-")),
    });
    const path = run.stagePath("repair");
    appendFileSync(
      path,
      line("a", 1, "p-a1") +
        line("b", 0, "p-b0") +
        line("a", 0, "p-a0") +
        line("c", 0, "p-c0") +
        line("a", 1, "p-a1-retried") +
        '{"instance_id":"a","sa',
    );
    const index = await repairIndex(run, new Set(["a", "b"]));
    expect([...index.keys()].sort()).toEqual(["a", "b"]);
    expect(await repairSamplesAt(run, index.get("a")!)).toEqual([
      { instance_id: "a", sample: 0, patch: "p-a0" },
      { instance_id: "a", sample: 1, patch: "p-a1-retried" },
    ]);
    expect((await repairSamples(run, new Set(["b"]))).get("b")).toEqual([
      { instance_id: "b", sample: 0, patch: "p-b0" },
    ]);
    await run.finish("success");
  });

  it("a bad line names the file and the line", async () => {
    const run = await RunStore.open({
      runId: "bad",
      command: "test",
      config: {},
      resultsDir: mkdtempSync(join(tmpdir(), "swerl-inputs-")),
    });
    appendFileSync(
      run.stagePath("repair"),
      line("a", 0, "p") + JSON.stringify({ instance_id: "a", sample: -1, patch: "q" }) + "\n",
    );
    await expect(repairIndex(run, new Set(["a"]))).rejects.toThrow(/repair\.jsonl:2: sample: /);
    await run.finish("success");
  });
});
