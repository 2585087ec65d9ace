// The regression stage: per instance, the chosen test files run on the ORIGINAL code in the
// instance's container (testbed), parsed with the repo's log parser; the tests that pass are
// the regression tests, minus those the optional model filter drops. One record per instance
// in regression.jsonl (docs/pipeline-records.md); an instance that fails is recorded with its
// error and tried again by the next run; the others go on.
import pLimit from "p-limit";
import type { Instance } from "../dataset/schema.js";
import type { EnginePool } from "../docker/engines.js";
import { ImagePlacer } from "../docker/image-placement.js";
import { normalizeNewlines, parserNameFor, testPassed } from "../grading/grade.js";
import { PARSERS_BY_NAME, resolveParserName } from "../grading/parsers.js";
import type { LocalizeRecord } from "../localize/records.js";
import { log } from "../log/logger.js";
import { startProgress } from "../log/progress.js";
import type { ModelProvider, SamplingParams } from "../model/types.js";
import { listFilesAtCommit, readFilesAtCommit } from "../repo/files.js";
import { baseTestCommand, envPreludeLines } from "../spec/env-prelude.js";
import { onEngines } from "../docker/engine-retry.js";
import { makeTestSpec } from "../spec/test-spec.js";
import type { RunStore } from "../store/run-store.js";
import { withTestbed } from "../testbed/testbed.js";
import { filterMessages, parseFilterAnswer, REGRESS_FILTER_STAGE } from "./filter.js";
import { directivesFor, isTestFile, localizedTestFiles, touchedTestFiles, type RegressionScope } from "./select.js";

export const REGRESSION_STAGE = "regression";

export interface RegressionRecord {
  instance_id: string; scope: RegressionScope; test_files: string[]; command: string; log_parser: string;
  passing_tests: string[]; failing_on_original: string[]; dropped_by_model: string[]; unknown_from_model: string[];
  selected_tests: string[]; duration_ms: number; error: string | null; created_at: string;
}

export interface RegressStageOptions {
  run: RunStore; instances: readonly Instance[]; engines: EnginePool; repoSources: Readonly<Record<string, string>>;
  namespace: string; scope: RegressionScope; limits: { memoryBytes: number; pidsLimit: number; nanoCpus?: number };
  timeoutS: number; maxWorkers: number;
  /** The model filter: provider and sampling (absent = no filter). */
  filter?: { provider: ModelProvider; params: SamplingParams };
  shouldStop?: () => boolean;
}

export interface RegressSummary { instances: number; ran: number; test_files: number; passing: number; dropped: number; errors: number; scope: RegressionScope }

async function localizedFiles(run: RunStore): Promise<Map<string, string[]>> {
  const out = new Map<string, Set<string>>();
  for await (const r of run.records<LocalizeRecord>("localization")) {
    if (!out.has(r.instance_id)) out.set(r.instance_id, new Set());
    for (const f of r.found_files ?? []) out.get(r.instance_id)!.add(f);
  }
  return new Map([...out].map(([k, v]) => [k, [...v]]));
}

/** Which test files and command for one instance. Empty file list (not "all") = nothing to run. */
async function plan(inst: Instance, o: RegressStageOptions, localized: Map<string, string[]>): Promise<{ files: string[]; command: string }> {
  const base = baseTestCommand(inst);
  if (o.scope === "all") return { files: [], command: base };
  const repoDir = o.repoSources[inst.repo];
  if (!repoDir) throw new Error(`no local git repository for ${inst.repo}`);
  const listing = await listFilesAtCommit(repoDir, inst.base_commit);
  let files: string[];
  if (o.scope === "touched") files = touchedTestFiles(inst, new Set(listing.keys()));
  else {
    const tests = [...listing.keys()].filter(isTestFile);
    files = localizedTestFiles(localized.get(inst.instance_id) ?? [], tests, await readFilesAtCommit(repoDir, inst.base_commit, tests));
  }
  return { files, command: [base, ...directivesFor(inst.repo, files)].join(" ") };
}

