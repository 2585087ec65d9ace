// Several Docker engines: a second real engine on this machine (own socket, data-root,
// exec-root), an evaluation spread over both, the second stopped mid-run: every instance is
// graded exactly once, on the engine that stayed. Images reach the second engine by
// engine-to-engine copies (no registry here).
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSelectedInstances } from "../src/dataset/options.js";
import type { Instance } from "../src/dataset/schema.js";
import { dockerClient, ensureDockerAvailable } from "../src/docker/client.js";
import { onEngines } from "../src/docker/engine-retry.js";
import { EnginePool } from "../src/docker/engines.js";
import { InfraError } from "../src/docker/errors.js";
import { copyImages, ImagePlacer } from "../src/docker/image-placement.js";
import { ensureDemoImages } from "../src/images/prepare.js";
import { evaluatePredictions } from "../src/evaluate/evaluate-predictions.js";
import { loadPredictions } from "../src/records/predictions.js";
import type { EvaluationRecord } from "../src/records/evaluation.js";
import { makeTestSpec } from "../src/spec/test-spec.js";
import { readRecords } from "../src/store/jsonl.js";
import { RunStore } from "../src/store/run-store.js";
import { buildDemoBenchmark } from "../src/demo/build.js";
import { fileDiff } from "../src/repair/git-diff.js";
import { readFilesAtCommit } from "../src/repo/files.js";
import type { ValidationRecord } from "../src/records/validation.js";
import { runValidateStage } from "../src/validate/stage.js";
import { startSecondEngine, type SecondEngine } from "./helpers/second-engine.js";

const main = dockerClient();
let second: SecondEngine;
let instances: Instance[];

beforeAll(async () => {
  await ensureDockerAvailable(main);
  second = await startSecondEngine();
  instances = await loadSelectedInstances({ dataset: "demo" });
  await ensureDemoImages(main, instances, "none");
  // One batch copy (shared layers travel once) so the second engine can take any instance.
  await copyImages(
    main,
    second.docker,
    instances.map((i) => makeTestSpec(i, { namespace: "none" }).image),
  );
}, 240_000);

afterAll(async () => {
  await second?.stop();
});

