import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Instance } from "../dataset/schema.js";
import { RunStore } from "../store/run-store.js";
import { rerankRun } from "./run-candidates.js";

const validation = (
  patch_id: string,
  samples: number[],
  regression_failures: number | null,
  reproduction_passed: string[] | null,
) => ({
  instance_id: "i1",
  patch_id,
  normalized_patch: `norm-${patch_id}`,
  patch: `patch-${patch_id}`,
  samples,
  regression_failures,
  reproduction_passed,
});

describe("rerank --run", () => {
  it("reranks a run's validation records into preds.jsonl and explains each choice", async () => {
    const run = await RunStore.open({
      runId: "r",
      command: "test",
      config: {},
      resultsDir: await mkdtemp(join(tmpdir(), "swerl-rr-")),
    });
    // p1 breaks a regression test; p2 and p3 pass; p2 passes two reproduction tests, p3 one but has 3 samples.
    await run.append("validation", validation("p1", [0, 1, 2, 3], 1, ["t1", "t2"]));
    await run.append("validation", validation("p2", [4], 0, ["t1", "t2"]));
    await run.append("validation", validation("p3", [5, 6, 7], 0, ["t1"]));
    await run.append("reproduction_tests", {
      instance_id: "i1",
      tests: [
        { test_id: "t1", script: "" },
        { test_id: "t2", script: "" },
      ],
      top_tests: 2,
    });
    const instances = [{ instance_id: "i1" }, { instance_id: "i2" }] as Instance[];
    const r = await rerankRun(run, instances, { rule: "swerl", filter: "both", modelName: "m" });
    expect(r).toMatchObject({ instances: 2, withPatch: 1 });
    const preds = (await readFile(run.path("preds.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    // group {t1,t2}: 1 sample × 2² = 4; group {t1}: 3 × 1² = 3 → p2
    expect(preds).toEqual([
      { instance_id: "i1", model_name_or_path: "m", model_patch: "patch-p2", sample: 4 },
      { instance_id: "i2", model_name_or_path: "m", model_patch: "", sample: null },
    ]);
    const why = (await readFile(run.stagePath("rerank"), "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(why[0]).toMatchObject({ instance_id: "i1", patch_id: "p2", sample: 4, candidates: 3, max_tests: 2 });
    // With only the first test, {t1} groups hold p2 and p3 → 4 samples × 1² → majority vote → p3.
    await rerankRun(run, instances, { rule: "swerl", filter: "both", modelName: "m", maxTests: 1 });
    expect(JSON.parse((await readFile(run.path("preds.jsonl"), "utf8")).split("\n")[0]!).sample).toBe(5);
    // Without the regression filter, p1's 4 samples pass {t1,t2}: 5 × 2² → p1 wins the vote.
    await rerankRun(run, instances, { rule: "swerl", filter: "reproduction", modelName: "m" });
    expect(JSON.parse((await readFile(run.path("preds.jsonl"), "utf8")).split("\n")[0]!).sample).toBe(0);
  });
});