export async function runRegressStage(o: RegressStageOptions): Promise<{ summary: RegressSummary; interrupted: boolean }> {
  const done = new Map<string, RegressionRecord>();
  for await (const r of o.run.records<RegressionRecord>(REGRESSION_STAGE)) done.set(r.instance_id, r);
  const todo = o.instances.filter((i) => { const d = done.get(i.instance_id); return !d || d.error !== null || d.scope !== o.scope; });
  const localized = o.scope === "localized" ? await localizedFiles(o.run) : new Map<string, string[]>();
  const placer = new ImagePlacer(o.engines);
  const progress = startProgress("regress", todo.length);
  const limit = pLimit(o.maxWorkers);
  let interrupted = false;
  await Promise.all(todo.map((inst) => limit(async () => {
    if (o.shouldStop?.()) { interrupted = true; return; }
    const started = Date.now();
    const record: RegressionRecord = {
      instance_id: inst.instance_id, scope: o.scope, test_files: [], command: "", log_parser: parserNameFor(inst),
      passing_tests: [], failing_on_original: [], dropped_by_model: [], unknown_from_model: [], selected_tests: [],
      duration_ms: 0, error: null, created_at: "",
    };
    try {
      const { files, command } = await plan(inst, o, localized);
      record.test_files = files;
      record.command = command;
      if (o.scope === "all" || files.length > 0) await runOnOriginal(inst, o, placer, record);
      if (o.filter && record.passing_tests.length > 0) await applyFilter(inst, o.filter, record);
      record.selected_tests = record.passing_tests.filter((t) => !record.dropped_by_model.includes(t));
    } catch (err) {
      record.error = (err as Error).message.split("\n")[0]!;
      log.warn(`regress: ${inst.instance_id}: ${record.error}`);
    }
    record.duration_ms = Date.now() - started;
    record.created_at = new Date().toISOString();
    await o.run.append(REGRESSION_STAGE, record);
    done.set(inst.instance_id, record);
    progress.tick(record.error ? "error" : "ok");
  })));
  progress.stop();
  const mine = o.instances.map((i) => done.get(i.instance_id)).filter((r): r is RegressionRecord => r !== undefined);
  return {
    interrupted,
    summary: {
      instances: o.instances.length, ran: todo.length, scope: o.scope, errors: mine.filter((r) => r.error).length,
      test_files: mine.reduce((n, r) => n + r.test_files.length, 0), passing: mine.reduce((n, r) => n + r.selected_tests.length, 0),
      dropped: mine.reduce((n, r) => n + r.dropped_by_model.length, 0),
    },
  };
}

async function runOnOriginal(inst: Instance, o: RegressStageOptions, placer: ImagePlacer, record: RegressionRecord): Promise<void> {
  const image = makeTestSpec(inst, { namespace: o.namespace }).image;
  await onEngines(o.engines, `regress: ${inst.instance_id}`, async (lease) => {
    await placer.require(lease.engine, image);
    await withTestbed({ docker: lease.docker, image, runId: o.run.runId, instanceId: inst.instance_id, ...o.limits, isolation: "reuse",
      prelude: envPreludeLines(inst) }, async (testbed) => {
      const step = await testbed.run({ command: record.command, timeoutMs: o.timeoutS * 1000 });
      if (step.timedOut) throw new Error(`the regression run on the original code timed out after ${o.timeoutS}s`);
      if (step.violation) throw new Error(`the original code's tests misbehaved: ${step.violation}`);
      const statusMap = PARSERS_BY_NAME[resolveParserName(record.log_parser)]!(normalizeNewlines(step.output));
      const names = Object.keys(statusMap);
      if (names.length === 0) throw new Error(`no test results in the output of \`${record.command}\` (exit ${step.exitCode}): ${step.output.slice(-300)}`);
      record.passing_tests = names.filter((t) => testPassed(t, statusMap));
      record.failing_on_original = names.filter((t) => !testPassed(t, statusMap));
    });
  });
}

async function applyFilter(inst: Instance, f: NonNullable<RegressStageOptions["filter"]>, record: RegressionRecord): Promise<void> {
  const result = await f.provider.complete({
    messages: filterMessages(inst.problem_statement, record.passing_tests), sampleIndex: 0, instanceId: inst.instance_id,
    stage: REGRESS_FILTER_STAGE, params: { ...f.params, temperature: 0 },
  });
  if (!result.ok) { log.warn(`regress: ${inst.instance_id}: model filter failed (${result.reason}); keeping every passing test`); return; }
  const { drop, unknown } = parseFilterAnswer(result.text, record.passing_tests);
  record.dropped_by_model = drop;
  record.unknown_from_model = unknown;
}
