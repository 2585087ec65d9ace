// Validation wall time with container reuse vs a fresh container per step (--isolation
// container), against the time the tests themselves take in the containers. One demo instance
// (textkit-1), N distinct patches (the gold patch plus a distinct module constant each, so every
// one is its own normalized patch and passes), a regression run (pytest on tests/test_slug.py)
// and 2 reproduction tests per patch — validated by the real stage (runValidateStage).
// textkit is installed editable in its image (pip install -e ., as most SWE-bench repos), so
// the strict mode reinstalls it after every patch as the harness's eval script does; reuse does
// not need to for these pure-Python patches (src/validate/reinstall.ts).
// Fixtures: "demo" (the demo tests as they are: ~0.3 s per patch, so per-step overhead shows)
// and "slow" (the regression run padded with a ~1 s sleep, a more realistic test time).
// Usage: npx vite-node bench/validate.ts [patches=50] [fixtures=demo,slow] [isolations=reuse,container]
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { loadSelectedInstances } from "../src/dataset/options.js";
import { buildDemoBenchmark } from "../src/demo/build.js";
import { removeRunContainers } from "../src/docker/cleanup.js";
import { dockerClient, ensureDockerAvailable } from "../src/docker/client.js";
import { EnginePool } from "../src/docker/engines.js";
import { ensureDemoImages } from "../src/images/prepare.js";
import { configureLogging } from "../src/log/logger.js";
import { fileDiff } from "../src/repair/git-diff.js";
import { readFilesAtCommit } from "../src/repo/files.js";
import { RunStore } from "../src/store/run-store.js";
import type { Isolation } from "../src/testbed/testbed.js";
import type { ValidationRecord } from "../src/records/validation.js";
import { runValidateStage } from "../src/validate/stage.js";

const count = Number(process.argv[2] ?? 50);
const fixtures = (process.argv[3] ?? "demo,slow").split(",");
const isolations = (process.argv[4] ?? "reuse,container").split(",") as Isolation[];
const SLUG = "textkit/slug.py";
const REPRO = `from textkit import slugify
out = slugify("Hello,  World!")
print("Issue resolved" if out == "hello-world" else "Issue reproduced" if out == "hello---world" else "Other issues")
`;

async function main(): Promise<void> {
  configureLogging({ quiet: true });
  const docker = dockerClient();
  await ensureDockerAvailable(docker);
  const [inst] = await loadSelectedInstances({ dataset: "demo", instanceIds: ["swerl-demo__textkit-1"] });
  await ensureDemoImages(docker, [inst!], "none");
  const { repoSources } = await buildDemoBenchmark();
  const base = (await readFilesAtCommit(repoSources[inst!.repo]!, inst!.base_commit, [SLUG]))[SLUG]!;
  const gold = base.replace(`re.sub(r"[^a-z0-9]", separator, text)`, `re.sub(r"[^a-z0-9]+", separator, text)`);
  if (gold === base) throw new Error("bench: the gold edit no longer matches slug.py");
  const patches = Array.from({ length: count }, (_, k) =>
    fileDiff(SLUG, base, gold.replace("import re\n", `import re\n_VARIANT = ${k}\n`)),
  );
  const work = await mkdtemp(join(tmpdir(), "swerl-bench-validate-"));
  const engines = new EnginePool([{ host: "", workers: 1 }]);
  console.log(
    `bench/validate: ${count} patches, ${cpus().length} cores, load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(" ")}`,
  );
  const rows: string[] = [];
  try {
    for (const fixture of fixtures) {
      const command =
        fixture === "slow"
          ? "python -c 'import time; time.sleep(1)'; pytest -rA tests/test_slug.py"
          : "pytest -rA tests/test_slug.py";
      const results: Record<string, string> = {};
      for (const isolation of isolations) {
        const runId = `bench-validate-${fixture}-${isolation}-${process.pid}`;
        const run = await RunStore.open({ runId, command: "bench", config: { runId }, resultsDir: work });
        for (const [sample, patch] of patches.entries())
          await run.append("repair", { instance_id: inst!.instance_id, sample, patch });
        await run.append("regression", {
          instance_id: inst!.instance_id,
          scope: "touched",
          test_files: ["tests/test_slug.py"],
          command,
          log_parser: "parse_log_pytest",
          passing_tests: [],
          failing_on_original: [],
          dropped_by_model: [],
          duration_ms: 0,
          error: null,
          created_at: "",
          selected_tests: [
            "tests/test_slug.py::test_simple",
            "tests/test_slug.py::test_accents",
            "tests/test_slug.py::test_custom_separator",
          ],
        });
        await run.append("reproduction_tests", {
          instance_id: inst!.instance_id,
          samples: 2,
          reproducing: 2,
          top_tests: 2,
          tests: [
            { test_id: "repro-000000000001", script: REPRO, votes: 1, samples: [0] },
            { test_id: "repro-000000000002", script: "print('Other issues')\n", votes: 1, samples: [1] },
          ],
        });
        const { summary } = await runValidateStage({
          run,
          instances: [inst!],
          engines,
          repoSources,
          namespace: "none",
          isolation,
          limits: { memoryBytes: 2 * 1024 ** 3, pidsLimit: 1024 },
          regressionTimeoutS: 120,
          testTimeoutS: 60,
        });
        const recs: ValidationRecord[] = [];
        for await (const r of run.records<ValidationRecord>("validation")) recs.push(r);
        await run.finish("success");
        await removeRunContainers(docker, runId);
        const sum = (f: (r: ValidationRecord) => number) => recs.reduce((n, r) => n + f(r), 0);
        const bad = recs.filter(
          (r) => r.regression_failures !== 0 || r.reproduction_passed?.length !== 1 || r.violation || r.error,
        );
        if (recs.length !== count || bad.length > 0)
          throw new Error(
            `bench: ${fixture}/${isolation}: ${recs.length} records, ${bad.length} unexpected: ${JSON.stringify(bad[0])}`,
          );
        results[isolation] = (summary.wall_ms / 1000).toFixed(1);
        const test = summary.test_ms / 1000;
        const wall = summary.wall_ms / 1000;
        const line =
          `${fixture.padEnd(5)} ${isolation.padEnd(9)} wall ${wall.toFixed(1).padStart(6)} s  tests in containers ${test.toFixed(1).padStart(6)} s  ` +
          `wall/tests ${(wall / test).toFixed(2)}  per patch: wall ${((1000 * wall) / count).toFixed(0)} ms, tests ${((1000 * test) / count).toFixed(0)} ms, ` +
          `apply ${(sum((r) => r.timings_ms.apply) / count).toFixed(0)} ms, reset+check ${(sum((r) => r.timings_ms.reset) / count).toFixed(0)} ms, ` +
          `reinstall ${(sum((r) => r.timings_ms.install ?? 0) / count).toFixed(0)} ms (${recs.filter((r) => r.reinstall_exit === 0).length} ok)`;
        console.log(line);
        rows.push(line);
      }
      if (results.reuse && results.container)
        console.log(
          `${fixture}: container / reuse = ${(Number(results.container) / Number(results.reuse)).toFixed(2)}×`,
        );
    }
  } finally {
    engines.close();
    await rm(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
