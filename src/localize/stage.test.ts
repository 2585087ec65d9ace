// The whole localization stage on the demo benchmark: real git repos, real tree-sitter maps,
// the real run store, the oracle policy through the model protocol. Then `swerl repair
// --locations localized` reads those records.
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { validateConfig } from "../config/load.js";
import { configSchema } from "../config/schema.js";
import { localizeSamplingParams } from "../stage-common/sampling.js";
import { repairSystemPrompt } from "../repair/prompts.js";
import { loadDataset } from "../dataset/load.js";
import type { Instance } from "../dataset/schema.js";
import { buildDemoBenchmark, type DemoBenchmark } from "../demo/build.js";
import { createModelProvider } from "../model/factory.js";
import type { ModelProvider } from "../model/types.js";
import { repairCommand } from "../repair/command.js";
import { oracleLookupFromRepos } from "../stage-common/oracle-lookup.js";
import type { RepairRecord } from "../records/repair.js";
import { mapCommit } from "../repomap/build.js";
import { RepoStore } from "../repo/store.js";
import { RunStore } from "../store/run-store.js";
import { localizeCommand } from "./command.js";
import { goldLocalizationFiles } from "../records/localization-metrics.js";
import { buildLocalizationPrompt, localizationMessages, promptHash, promptSettings } from "./prompt.js";
import { recordKey, type LocalizeRecord } from "../records/localization.js";
import { InstanceRepos, planRepos } from "./repos.js";
import { LOCATION_SETS_FILE, runLocalizeStage, type LocalizeStageOptions } from "./stage.js";

let work: string;
let bench: DemoBenchmark;
let instances: Instance[];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "swerl-localize-stage-"));
  bench = await buildDemoBenchmark(join(work, "demo"));
  instances = await loadDataset(bench.datasetPath);
}, 300_000);
const opened: RunStore[] = [];
afterAll(async () => {
  for (const run of opened) await run.finish("success");
  await rm(work, { recursive: true, force: true });
});

function oracle(): ModelProvider {
  const config = configSchema.parse({ model: { provider: "oracle", name: "oracle" } });
  return createModelProvider(config.model, { oracleLookup: oracleLookupFromRepos(instances, bench.repoSources) });
}

async function openRun(runId: string): Promise<RunStore> {
  const run = await RunStore.open({
    runId,
    command: "localize",
    config: { test: runId },
    resultsDir: join(work, "results"),
  });
  opened.push(run);
  return run;
}

function stageOptions(run: RunStore, over: Partial<LocalizeStageOptions> = {}): LocalizeStageOptions {
  return {
    run,
    instances,
    provider: oracle(),
    repos: InstanceRepos.local(bench.repoSources),
    samples: 3,
    maxFiles: 5,
    params: { temperature: 1, top_p: 1, max_tokens: 1024 },
    seed: 5,
    concurrency: 4,
    map: { cacheDir: join(work, "map-cache") },
    ...over,
  };
}

const readRecords = async (path: string): Promise<LocalizeRecord[]> =>
  (await readFile(path, "utf8"))
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as LocalizeRecord);

/** An oracle whose answers are rewritten per sample. */
function rewriting(rewrite: (text: string, sample: number) => string | null): ModelProvider {
  const inner = oracle();
  return {
    name: "rewriting",
    kind: "openai",
    async complete(req) {
      const r = await inner.complete(req);
      if (!r.ok) return r;
      const text = rewrite(r.text, req.sampleIndex);
      return text === null
        ? { ok: false, reason: "http_503", message: "overloaded", latencyMs: 1, attempts: 7 }
        : { ...r, text };
    },
  };
}

