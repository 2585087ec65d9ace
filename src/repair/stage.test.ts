// The whole repair stage on the demo benchmark (real git repos, real SWE-bench rows) with the
// oracle policy through the real pipeline: prompts, the model protocol, parsing, applying,
// diffs checked with `git apply` at base_commit, rewards checked against an independent Python
// statement of the SWE-RL reward (test/support/reward/reference.py) on files git itself patched.
import { rawOutputOf } from "../store/raw-output.js";
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configSchema } from "../config/schema.js";
import { loadDataset } from "../dataset/load.js";
import type { Instance } from "../dataset/schema.js";
import { buildDemoBenchmark, type DemoBenchmark } from "../demo/build.js";
import { createModelProvider } from "../model/factory.js";
import type { ModelProvider } from "../model/types.js";
import { runPythonReference } from "../../test/support/reward/run-python.js";
import { RunStore } from "../store/run-store.js";
import { PROFILE_TABLE } from "../config/profile.js";
import { goldPatchFiles } from "../records/locations.js";
import { oracleLookupFromRepos } from "../stage-common/oracle-lookup.js";
import { recordKey, type RepairRecord } from "../records/repair.js";
import { runRepairStage, type RepairStageOptions } from "./stage.js";

const sh = (cwd: string, args: string[], input?: string) =>
  execFileSync("git", args, { cwd, input, encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] });

let work: string;
let bench: DemoBenchmark;
let instances: Instance[];
const checkouts = new Map<string, string>();

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "swerl-repair-stage-"));
  bench = await buildDemoBenchmark(join(work, "demo"));
  instances = await loadDataset(bench.datasetPath);
  for (const inst of instances) {
    const dir = join(work, "checkout", inst.instance_id);
    sh(work, ["clone", "-q", bench.repoSources[inst.repo], dir]);
    sh(dir, ["checkout", "-q", inst.base_commit]);
    checkouts.set(inst.instance_id, dir);
  }
}, 300_000);
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const NOISE = { wrong_edit_rate: 0.3, format_error_rate: 0.2, noop_rate: 0.15, seed: 3 };

function oracle(rates = NOISE): ModelProvider {
  const config = configSchema.parse({ model: { provider: "oracle", name: "oracle", oracle: rates } });
  return createModelProvider(config.model, { oracleLookup: oracleLookupFromRepos(instances, bench.repoSources) });
}

async function openRun(runId: string): Promise<RunStore> {
  return RunStore.open({ runId, command: "repair", config: { test: runId }, resultsDir: join(work, "results") });
}

function stageOptions(run: RunStore, over: Partial<RepairStageOptions> = {}): RepairStageOptions {
  return {
    run,
    instances,
    provider: oracle(),
    repoSources: bench.repoSources,
    samples: 8,
    maxInputTokens: 60_000,
    locations: "gold",
    params: { temperature: 1, top_p: 1, max_tokens: 4096 },
    seed: 0,
    concurrency: 4,
    ...over,
  };
}

const readRecords = async (run: RunStore): Promise<RepairRecord[]> =>
  (await readFile(run.stagePath("repair"), "utf8"))
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as RepairRecord);

/** `git apply --check` then `git apply` in the instance's checkout; the patched files; reset. */
function applyInCheckout(instanceId: string, patch: string, paths: string[]): Record<string, string> {
  const dir = checkouts.get(instanceId)!;
  try {
    sh(dir, ["apply", "--check", "-"], patch);
    sh(dir, ["apply", "-"], patch);
    return Object.fromEntries(paths.map((p) => [p, execFileSync("cat", [join(dir, p)], { encoding: "utf8" })]));
  } finally {
    sh(dir, ["checkout", "-q", "--", "."]);
  }
}

const gitShow = (inst: Instance, path: string) =>
  sh(bench.repoSources[inst.repo], ["show", `${inst.base_commit}:${path}`]);

