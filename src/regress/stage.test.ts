// The regression stage in real containers of the demo benchmark: Agentless 1.5's run (the
// test patch's directives as they are, PASSED only, the model filter's prompt and exact-line
// parse) and the instances that have no regression signal.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSelectedInstances } from "../dataset/options.js";
import type { Instance } from "../dataset/schema.js";
import { buildDemoBenchmark } from "../demo/build.js";
import { removeRunContainers } from "../docker/cleanup.js";
import { EnginePool } from "../docker/engines.js";
import { requireDocker } from "../../test/support/docker.js";
import { ensureDemoImages } from "../images/prepare.js";
import type { ModelProvider, ModelRequest } from "../model/types.js";
import { RunStore } from "../store/run-store.js";
import { FILTER_MAX_TOKENS } from "./filter.js";
import type { RegressionScope } from "./select.js";
import { runRegressStage, type RegressionRecord } from "./stage.js";

let docker: Docker;
let work: string;
let textkit: Instance;
let repoSources: Record<string, string>;
let engines: EnginePool;
const runs: RunStore[] = [];

beforeAll(async () => {
  docker = await requireDocker();
  work = await mkdtemp(join(tmpdir(), "swerl-regress-"));
  textkit = (await loadSelectedInstances({ dataset: "demo", instanceIds: ["swerl-demo__textkit-1"] }))[0]!;
  await ensureDemoImages(docker, [textkit], "none");
  repoSources = (await buildDemoBenchmark()).repoSources;
  engines = new EnginePool([{ host: "", workers: 2 }]);
}, 180_000);

afterAll(async () => {
  engines?.close();
  for (const run of runs) {
    await run.finish("success");
    await removeRunContainers(docker, run.runId);
  }
  if (work) await rm(work, { recursive: true, force: true });
});

/** A provider that answers the filter with `answer` and keeps the requests it saw. */
function scripted(answer: string): ModelProvider & { seen: ModelRequest[] } {
  const seen: ModelRequest[] = [];
  return {
    name: "scripted",
    kind: "oracle",
    seen,
    async complete(req) {
      seen.push(req);
      return { ok: true, text: answer, usage: { prompt_tokens: 0, completion_tokens: 0 }, latencyMs: 1, cached: false };
    },
  };
}

async function regress(
  name: string,
  inst: Instance,
  scope: RegressionScope,
  provider?: ModelProvider,
): Promise<RegressionRecord> {
  const run = await RunStore.open({
    runId: `regress-${name}-${process.pid}`,
    command: "regress",
    config: { test: name },
    resultsDir: join(work, "results"),
  });
  runs.push(run);
  const { summary } = await runRegressStage({
    run,
    instances: [inst],
    engines,
    repoSources,
    namespace: "none",
    scope,
    limits: { memoryBytes: 512 * 1024 ** 2, pidsLimit: 256 },
    timeoutS: 60,
    maxWorkers: 1,
    filter: provider ? { provider, params: { temperature: 1, top_p: 1, max_tokens: 8000 } } : undefined,
  });
  const records: RegressionRecord[] = [];
  for await (const r of run.records<RegressionRecord>("regression")) records.push(r);
  expect(records).toHaveLength(1);
  expect(summary.no_signal).toBe(records[0]!.no_signal ? 1 : 0);
  return records[0]!;
}

const NEW_TEST_FILE = [
  "diff --git a/tests/test_brand_new.py b/tests/test_brand_new.py",
  "new file mode 100644",
  "--- /dev/null",
  "+++ b/tests/test_brand_new.py",
  "@@ -0,0 +1,2 @@",
  "+def test_new():",
  "+    assert True",
  "",
].join("\n");

describe("regress stage (Agentless 1.5's regression tests)", () => {
  it("runs the test patch's directives, keeps PASSED tests, and drops exactly the lines the model names", async () => {
    const provider = scripted(
      "```\ntests/test_slug.py::test_accents\n  tests/test_slug.py::test_simple\nnot_a_test\n```",
    );
    const r = await regress("directives", textkit, "directives", provider);
    expect(r).toMatchObject({
      error: null,
      no_signal: null,
      test_files: ["tests/test_slug.py"],
      command: "pytest -rA tests/test_slug.py",
    });
    expect(r.passing_tests).toEqual(
      expect.arrayContaining(["tests/test_slug.py::test_simple", "tests/test_slug.py::test_accents"]),
    );
    // An indented line does not match (the reference compares the answer's lines as they are).
    expect(r.dropped_by_model).toEqual(["tests/test_slug.py::test_accents"]);
    expect(r.selected_tests).toEqual(r.passing_tests.filter((t) => t !== "tests/test_slug.py::test_accents"));
    expect(r.unknown_from_model).toContain("not_a_test");
    expect(provider.seen).toHaveLength(1);
    const req = provider.seen[0]!;
    expect(req.params).toMatchObject({ temperature: 0, max_tokens: FILTER_MAX_TOKENS });
    expect(req.messages).toHaveLength(1);
    expect(req.messages[0]!.content).toMatch(
      /^We are currently solving the following issue within our repository\. Here is the issue text:\n--- BEGIN ISSUE ---\n/,
    );
    expect(req.messages[0]!.content).toContain(
      `Below are a list of existing tests in the repository.\n\`\`\`\n${r.passing_tests.join("\n")}\n\`\`\``,
    );
    expect(req.messages[0]!.content.endsWith("Return only the selected tests.")).toBe(true);
  }, 180_000);

  it("a test patch that adds a test file: the directives find nothing to run (no signal, as in Agentless); touched runs the existing file", async () => {
    const inst = {
      ...textkit,
      test_patch: textkit.test_patch + (textkit.test_patch.endsWith("\n") ? "" : "\n") + NEW_TEST_FILE,
    };
    const directives = await regress("new-file-directives", inst, "directives");
    expect(directives.error).toBeNull();
    expect(directives.command).toBe("pytest -rA tests/test_slug.py tests/test_brand_new.py");
    // pytest stops at the missing path ("ERROR: file or directory not found"), which the harness's parser reads as one ERROR.
    expect(directives.no_signal).toBe("no test passes on the original code");
    expect(directives.passing_tests).toEqual([]);
    expect(directives.selected_tests).toEqual([]);
    const touched = await regress("new-file-touched", inst, "touched");
    expect(touched).toMatchObject({ error: null, no_signal: null, test_files: ["tests/test_slug.py"] });
    expect(touched.selected_tests.length).toBeGreaterThan(0);
  }, 180_000);

  it("a test patch with no test file: nothing runs, no signal (never the whole suite)", async () => {
    const dataOnly = [
      "diff --git a/tests/data.json b/tests/data.json",
      "new file mode 100644",
      "--- /dev/null",
      "+++ b/tests/data.json",
      "@@ -0,0 +1 @@",
      "+{}",
      "",
    ].join("\n");
    const provider = scripted("");
    const r = await regress("no-test-file", { ...textkit, test_patch: dataOnly }, "directives", provider);
    expect(r).toMatchObject({
      error: null,
      command: "",
      test_files: [],
      passing_tests: [],
      selected_tests: [],
      no_signal: "no test file to run (scope directives)",
    });
    expect(provider.seen).toHaveLength(0);
  }, 60_000);
});
