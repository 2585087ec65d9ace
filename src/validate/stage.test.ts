// The validation stage end to end in real containers of the demo benchmark: hand-made repair
// samples (gold, a gold variant that normalizes the same, a patch breaking a test, adversarial
// patches), regression and reproduction inputs written per the record contract.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type Docker from "dockerode";
import { loadSelectedInstances } from "../dataset/options.js";
import type { Instance } from "../dataset/schema.js";
import { buildDemoBenchmark } from "../demo/build.js";
import { removeRunContainers } from "../docker/cleanup.js";
import { EnginePool } from "../docker/engines.js";
import { requireDocker } from "../../test/support/docker.js";
import { ensureDemoImages } from "../images/prepare.js";
import { fileDiff } from "../repair/git-diff.js";
import { readFilesAtCommit } from "../repo/files.js";
import { RunStore } from "../store/run-store.js";
import type { ValidationRecord } from "../records/validation.js";
import { runValidateStage, type ValidateStageOptions } from "./stage.js";

const SLUG = "textkit/slug.py";
const REPRO_OK = `from textkit import slugify
out = slugify("Hello,  World!")
if out == "hello-world":
    print("Issue resolved")
elif out == "hello---world":
    print("Issue reproduced")
else:
    print("Other issues")
`;

let docker: Docker;
let work: string;
let textkit: Instance;
let durations: Instance;
let ledger: Instance;
let repoSources: Record<string, string>;
let slugAtBase: string;
let engines: EnginePool;
const runIds: string[] = [];
const runs: RunStore[] = [];

beforeAll(async () => {
  docker = await requireDocker();
  work = await mkdtemp(join(tmpdir(), "swerl-validate-"));
  const all = await loadSelectedInstances({ dataset: "demo" });
  textkit = all.find((i) => i.instance_id === "swerl-demo__textkit-1")!;
  durations = all.find((i) => i.instance_id === "swerl-demo__durations-1")!;
  ledger = all.find((i) => i.instance_id === "swerl-demo__ledger-1")!;
  await ensureDemoImages(docker, [textkit, durations], "none");
  repoSources = (await buildDemoBenchmark()).repoSources;
  slugAtBase = (await readFilesAtCommit(repoSources[textkit.repo]!, textkit.base_commit, [SLUG]))[SLUG]!;
  engines = new EnginePool([{ host: "", workers: 2 }]);
}, 120_000);

afterAll(async () => {
  engines?.close();
  for (const run of runs) await run.finish("success");
  for (const id of runIds) await removeRunContainers(docker, id);
  if (work) await rm(work, { recursive: true, force: true });
});

/** A patch of slug.py that puts `code` at the top of the module (runs on import). */
const onImport = (code: string) =>
  fileDiff(SLUG, slugAtBase, slugAtBase.replace("import re\n", `import re\n${code}\n`));

async function openRun(name: string): Promise<RunStore> {
  const runId = `validate-${name}-${process.pid}`;
  runIds.push(runId);
  const run = await RunStore.open({
    runId,
    command: "validate",
    config: { test: runId },
    resultsDir: join(work, "results"),
  });
  runs.push(run);
  return run;
}

async function writeInputs(run: RunStore, patches: string[], withTests = true): Promise<void> {
  for (const [sample, patch] of patches.entries())
    await run.append("repair", { instance_id: textkit.instance_id, sample, patch });
  await run.append("repair", { instance_id: durations.instance_id, sample: 0, patch: durations.patch });
  await run.append("repair", { instance_id: ledger.instance_id, sample: 0, patch: ledger.patch });
  if (!withTests) return;
  await run.append("regression", {
    instance_id: textkit.instance_id,
    scope: "touched",
    test_files: ["tests/test_slug.py"],
    command: "pytest -rA tests/test_slug.py",
    log_parser: "parse_log_pytest",
    passing_tests: [],
    failing_on_original: [],
    dropped_by_model: [],
    selected_tests: [
      "tests/test_slug.py::test_simple",
      "tests/test_slug.py::test_accents",
      "tests/test_slug.py::test_custom_separator",
    ],
    duration_ms: 0,
    error: null,
    created_at: new Date().toISOString(),
  });
  await run.append("reproduction_tests", {
    instance_id: textkit.instance_id,
    samples: 3,
    reproducing: 3,
    top_tests: 2,
    tests: [
      { test_id: "repro-aaaaaaaaaaaa", script: REPRO_OK, votes: 2, samples: [0, 1] },
      { test_id: "repro-bbbbbbbbbbbb", script: "print('Other issues')\n", votes: 1, samples: [2] },
      { test_id: "repro-cccccccccccc", script: "print('Issue resolved')\n", votes: 1, samples: [3] }, // beyond top_tests: never run
    ],
  });
}