describe("repair stage on the demo benchmark (oracle policy, gold locations)", () => {
  let run: RunStore;
  let records: RepairRecord[];

  beforeAll(async () => {
    run = await openRun("gold-noise");
    const result = await runRepairStage(stageOptions(run));
    expect(result.ran).toBe(instances.length * 8);
    records = await readRecords(run);
  }, 300_000);

  it("writes one record per (instance, sample), with the gold files as the location set", () => {
    expect(records).toHaveLength(instances.length * 8);
    expect(new Set(records.map((r) => recordKey(r.instance_id, r.sample))).size).toBe(records.length);
    for (const r of records) {
      const inst = instances.find((i) => i.instance_id === r.instance_id)!;
      expect(r).toMatchObject({
        stage: "repair",
        model: "oracle",
        provider: "oracle",
        locations: "gold",
        location_set_index: 0,
      });
      expect(r.location_set).toEqual(goldPatchFiles(inst.patch));
      expect([...r.context_files].sort()).toEqual([...r.location_set].sort());
      expect(r.omitted_files).toEqual([]);
      expect(r.context_tokens).toBeGreaterThan(10);
      expect(r.oracle_variant).not.toBeNull();
      expect(r.raw_output).toBeUndefined(); // compressed by default: raw_output_gz
      expect(rawOutputOf(r)).toMatch(/<solution>|SEARCH/);
    }
    const variants = new Set(records.map((r) => r.oracle_variant!.split(":")[0]));
    expect(variants).toEqual(new Set(["correct", "wrong_edit", "format_error", "noop"]));
  });

  it("correct oracle samples: reward 1.0, strict format ok, and a patch git applies at base_commit giving the gold files", () => {
    const correct = records.filter((r) => r.oracle_variant === "correct");
    expect(correct.length).toBeGreaterThan(3);
    for (const r of correct) {
      const inst = instances.find((i) => i.instance_id === r.instance_id)!;
      expect(r).toMatchObject({
        reward: 1,
        format_ok: true,
        format_error: null,
        status: "ok",
        error: null,
        raw_patch: null,
      });
      expect(r.thought_length).toBeGreaterThan(0);
      const paths = goldPatchFiles(inst.patch);
      expect(applyInCheckout(r.instance_id, r.patch, paths)).toEqual(applyInCheckout(r.instance_id, inst.patch, paths));
    }
  });

  it("format-error samples get -1 and a reason; no-ops give an empty patch; wrong edits score below 1", () => {
    const formatErrors = records.filter((r) => r.oracle_variant!.startsWith("format_error"));
    expect(formatErrors.length).toBeGreaterThan(0);
    for (const r of formatErrors)
      expect(r).toMatchObject({ reward: -1, format_ok: false, format_error: expect.any(String) });
    const noops = records.filter((r) => r.oracle_variant === "noop");
    expect(noops.length).toBeGreaterThan(0);
    for (const r of noops) {
      expect(r).toMatchObject({ status: "empty_patch", patch: "" });
      expect(r.raw_patch).toMatch(/^diff --git /);
    }
    const wrong = records.filter((r) => r.oracle_variant === "wrong_edit");
    expect(wrong.length).toBeGreaterThan(0);
    for (const r of wrong) {
      expect(r.reward).toBeGreaterThanOrEqual(0);
      expect(r.reward).toBeLessThan(1);
      if (r.status === "ok") applyInCheckout(r.instance_id, r.patch, r.edited_files); // throws if git refuses it
    }
  });

  it("every reward equals the independent Python SWE-RL reward on git-patched gold files", () => {
    const cases = records.map((r) => {
      const inst = instances.find((i) => i.instance_id === r.instance_id)!;
      const gold = goldPatchFiles(inst.patch);
      const context = Object.fromEntries([...new Set([...r.context_files, ...gold])].map((p) => [p, gitShow(inst, p)]));
      return {
        op: "search_replace_reward",
        code_context: context,
        oracle_new_content: applyInCheckout(r.instance_id, inst.patch, gold),
        output: rawOutputOf(r),
      };
    });
    const answers = runPythonReference<{ reward: number }>(cases);
    records.forEach((r, i) =>
      expect({ id: r.instance_id, sample: r.sample, reward: r.reward }).toEqual({
        id: r.instance_id,
        sample: r.sample,
        reward: expect.closeTo(answers[i].reward, 12),
      }),
    );
  });

  it("summarizes: format-error rate, apply-error rate, mean reward, unique patches", async () => {
    const { summary, ran } = await runRepairStage(stageOptions(run)); // everything recorded: nothing runs
    expect(ran).toBe(0);
    const answered = records.length;
    expect(summary).toMatchObject({
      instances: instances.length,
      samples: records.length,
      model_errors: 0,
      answered,
      oracle_used: true,
    });
    expect(summary.format_errors).toBe(records.filter((r) => !r.format_ok).length);
    expect(summary.format_error_rate).toBeCloseTo(summary.format_errors / answered, 12);
    expect(summary.mean_reward).toBeCloseTo(records.reduce((s, r) => s + r.reward!, 0) / records.length, 12);
    const unique = new Map<string, Set<string>>();
    for (const r of records)
      if (r.patch) (unique.get(r.instance_id) ?? unique.set(r.instance_id, new Set()).get(r.instance_id)!).add(r.patch);
    expect(summary.unique_patches_per_instance).toBeCloseTo(
      [...unique.values()].reduce((s, u) => s + u.size, 0) / instances.length,
      12,
    );
  });
});