describe("localize stage on the demo benchmark (oracle)", () => {
  let run: RunStore;
  let records: LocalizeRecord[];
  let result: Awaited<ReturnType<typeof runLocalizeStage>>;

  beforeAll(async () => {
    run = await openRun("oracle");
    result = await runLocalizeStage(stageOptions(run));
    records = await readRecords(run.stagePath("localization"));
  }, 120_000);

  it("finds every instance's gold files in every sample: any-hit and all-hit 1.0", () => {
    expect(result.ran).toBe(instances.length * 3);
    expect(records).toHaveLength(instances.length * 3);
    for (const r of records) {
      const inst = instances.find((i) => i.instance_id === r.instance_id)!;
      expect(r).toMatchObject({
        stage: "localize",
        model: "oracle",
        provider: "oracle",
        status: "ok",
        error: null,
        thinking: true,
        fenced: true,
        greedy: false,
      });
      expect(r.found_files).toEqual(goldLocalizationFiles(inst.patch));
    }
    expect(result.summary.metrics).toMatchObject({
      instances: instances.length,
      any_hit: 1,
      all_hit: 1,
      mean_set_size: 1,
      not_localized: [],
      no_gold: [],
    });
    expect(result.summary).toMatchObject({
      instances: instances.length,
      samples: 15,
      answered: 15,
      model_errors: 0,
      unique_sets_per_instance: 1,
      oracle_used: true,
    });
  });

  it("records each sample's prompt settings and the hash of exactly the prompt built from the repo map", async () => {
    for (const inst of instances) {
      const map = await mapCommit(bench.repoSources[inst.repo]!, inst.base_commit, { cacheDir: false });
      const mine = records.filter((r) => r.instance_id === inst.instance_id).sort((a, b) => a.sample - b.sample);
      expect(mine.map((r) => r.sample)).toEqual([0, 1, 2]);
      for (const r of mine) {
        const settings = promptSettings({
          seed: 5,
          instanceId: inst.instance_id,
          sample: r.sample,
          samples: 3,
          maxFiles: 5,
        });
        expect({ n: r.n, indent: r.indent, shuffle_seed: r.shuffle_seed }).toEqual({
          n: settings.n,
          indent: settings.indent,
          shuffle_seed: settings.shuffleSeed,
        });
        expect(r.prompt_hash).toBe(
          promptHash(localizationMessages(buildLocalizationPrompt(map, inst.repo, inst.problem_statement, settings))),
        );
        expect(r.listed_files).toBe(4); // package/__init__.py and two modules, plus conftest.py; tests left out
      }
      expect(new Set(mine.map((r) => r.prompt_hash)).size).toBe(3);
    }
  });

  it("consolidates the records into unique location sets beside them", async () => {
    const sets = JSON.parse(await readFile(run.path(LOCATION_SETS_FILE), "utf8")) as Record<string, string[][]>;
    expect(sets).toEqual(Object.fromEntries(instances.map((i) => [i.instance_id, [goldLocalizationFiles(i.patch)]])));
  });

  it("resumes: a second call runs nothing; an interrupted run completed later equals an uninterrupted one", async () => {
    expect((await runLocalizeStage(stageOptions(run))).ran).toBe(0);
    const part = await openRun("interrupted");
    let started = 0;
    const first = await runLocalizeStage(stageOptions(part, { concurrency: 1, shouldStop: () => ++started > 6 }));
    expect(first.interrupted).toBe(true);
    expect(first.ran).toBeGreaterThan(0);
    expect(first.ran).toBeLessThan(15);
    const second = await runLocalizeStage(stageOptions(part));
    expect(second.ran).toBe(15 - first.ran);
    const strip = (r: LocalizeRecord) => ({ ...r, latency_ms: 0, created_at: "" });
    const full = new Map(records.map((r) => [recordKey(r.instance_id, r.sample), strip(r)]));
    const resumed = await readRecords(part.stagePath("localization"));
    expect(resumed).toHaveLength(15);
    for (const r of resumed) expect(strip(r)).toEqual(full.get(recordKey(r.instance_id, r.sample)));
  });
});

describe.each(["swe-rl", "agentless", "swerl"] as const)(
  "localize stage in profile %s (its parser, answer part, sampling)",
  (profile) => {
    it("finds the gold files in every sample; temperatures as the profile says", async () => {
      const config = validateConfig({ profile, localize: { samples: 3 } }, "test");
      const inner = oracle();
      const temperatures: number[] = [];
      const provider: ModelProvider = {
        name: inner.name,
        kind: inner.kind,
        complete(req) {
          temperatures.push(req.params.temperature);
          return inner.complete(req);
        },
      };
      const run = await openRun(`profile-${profile}`);
      await runLocalizeStage(
        stageOptions(run, {
          provider,
          params: localizeSamplingParams(config),
          parser: config.localize.parser,
          thinking: repairSystemPrompt(config.model) === "swe-rl",
        }),
      );
      const records = await readRecords(run.stagePath("localization"));
      expect(records).toHaveLength(instances.length * 3);
      for (const r of records)
        expect(r.found_files).toEqual(
          goldLocalizationFiles(instances.find((i) => i.instance_id === r.instance_id)!.patch),
        );
      // agentless: the edit-location sets' 0.8; the others: model.temperature (1.0 by default)
      expect(new Set(temperatures)).toEqual(new Set([profile === "agentless" ? 0.8 : config.model.temperature]));
    });
  },
);