const stageOptions = (run: RunStore, over: Partial<ValidateStageOptions> = {}): ValidateStageOptions => ({
  run,
  instances: [textkit, durations, ledger],
  engines,
  repoSources: { [textkit.repo]: repoSources[textkit.repo]!, [durations.repo]: repoSources[durations.repo]! }, // none for ledger: it fails
  namespace: "none",
  isolation: "reuse",
  limits: { memoryBytes: 512 * 1024 ** 2, pidsLimit: 256 },
  // Far above what each step needs (seconds): under heavy load a reinstall (pip) took over 20 s,
  // and no test here but the adversarial one is about a step reaching its limit.
  regressionTimeoutS: 120,
  testTimeoutS: 60,
  ...over,
});

/** Records in file order, or (sorted) by instance then earliest sample. */
async function records(run: RunStore, sorted = true): Promise<ValidationRecord[]> {
  const out: ValidationRecord[] = [];
  for await (const r of run.records<ValidationRecord>("validation")) out.push(r);
  return sorted ? out.sort((a, b) => a.instance_id.localeCompare(b.instance_id) || a.samples[0]! - b.samples[0]!) : out;
}

describe("validate stage", () => {
  it("validates each unique patch once; gold passes, a breaking patch fails; missing inputs give nulls; resume", async () => {
    const run = await openRun("basic");
    const gold = textkit.patch;
    const goldWithComment = gold.replace(/^\+(.*re\.sub.*)$/m, "+$1  # collapse runs");
    expect(goldWithComment).not.toBe(gold);
    const breaking = fileDiff(
      SLUG,
      slugAtBase,
      slugAtBase.replace("return text.strip(separator)", "return text.strip(separator).upper()"),
    );
    await writeInputs(run, [gold, "", goldWithComment, breaking]);
    const { summary } = await runValidateStage(stageOptions(run));
    expect(summary.failed_instances[ledger.instance_id]).toMatch(/no local repository/);
    const recs = await records(run);
    const tk = recs.filter((r) => r.instance_id === textkit.instance_id);
    expect(tk.map((r) => r.samples)).toEqual([[0, 2], [3]]);
    expect(tk[0]).toMatchObject({
      applied: true,
      apply_method: "git apply --verbose",
      regression_failures: 0,
      regression_failed_tests: [],
      reproduction_passed: ["repro-aaaaaaaaaaaa"],
      reproduction_outcomes: { "repro-aaaaaaaaaaaa": "resolved", "repro-bbbbbbbbbbbb": "other" },
      violation: null,
      timed_out: false,
      error: null,
      patch: gold,
      isolation: "reuse",
    });
    expect(tk[1]).toMatchObject({
      applied: true,
      regression_failures: 3,
      reproduction_passed: [],
      reproduction_outcomes: { "repro-aaaaaaaaaaaa": "other", "repro-bbbbbbbbbbbb": "other" },
      violation: null,
    });
    expect(tk[0]!.timings_ms.regression).toBeGreaterThan(0);
    const du = recs.filter((r) => r.instance_id === durations.instance_id);
    expect(du).toHaveLength(1);
    expect(du[0]).toMatchObject({ applied: true, regression_failures: null, reproduction_passed: null, error: null });

    // Resume: nothing runs again; a new sample with the gold patch only updates the sample list.
    await run.append("repair", { instance_id: textkit.instance_id, sample: 4, patch: gold });
    const again = await runValidateStage(stageOptions(run));
    expect(again.summary).toMatchObject({ validated: 0, reused: 3 });
    const last = (await records(run, false)).at(-1)!;
    expect(last).toMatchObject({
      instance_id: textkit.instance_id,
      patch_id: tk[0]!.patch_id,
      samples: [0, 2, 4],
      regression_failures: 0,
    });
  }, 120_000);

  it("contains adversarial patches: each recorded as that patch's failure, the next one validated in a clean tree", async () => {
    const run = await openRun("adversarial");
    const adversarial = [
      onImport("open('/usr/local/lib/swerl-evil.txt', 'w').write('x')"),
      onImport(
        "import os, time\nfor _ in range(400):\n    try:\n        if os.fork() == 0:\n            time.sleep(60)\n            os._exit(0)\n    except OSError:\n        break",
      ),
      onImport("import time\ntime.sleep(3600)"),
      onImport("import socket\nsocket.create_connection(('127.0.0.1', 9), timeout=2)"),
      textkit.patch,
    ];
    await writeInputs(run, adversarial);
    await runValidateStage(
      stageOptions(run, {
        instances: [textkit],
        // The hanging patch costs these limits (and the fork bomb may), so they stay short, yet
        // several times what the gold and refused-connection patches' steps take at load 20.
        testTimeoutS: 5,
        regressionTimeoutS: 15,
        limits: { memoryBytes: 512 * 1024 ** 2, pidsLimit: 128 },
      }),
    );
    const tk = await records(run);
    expect(tk.map((r) => r.samples)).toEqual([[0], [1], [2], [3], [4]]);
    const [write, bomb, hang, net, gold] = tk; // a memory hog: see src/testbed/testbed.test.ts
    expect(write!.violation).toMatch(/wrote outside the tree: .*\/usr\/local\/lib\/swerl-evil.txt/);
    expect(write!.regression_failures).toBeNull();
    // On a loaded machine a fork bomb may reach its step's time limit before the process limit:
    // either way it is contained and the patch gets no regression result.
    expect(bomb!.violation?.match(/process limit/) || bomb!.timed_out).toBeTruthy();
    expect(bomb!.regression_failures).toBeNull();
    expect(hang!).toMatchObject({
      timed_out: true,
      regression_failures: null,
      reproduction_passed: [],
      reproduction_outcomes: { "repro-aaaaaaaaaaaa": "timed_out", "repro-bbbbbbbbbbbb": "other" },
    });
    expect(net!).toMatchObject({ violation: null, regression_failures: 3, reproduction_passed: [] }); // refused on import: every test errors
    expect(gold!).toMatchObject({
      violation: null,
      timed_out: false,
      regression_failures: 0,
      reproduction_passed: ["repro-aaaaaaaaaaaa"],
    });
  }, 600_000); // 42 s in a quiet CI, 173 s at load 15

  it("isolation container gives the same results", async () => {
    const run = await openRun("container");
    const breaking = fileDiff(
      SLUG,
      slugAtBase,
      slugAtBase.replace("return text.strip(separator)", "return text.strip(separator).upper()"),
    );
    await writeInputs(run, [textkit.patch, breaking]);
    await runValidateStage(stageOptions(run, { instances: [textkit], isolation: "container" }));
    const tk = await records(run);
    expect(tk.map((r) => [r.isolation, r.regression_failures, r.reproduction_passed])).toEqual([
      ["container", 0, ["repro-aaaaaaaaaaaa"]],
      ["container", 3, []],
    ]);
    // The harness's way: textkit's install step runs after every patch.
    expect(tk.map((r) => r.reinstall_exit)).toEqual([0, 0]);
    expect(tk[0]!.timings_ms.install).toBeGreaterThan(0);
  }, 300_000);

  it("reinstalls after a patch to the packaging (in a container of its own); pure-Python patches reuse the installed tree", async () => {
    const run = await openRun("reinstall");
    // The console script exists only once the package is installed again with the patched pyproject.toml.
    const pyproject = (await readFilesAtCommit(repoSources[textkit.repo]!, textkit.base_commit, ["pyproject.toml"]))[
      "pyproject.toml"
    ]!;
    const withScript = fileDiff(
      "pyproject.toml",
      pyproject,
      pyproject.replace(
        "[tool.setuptools]",
        '[project.scripts]\ntextkit-slug = "textkit:slugify"\n\n[tool.setuptools]',
      ),
    );
    const breaking = fileDiff(
      SLUG,
      slugAtBase,
      slugAtBase.replace("return text.strip(separator)", "return text.strip(separator).upper()"),
    );
    for (const [sample, patch] of [withScript, textkit.patch, breaking].entries())
      await run.append("repair", { instance_id: textkit.instance_id, sample, patch });
    await run.append("reproduction_tests", {
      instance_id: textkit.instance_id,
      samples: 1,
      reproducing: 1,
      top_tests: 1,
      tests: [
        {
          test_id: "repro-dddddddddddd",
          script: "import shutil\nprint('Issue resolved' if shutil.which('textkit-slug') else 'Issue reproduced')\n",
          votes: 1,
          samples: [0],
        },
      ],
    });
    const { summary } = await runValidateStage(stageOptions(run, { instances: [textkit] }));
    expect(summary).toMatchObject({ validated: 3, reinstalled: 1, violations: 0 });
    const tk = await records(run);
    expect(tk.map((r) => r.samples)).toEqual([[0], [1], [2]]);
    // Installed into site-packages and /usr/local/bin: not a violation, and gone for the next patches.
    expect(tk[0]).toMatchObject({
      applied: true,
      reinstall_exit: 0,
      violation: null,
      reproduction_passed: ["repro-dddddddddddd"],
    });
    expect(tk[1]).toMatchObject({
      violation: null,
      reproduction_passed: [],
      reproduction_outcomes: { "repro-dddddddddddd": "reproduced" },
    });
    expect(tk[1]!.reinstall_exit).toBeUndefined();
    expect(tk[2]).toMatchObject({ violation: null, reproduction_passed: [] });

    // A record from before reinstalls existed (no reinstall_exit) is validated again when one is due now.
    const { reinstall_exit: _dropped, ...old } = tk[0]!;
    await run.append("validation", old);
    const again = await runValidateStage(stageOptions(run, { instances: [textkit] }));
    expect(again.summary).toMatchObject({ validated: 1, reused: 2, reinstalled: 1 });
  }, 300_000);

  it("an instance whose regression record selected no test: nothing is run, an applied patch fails none of them (0)", async () => {
    const run = await openRun("no-signal");
    const breaking = fileDiff(
      SLUG,
      slugAtBase,
      slugAtBase.replace("return text.strip(separator)", "return text.strip(separator).upper()"),
    );
    for (const [sample, patch] of [textkit.patch, breaking].entries())
      await run.append("repair", { instance_id: textkit.instance_id, sample, patch });
    await run.append("regression", {
      instance_id: textkit.instance_id,
      scope: "directives",
      test_files: ["tests/test_slug.py"],
      command: "pytest -rA tests/test_slug.py",
      log_parser: "parse_log_pytest",
      passing_tests: [],
      failing_on_original: [],
      dropped_by_model: [],
      selected_tests: [],
      no_signal: "no test passes on the original code",
      duration_ms: 0,
      error: null,
      created_at: new Date().toISOString(),
    });
    await runValidateStage(stageOptions(run, { instances: [textkit] }));
    const tk = await records(run);
    expect(tk).toHaveLength(2);
    for (const r of tk)
      expect(r).toMatchObject({ applied: true, regression_failures: 0, regression_failed_tests: [], error: null });
    for (const r of tk) expect(r.timings_ms.regression).toBe(0);
  }, 120_000);

  it("strict verdict reads the whole log (stdout and all of stderr, merged); lenient reads stdout", async () => {
    // "Other issues" first on stderr, then more than the 4,000-byte tail the lenient mode keeps
    const LOUD = 'import sys\nprint("Issue resolved")\nsys.stderr.write("Other issues\\n" + "x" * 6000 + "\\n")\n';
    const outcomes: Record<string, unknown> = {};
    for (const verdict of ["strict", "lenient"] as const) {
      const run = await openRun(`verdict-${verdict}`);
      await run.append("repair", { instance_id: textkit.instance_id, sample: 0, patch: textkit.patch });
      await run.append("reproduction_tests", {
        instance_id: textkit.instance_id,
        samples: 1,
        reproducing: 1,
        top_tests: 1,
        tests: [{ test_id: "repro-dddddddddddd", script: LOUD, votes: 1, samples: [0] }],
      });
      await runValidateStage(stageOptions(run, { instances: [textkit], verdict }));
      outcomes[verdict] = (await records(run))[0]!.reproduction_outcomes["repro-dddddddddddd"];
    }
    expect(outcomes).toEqual({ strict: "other", lenient: "resolved" });
  }, 120_000);
});