describe("repair stage: resume and localized location sets", () => {
  it("resumes after an interruption without duplicates, keeping the records already written", async () => {
    const run = await openRun("resume");
    let started = 0;
    const first = await runRepairStage(stageOptions(run, { concurrency: 2, shouldStop: () => ++started > 13 }));
    expect(first.interrupted).toBe(true);
    expect(first.ran).toBeGreaterThan(0);
    expect(first.ran).toBeLessThan(instances.length * 8);
    const before = await readRecords(run);
    expect(before).toHaveLength(first.ran);
    // a torn last line, as a kill -9 mid-write leaves it
    await writeFile(
      run.stagePath("repair"),
      (await readFile(run.stagePath("repair"), "utf8")) + '{"instance_id": "swerl-demo__dur',
    );
    const reopened = await openRun("resume");
    const second = await runRepairStage(stageOptions(reopened));
    expect(second.ran).toBe(instances.length * 8 - first.ran);
    const after = await readRecords(reopened);
    expect(after).toHaveLength(instances.length * 8);
    expect(new Set(after.map((r) => recordKey(r.instance_id, r.sample))).size).toBe(after.length);
    expect(after.slice(0, before.length)).toEqual(before);
    // the resumed samples are the ones a single uninterrupted run gives
    const fullRun = await openRun("resume-reference");
    await runRepairStage(stageOptions(fullRun));
    const full = await readRecords(fullRun);
    const strip = (r: RepairRecord) => ({ ...r, latency_ms: 0, created_at: "" });
    const byKey = new Map(full.map((r) => [recordKey(r.instance_id, r.sample), strip(r)]));
    for (const r of after) expect(strip(r)).toEqual(byKey.get(recordKey(r.instance_id, r.sample)));
  });

  it("de-duplicates localization sets, cycles them over the samples, shuffles file order per sample, skips unlocalized instances", async () => {
    const run = await openRun("localized");
    const inst = instances.find((i) => i.instance_id === "swerl-demo__durations-1")!;
    const setA = ["durations/parse.py", "durations/format.py", "durations/__init__.py"];
    const setB = ["durations/format.py", "durations/parse.py"];
    const loc = [
      { instance_id: inst.instance_id, sample: 0, found_files: setA, error: null },
      { instance_id: inst.instance_id, sample: 1, found_files: setA, error: null },
      { instance_id: inst.instance_id, sample: 2, found_files: [], error: null },
      { instance_id: inst.instance_id, sample: 3, found_files: null, error: "http_500" },
      { instance_id: inst.instance_id, sample: 4, found_files: setB, error: null },
    ];
    for (const r of loc) await run.append("localization", r);
    const other = instances.find((i) => i.instance_id === "swerl-demo__ledger-1")!;
    const result = await runRepairStage(
      stageOptions(run, {
        instances: [inst, other],
        locations: "localized",
        provider: oracle({ wrong_edit_rate: 0, format_error_rate: 0, noop_rate: 0, seed: 0 }),
      }),
    );
    expect(result.summary.skipped_instances).toEqual({
      [other.instance_id]: expect.stringMatching(/no localization records/),
    });
    const records = (await readRecords(run)).sort((a, b) => a.sample - b.sample);
    expect(records.map((r) => r.location_set_index)).toEqual([0, 1, 0, 1, 0, 1, 0, 1]);
    expect(records.map((r) => r.location_set)).toEqual([setA, setB, setA, setB, setA, setB, setA, setB]);
    const orders = new Set(records.filter((r) => r.location_set_index === 0).map((r) => r.context_files.join(",")));
    expect(orders.size).toBeGreaterThan(1);
    for (const r of records) {
      expect([...r.context_files].sort()).toEqual([...r.location_set].sort());
      expect(r.reward).toBe(1);
    }
    // the same seed gives the same orders on another run
    const again = await openRun("localized-again");
    for (const r of loc) await again.append("localization", r);
    await runRepairStage(
      stageOptions(again, {
        instances: [inst],
        locations: "localized",
        provider: oracle({ wrong_edit_rate: 0, format_error_rate: 0, noop_rate: 0, seed: 0 }),
      }),
    );
    const records2 = (await readRecords(again)).sort((a, b) => a.sample - b.sample);
    expect(records2.map((r) => r.context_files)).toEqual(records.map((r) => r.context_files));
  });

  it("per_set + agentless sampling (Agentless 1.5): every sample's set in turn, each set's first sample greedy, empty sets not asked", async () => {
    const run = await openRun("per-set");
    const inst = instances.find((i) => i.instance_id === "swerl-demo__durations-1")!;
    const setA = ["durations/parse.py", "durations/format.py", "durations/__init__.py"];
    const setB = ["durations/format.py", "durations/parse.py"];
    const sets = [setA, setA, [], null, setB];
    for (const [k, files] of sets.entries())
      await run.append("localization", {
        instance_id: inst.instance_id,
        sample: k,
        found_files: files,
        error: files ? null : "http_500",
      });
    const inner = oracle({ wrong_edit_rate: 0, format_error_rate: 0, noop_rate: 0, seed: 0 });
    const asked = new Map<number, { temperature: number; max_tokens: number; prompt: string }>();
    const spy: ModelProvider = {
      name: inner.name,
      kind: inner.kind,
      complete(req) {
        asked.set(req.sampleIndex, {
          temperature: req.params.temperature,
          max_tokens: req.params.max_tokens,
          prompt: req.messages.at(-1)!.content,
        });
        return inner.complete(req);
      },
    };
    await runRepairStage(
      stageOptions(run, {
        instances: [inst],
        locations: "localized",
        samples: 12,
        provider: spy,
        locationFill: "per_set",
        sampling: "agentless",
      }),
    );
    const records = (await readRecords(run)).sort((a, b) => a.sample - b.sample);
    expect(records.map((r) => r.location_set_index)).toEqual([0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1]);
    const empty = [2, 3, 7, 8];
    expect([...asked.keys()].sort((a, b) => a - b)).toEqual([0, 1, 4, 5, 6, 9, 10, 11]);
    for (const s of empty) {
      expect(records[s]).toMatchObject({ patch: "", location_set: [] });
      expect(rawOutputOf(records[s]!)).toBe("");
    }
    for (const [s, a] of asked) {
      expect(a.temperature).toBe(s < 5 ? 0 : 0.8);
      expect(a.max_tokens).toBe(1024);
      expect(records[s]!.context_files).toEqual(records[s]!.location_set); // one prompt per set: files as localized
      expect(records[s]!.reward).toBe(1);
    }
    expect(asked.get(5)!.prompt).toBe(asked.get(0)!.prompt);
  });

  it("records failed and throwing calls without stopping; --retry-failed runs only those again, the latest record wins", async () => {
    const run = await openRun("retry");
    const inner = oracle({ wrong_edit_rate: 0, format_error_rate: 0, noop_rate: 0, seed: 0 });
    let failing = true;
    const flaky: ModelProvider = {
      name: inner.name,
      kind: inner.kind,
      async complete(req) {
        if (failing && req.sampleIndex === 1)
          return { ok: false, reason: "timeout", message: "no answer in 600 s", latencyMs: 5 };
        if (failing && req.sampleIndex === 2) throw new Error("provider bug");
        return inner.complete(req);
      },
    };
    const first = await runRepairStage(stageOptions(run, { provider: flaky, samples: 3 }));
    expect(first.summary).toMatchObject({ samples: instances.length * 3, model_errors: instances.length * 2 });
    const failed = (await readRecords(run)).filter((r) => r.status === "model_error");
    expect(new Set(failed.map((r) => r.model_error))).toEqual(new Set(["timeout", "exception"]));
    expect(failed.find((r) => r.model_error === "exception")!.error).toBe("exception: provider bug");
    expect((await runRepairStage(stageOptions(run, { provider: flaky, samples: 3 }))).ran).toBe(0);
    failing = false;
    const retried = await runRepairStage(stageOptions(run, { provider: flaky, samples: 3, retryFailed: true }));
    expect(retried.ran).toBe(instances.length * 2);
    expect(retried.summary).toMatchObject({ samples: instances.length * 3, model_errors: 0, mean_reward: 1 });
    expect(await readRecords(run)).toHaveLength(instances.length * 5);
  });

  it("leaves a file over the token budget out of the prompt and records it", async () => {
    const run = await openRun("budget");
    const inst = instances.find((i) => i.instance_id === "swerl-demo__durations-1")!;
    const { countTokens, displayContent } = await import("./context.js");
    const tokensOf = (p: string) => countTokens(`### ${p}\n${displayContent(gitShow(inst, p))}`);
    const [small, big] = ["durations/parse.py", "durations/format.py"].sort((x, y) => tokensOf(x) - tokensOf(y));
    const [smallTokens, bigTokens] = [tokensOf(small), tokensOf(big)];
    expect(bigTokens).toBeGreaterThan(smallTokens);
    await run.append("localization", {
      instance_id: inst.instance_id,
      sample: 0,
      found_files: [big, small],
      error: null,
    });
    await runRepairStage(
      stageOptions(run, {
        instances: [inst],
        locations: "localized",
        samples: 2,
        maxInputTokens: bigTokens - 1,
        provider: oracle({ wrong_edit_rate: 0, format_error_rate: 0, noop_rate: 0, seed: 0 }),
      }),
    );
    for (const r of await readRecords(run)) {
      expect(r.context_files).toEqual([small]);
      expect(r.omitted_files).toEqual([{ path: big, tokens: bigTokens, reason: "over_budget" }]);
      expect(r.context_tokens).toBe(smallTokens);
      expect(rawOutputOf(r)).not.toBeNull();
    }
  });
});