describe("localize stage: failures are recorded, never fatal", () => {
  it("records each failing answer with its reason and found_files []; failed calls with found_files null; --retry-failed reruns only those", async () => {
    const run = await openRun("failures");
    let failing = true;
    const provider = rewriting((text, s) => {
      if (s === 1) return text.replace(/```\n([^\n]+)\n```/, "```\n./$1:12 - where it breaks\nmissing/module.py\n```");
      if (s === 2) return text.replace(/```\n([^\n]+)\n```/, "```\nnot/there.py\n```");
      if (s === 3) return "<think>\nhmm\n</think>\n<solution>\n</solution>";
      if (s === 4) return failing ? null : text;
      if (s === 5) return "I would start from the parser.";
      return text;
    });
    const one = instances.filter((i) => i.instance_id === "swerl-demo__durations-1");
    const res = await runLocalizeStage(stageOptions(run, { instances: one, provider, samples: 6 }));
    const rs = (await readRecords(run.stagePath("localization"))).sort((a, b) => a.sample - b.sample);
    expect(rs.map((r) => r.status)).toEqual([
      "ok",
      "ok",
      "nonexistent_paths",
      "empty_answer",
      "model_error",
      "no_fenced_block",
    ]);
    expect(rs[1]).toMatchObject({
      found_files: ["durations/parse.py"],
      error: null,
      dropped: [{ path: "missing/module.py", reason: "not_in_repo" }],
    });
    expect(rs[2]).toMatchObject({ found_files: [], error: expect.stringContaining('"not/there.py"') });
    expect(rs[3]).toMatchObject({ found_files: [], error: "empty answer: nothing after the thought" });
    expect(rs[4]).toMatchObject({
      found_files: null,
      raw_output: null,
      model_error: "http_503",
      attempts: 7,
      error: "model call failed: http_503: overloaded",
    });
    expect(rs[5]).toMatchObject({ found_files: [], error: "no fenced block, and no line of the answer names a file" });
    expect(res.summary).toMatchObject({
      samples: 6,
      answered: 5,
      model_errors: 1,
      statuses: { ok: 2, nonexistent_paths: 1, empty_answer: 1, model_error: 1, no_fenced_block: 1 },
    });
    expect(res.summary.metrics.per_instance[0]).toMatchObject({ any_hit: true, samples: 6, mean_set_size: 2 / 6 });
    failing = false;
    const retried = await runLocalizeStage(
      stageOptions(run, { instances: one, provider, samples: 6, retryFailed: true }),
    );
    expect(retried.ran).toBe(1);
    expect(retried.summary.model_errors).toBe(0);
  });

  it("skips an instance whose repository or commit is missing, naming why, and goes on", async () => {
    const run = await openRun("skips");
    const [textkit, ledger] = [
      instances.find((i) => i.repo.endsWith("textkit"))!,
      instances.find((i) => i.repo.endsWith("ledger"))!,
    ];
    const ghost = { ...ledger, instance_id: "swerl-demo__ledger-99", base_commit: "f".repeat(40) };
    const res = await runLocalizeStage(
      stageOptions(run, {
        instances: [textkit, ledger, ghost],
        repos: InstanceRepos.local({
          [textkit.repo]: bench.repoSources[textkit.repo]!,
          [ledger.repo]: bench.repoSources[ledger.repo]!,
        }),
      }),
    );
    expect(res.summary.skipped_instances).toEqual({
      [ghost.instance_id]: expect.stringMatching(/^base_commit f{40} is not in /),
    });
    const without = await runLocalizeStage(
      stageOptions(await openRun("skips-2"), {
        instances: [textkit, ledger],
        repos: InstanceRepos.local({ [textkit.repo]: bench.repoSources[textkit.repo]! }),
      }),
    );
    expect(without.summary.skipped_instances).toEqual({
      [ledger.instance_id]: `no local git repository for ${ledger.repo}`,
    });
    expect(without.summary.metrics).toMatchObject({
      instances: 2,
      any_hit_count: 1,
      not_localized: [ledger.instance_id],
    });
  });
});