describe("several Docker engines", () => {
  it("copies a missing image from the engine that has it, on demand", async () => {
    const name = `swerl-test/tiny:${process.pid}`;
    await main.getImage("swerl/base:bookworm").inspect(); // the base image exists on the main engine
    // A tiny image: one file, imported from a tar stream.
    const { pack } = await import("tar-stream");
    const tar = pack();
    tar.entry({ name: "hello.txt" }, "hi\n");
    tar.finalize();
    const [repo, tag] = name.split(":");
    const imported = await main.importImage(tar as unknown as NodeJS.ReadableStream, { repo, tag } as never);
    await new Promise((resolve, reject) =>
      main.modem.followProgress(imported as unknown as NodeJS.ReadableStream, (e) => (e ? reject(e) : resolve(null))),
    );
    const pool = new EnginePool([
      { host: "unix:///var/run/docker.sock", workers: 1 },
      { host: second.host, workers: 1 },
    ]);
    try {
      const placer = new ImagePlacer(pool);
      await expect(second.docker.getImage(name).inspect()).rejects.toThrow();
      expect(await placer.ensure(pool.engines[1], name)).toBe(true);
      expect((await second.docker.getImage(name).inspect()).Id).toBe((await main.getImage(name).inspect()).Id);
      expect(await placer.ensure(pool.engines[1], "swerl-test/nowhere:1")).toBe(false);
    } finally {
      pool.close();
      await main
        .getImage(name)
        .remove()
        .catch(() => {});
      await second.docker
        .getImage(name)
        .remove()
        .catch(() => {});
    }
  }, 60_000);

  it("grades every instance exactly once when one engine stops mid-run", async () => {
    const resultsDir = await mkdtemp(join(tmpdir(), "swerl-engines-"));
    const run = await RunStore.open({ runId: "two-engines", command: "test", config: {}, resultsDir });
    const predictions = await loadPredictions("gold", instances, new Set(instances.map((i) => i.instance_id)));
    const pool = new EnginePool(
      [
        { host: "unix:///var/run/docker.sock", workers: 1 },
        { host: second.host, workers: 2 },
      ],
      { probeMs: 60_000 },
    );
    let stopped = false;
    // Stop the second engine as soon as it runs one of our containers.
    const watcher = (async () => {
      for (let i = 0; i < 600 && !stopped; i++) {
        const mine = await second.docker
          .listContainers({ filters: { label: [`swerl.run=${run.runId}`] } })
          .catch(() => []);
        if (mine.length > 0) {
          await second.stop();
          stopped = true;
          return;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    try {
      const { report } = await evaluatePredictions({
        engines: pool,
        run,
        instances,
        predictions,
        namespace: "none",
        timeoutS: 120,
        limits: { memoryBytes: 1024 ** 3, pidsLimit: 256 },
      });
      await watcher;
      expect(stopped).toBe(true);
      expect(pool.engines[1].leases).toBeGreaterThan(0);
      const records: EvaluationRecord[] = [];
      for await (const r of readRecords<EvaluationRecord>(run.stagePath("evaluation"))) records.push(r);
      expect(records.map((r) => r.instance_id).sort()).toEqual(instances.map((i) => i.instance_id).sort());
      expect(records.every((r) => r.status === "resolved")).toBe(true);
      expect(records.every((r) => r.engine === "unix:///var/run/docker.sock")).toBe(true);
      expect(report.resolved_instances).toBe(instances.length);
      const saved = JSON.parse(await readFile(run.path("run_report.json"), "utf8"));
      expect(saved.error_ids).toEqual([]);
    } finally {
      pool.close();
      await second.start(); // for afterAll's stop and any later test
    }
  }, 300_000);

  it("validation moves the patches not done to the other engine when one stops mid-instance", async () => {
    const resultsDir = await mkdtemp(join(tmpdir(), "swerl-engines-validate-"));
    const run = await RunStore.open({ runId: "two-engines-validate", command: "test", config: {}, resultsDir });
    const inst = instances.find((i) => i.instance_id === "swerl-demo__textkit-1")!;
    const { repoSources } = await buildDemoBenchmark();
    // 12 distinct patches: the gold fix plus a distinct module constant each (all pass).
    const slug = "textkit/slug.py";
    const base = (await readFilesAtCommit(repoSources[inst.repo]!, inst.base_commit, [slug]))[slug]!;
    const fixed = base.replace(`re.sub(r"[^a-z0-9]", separator, text)`, `re.sub(r"[^a-z0-9]+", separator, text)`);
    expect(fixed).not.toBe(base);
    const patches = Array.from({ length: 12 }, (_, k) =>
      fileDiff(slug, base, fixed.replace("import re\n", `import re\n_VARIANT = ${k}\n`)),
    );
    for (const [sample, patch] of patches.entries())
      await run.append("repair", { instance_id: inst.instance_id, sample, patch });
    await run.append("regression", {
      instance_id: inst.instance_id,
      scope: "touched",
      test_files: ["tests/test_slug.py"],
      command: "python -c 'import time; swerl_marker_sleep = 1; time.sleep(0.5)'; pytest -rA tests/test_slug.py",
      log_parser: "parse_log_pytest",
      passing_tests: [],
      failing_on_original: [],
      dropped_by_model: [],
      duration_ms: 0,
      error: null,
      created_at: "",
      selected_tests: ["tests/test_slug.py::test_simple", "tests/test_slug.py::test_accents"],
    });
    const pool = new EnginePool(
      [
        { host: "unix:///var/run/docker.sock", workers: 1 },
        { host: second.host, workers: 2 },
      ],
      { probeMs: 60_000 },
    );
    let stopped = false;
    // Stop the second engine while it runs a patch's regression run (the command's marker sleep).
    const watcher = (async () => {
      for (let i = 0; i < 1200 && !stopped; i++) {
        const [c] = await second.docker
          .listContainers({ filters: { label: [`swerl.run=${run.runId}`] } })
          .catch(() => []);
        const top = c
          ? await second.docker
              .getContainer(c.Id)
              .top()
              .catch(() => undefined)
          : undefined;
        if (top && JSON.stringify(top.Processes).includes("swerl_marker_sleep")) {
          await second.stop();
          stopped = true;
          return;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    try {
      const { summary } = await runValidateStage({
        run,
        instances: [inst],
        engines: pool,
        repoSources,
        namespace: "none",
        isolation: "reuse",
        limits: { memoryBytes: 1024 ** 3, pidsLimit: 256 },
        regressionTimeoutS: 120,
        testTimeoutS: 60,
      });
      await watcher;
      expect(stopped).toBe(true);
      expect(pool.engines[1].leases).toBeGreaterThan(0);
      expect(pool.engines[0].leases).toBeGreaterThan(0); // the rest moved to the main engine
      const records: ValidationRecord[] = [];
      for await (const r of readRecords<ValidationRecord>(run.stagePath("validation"))) records.push(r);
      expect(new Set(records.map((r) => r.patch_id)).size).toBe(12);
      expect(records.length).toBe(12);
      expect(records.map((r) => [r.error, r.violation, r.applied, r.regression_failures])).toEqual(
        Array(12).fill([null, null, true, 0]),
      );
      expect(summary).toMatchObject({ validated: 12, errors: 0, violations: 0 });
    } finally {
      pool.close();
      await second.start();
    }
  }, 300_000);

  it("onEngines (regress, reproduce): an infrastructure error moves the work to the other engine; its own errors do not", async () => {
    const pool = new EnginePool([
      { host: second.host, workers: 2 },
      { host: "unix:///var/run/docker.sock", workers: 1 },
    ]);
    try {
      const seen: string[] = [];
      const result = await onEngines(pool, "test", async (lease) => {
        seen.push(lease.engine.name);
        if (lease.engine === pool.engines[0]) throw new InfraError("the container could not start", "container");
        return "done";
      });
      expect(result).toBe("done");
      expect(seen).toEqual([second.host, "unix:///var/run/docker.sock"]);
      let calls = 0;
      await expect(
        onEngines(pool, "test", async () => {
          calls++;
          throw new Error("its own failure");
        }),
      ).rejects.toThrow("its own failure");
      expect(calls).toBe(1);
      expect(pool.engines.map((e) => e.busy)).toEqual([0, 0]); // every lease released
    } finally {
      pool.close();
    }
  });

  it("puts an engine back into rotation once it answers again", async () => {
    const pool = new EnginePool(
      [
        { host: second.host, workers: 1 },
        { host: "unix:///var/run/docker.sock", workers: 1 },
      ],
      { probeMs: 100, maxProbeMs: 400 },
    );
    try {
      await second.stop();
      expect(await pool.isEngineDown(pool.engines[0])).toBe(true);
      const lease = await pool.acquire();
      expect(lease.engine).toBe(pool.engines[1]); // the only healthy one
      lease.release();
      await second.start();
      for (let i = 0; i < 100 && !pool.engines[0].healthy; i++) await new Promise((r) => setTimeout(r, 100));
      expect(pool.engines[0].healthy).toBe(true);
    } finally {
      pool.close();
    }
  }, 120_000);
});