describe.each(["swe-rl", "agentless", "swerl"] as const)(
  "repair stage in profile %s (its parser, syntax check, location fill, sampling)",
  (profile) => {
    const opt = (path: string) => PROFILE_TABLE[path]![profile];
    it("correct answers give the gold files; sets and temperatures follow the profile", async () => {
      const run = await openRun(`profile-${profile}`);
      const inst = instances.find((i) => i.instance_id === "swerl-demo__durations-1")!;
      const gold = goldPatchFiles(inst.patch);
      const sets = [
        [...gold, "durations/__init__.py"],
        gold,
        [...gold, "durations/__init__.py"],
        ["durations/__init__.py", ...gold],
      ];
      for (const [k, files] of sets.entries())
        await run.append("localization", { instance_id: inst.instance_id, sample: k, found_files: files, error: null });
      const inner = oracle({ wrong_edit_rate: 0.3, format_error_rate: 0.1, noop_rate: 0, seed: 5 });
      const temperature = new Map<number, number>();
      const spy: ModelProvider = {
        name: inner.name,
        kind: inner.kind,
        complete(req) {
          temperature.set(req.sampleIndex, req.params.temperature);
          return inner.complete(req);
        },
      };
      const fill = opt("repair.location_fill") as "cycle" | "per_set";
      const sampling = opt("repair.sampling") as "model" | "agentless";
      await runRepairStage(
        stageOptions(run, {
          instances: [inst],
          locations: "localized",
          samples: 8,
          provider: spy,
          locationFill: fill,
          sampling,
          parser: opt("repair.parser") as "strict" | "tolerant",
          syntaxCheck: opt("repair.syntax_check") as "strict" | "lenient",
          systemPrompt: opt("model.system_prompt") as string,
        }),
      );
      const records = (await readRecords(run)).sort((a, b) => a.sample - b.sample);
      expect(records).toHaveLength(8);
      // cycle: the 3 unique sets in turn; per_set: all 4 localization samples' sets in turn
      expect(records.map((r) => r.location_set_index)).toEqual(
        fill === "per_set" ? [0, 1, 2, 3, 0, 1, 2, 3] : [0, 1, 2, 0, 1, 2, 0, 1],
      );
      expect([...temperature.keys()].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      for (const [s, t] of temperature) expect(t).toBe(sampling === "agentless" ? (s < 4 ? 0 : 0.8) : 1);
      const correct = records.filter((r) => r.oracle_variant === "correct");
      expect(correct.length).toBeGreaterThan(2);
      for (const r of correct) {
        expect(r.reward).toBe(1);
        expect(applyInCheckout(r.instance_id, r.patch, gold)).toEqual(applyInCheckout(r.instance_id, inst.patch, gold));
      }
    });
  },
);