describe("repositories", () => {
  it("--clone: a repo given by URL is cloned once into the repo cache, then localized", async () => {
    const textkit = instances.filter((i) => i.repo.endsWith("textkit"));
    const repo = textkit[0]!.repo;
    const url = `file://${bench.repoSources[repo]}`;
    expect(() => planRepos([repo], { [repo]: url }, { clone: false })).toThrow(/is a URL: add --clone/);
    const plan = planRepos([repo], { [repo]: url }, { clone: true });
    expect(plan).toEqual({ local: {}, clone: { [repo]: url } });
    const store = new RepoStore({ root: join(work, "repo-cache"), repoSources: { [repo]: url } });
    try {
      const res = await runLocalizeStage(
        stageOptions(await openRun("cloned"), { instances: textkit, repos: new InstanceRepos(plan, store) }),
      );
      expect(store.stats.clones).toBe(1);
      expect(existsSync(store.bareDir(repo))).toBe(true);
      expect(res.summary.metrics).toMatchObject({ instances: 2, any_hit: 1 });
    } finally {
      await store.close();
    }
  });

  it("without --clone, a repo with no local repository is an error naming it", () => {
    expect(() => planRepos(["o/absent"], {}, { clone: false })).toThrow(/no local git repository for o\/absent/);
    expect(planRepos(["o/absent"], {}, { clone: true })).toEqual({ local: {}, clone: { "o/absent": undefined } });
  });
});

describe("swerl localize, then swerl repair --locations localized", () => {
  it("localizes with the command, prints the metrics, and repair uses the localized sets", async () => {
    const results = join(work, "cli-results");
    const config = join(work, "cli.yaml");
    await writeFile(
      config,
      [
        "model: {provider: oracle, name: oracle, concurrency: 4}",
        "localize: {samples: 2}",
        "repair: {samples: 2, locations: localized}",
      ].join("\n") + "\n",
    );
    const out: string[] = [];
    const write = vi.spyOn(process.stdout, "write").mockImplementation((s) => {
      out.push(String(s));
      return true;
    });
    try {
      await localizeCommand().parseAsync(
        [
          "--dataset",
          bench.datasetPath,
          "-c",
          config,
          "--run-id",
          "cli",
          "--results-dir",
          results,
          "--map-cache",
          join(work, "map-cache"),
        ],
        { from: "user" },
      );
      expect(out.join("")).toMatch(/any-hit 100\.0% \(5\/5\), all-hit 100\.0% \(5\/5\), mean set size 1\.00/);
      out.length = 0;
      await repairCommand().parseAsync(
        ["--dataset", bench.datasetPath, "-c", config, "--run-id", "cli", "--results-dir", results, "--json"],
        { from: "user" },
      );
    } finally {
      write.mockRestore();
    }
    const summary = JSON.parse(out.join("")) as { samples: number; mean_reward: number; skipped_instances: object };
    expect(summary).toMatchObject({ samples: 10, mean_reward: 1, skipped_instances: {} });
    const repairs = (await readFile(join(results, "cli", "repair.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as RepairRecord);
    const localized = await readRecords(join(results, "cli", "localization.jsonl"));
    expect(localized).toHaveLength(10);
    for (const r of repairs) {
      const loc = localized.find((l) => l.instance_id === r.instance_id)!;
      expect(r).toMatchObject({ locations: "localized", location_set: loc.found_files, status: "ok", reward: 1 });
    }
    const manifest = JSON.parse(await readFile(join(results, "cli", "run.json"), "utf8")) as { status: string };
    expect(manifest.status).toBe("success");
    const usage = JSON.parse(await readFile(join(results, "cli", "usage.json"), "utf8")) as Record<string, unknown>;
    expect(Object.keys(usage).sort()).toEqual(["localize", "repair"]);
  }, 120_000);
});

describe("swerl localize: bad input", () => {
  const run = (args: string[]) =>
    localizeCommand().parseAsync(["--dataset", bench.datasetPath, "--results-dir", join(work, "bad"), ...args], {
      from: "user",
    });
  it("names what is wrong", async () => {
    await expect(run(["--run-id", "x", "--samples", "0"])).rejects.toThrow(
      '--samples must be a whole number ≥ 1 (got "0")',
    );
    await expect(run([])).rejects.toThrow("localize needs a run id: --run-id R (or run_id in the config)");
    await expect(run(["--run-id", "x", "--repo-source", "swerl-demo/textkit"])).rejects.toThrow(
      "--repo-source expects REPO=VALUE",
    );
    await expect(
      run(["--run-id", "x", "--repo-source", `swerl-demo/textkit=${join(work, "nowhere")}`]),
    ).rejects.toThrow(/swerl-demo\/textkit=.*nowhere: not a git repository/);
    expect(existsSync(join(work, "bad", "x"))).toBe(false);
  });
});
