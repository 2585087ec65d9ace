// The regression stage: per instance, the chosen test files run on the ORIGINAL code in the
// instance's container (testbed), parsed with the repo's log parser; the tests that pass are
// the regression tests, minus those the model filter drops. An instance with no test to run,
// or none passing, has no regression signal: its record says why (`no_signal`), and validate
// runs nothing for it (every patch passes an empty set, as in Agentless). One record per instance
// in regression.jsonl (docs/pipeline-records.md); an instance that fails is recorded with its
// error and tried again by the next run; the others go on.
import pLimit from "p-limit";
import type { Instance } from "../dataset/schema.js";
import type { EnginePool } from "../docker/engines.js";
import { ImagePlacer } from "../docker/image-placement.js";
import { normalizeNewlines, parserNameFor, testPassed } from "../grading/grade.js";
import type { StatusMap } from "../grading/status.js";
import { parserFor } from "../grading/parsers.js";
import type { LocalizeRecord } from "../records/localization.js";
import { RECORD_FILES } from "../records/files.js";
import { log } from "../log/logger.js";
import { startProgress } from "../log/progress.js";
import type { ModelProvider, SamplingParams } from "../model/types.js";
import { listFilesAtCommit, readFilesAtCommit } from "../repo/files.js";
import { baseTestCommand, envPreludeLines, multilingualTestCommand } from "../spec/env-prelude.js";
import { onEngines } from "../docker/engine-retry.js";
import { makeTestSpec } from "../spec/test-spec.js";
import type { RunStore } from "../store/run-store.js";
import { withTestbed } from "../testbed/testbed.js";
import {
  FILTER_MAX_TOKENS,
  filterMessages,
  filterTestsThatFit,
  parseFilterAnswer,
  REGRESS_FILTER_STAGE,
} from "./filter.js";
import {
  directiveTestFiles,
  directivesFor,
  localizedTestFiles,
  touchedTestFiles,
  type RegressionScope,
} from "./select.js";
import { isTestFile } from "../stage-common/test-files.js";

export const REGRESSION_STAGE = RECORD_FILES.regression;

export interface RegressionRecord {
  instance_id: string;
  scope: RegressionScope;
  test_files: string[];
  command: string;
  log_parser: string;
  passing_tests: string[];
  failing_on_original: string[];
  dropped_by_model: string[];
  unknown_from_model: string[];
  selected_tests: string[];
  /** Why the instance has no regression signal (no test to run, no result, none passing); null = it has one. */
  no_signal: string | null;
  duration_ms: number;
  error: string | null;
  created_at: string;
}

/** Which statuses on the original code make a test a regression test. */
export type PassingRule = "passed" | "passed_or_xfail";
const passes = (rule: PassingRule, test: string, sm: StatusMap): boolean =>
  rule === "passed" ? sm[test] === "PASSED" : testPassed(test, sm); // Agentless: "we don't collect XFAIL tests"

export interface RegressStageOptions {
  run: RunStore;
  instances: readonly Instance[];
  engines: EnginePool;
  repoSources: Readonly<Record<string, string>>;
  namespace: string;
  scope: RegressionScope;
  limits: { memoryBytes: number; pidsLimit: number; nanoCpus?: number };
  timeoutS: number;
  maxWorkers: number;
  /** PASSED only (Agentless 1.5, the default) or XFAIL too. */
  passing?: PassingRule;
  /** The model filter: provider and sampling (absent = no filter). */
  filter?: { provider: ModelProvider; params: SamplingParams };
  shouldStop?: () => boolean;
}

export interface RegressSummary {
  instances: number;
  ran: number;
  test_files: number;
  passing: number;
  dropped: number;
  errors: number;
  scope: RegressionScope;
  /** Instances without a regression signal (see RegressionRecord.no_signal). */
  no_signal: number;
}

async function localizedFiles(run: RunStore): Promise<Map<string, string[]>> {
  const out = new Map<string, Set<string>>();
  for await (const r of run.records<LocalizeRecord>(RECORD_FILES.localization)) {
    if (!out.has(r.instance_id)) out.set(r.instance_id, new Set());
    for (const f of r.found_files ?? []) out.get(r.instance_id)!.add(f);
  }
  return new Map([...out].map(([k, v]) => [k, [...v]]));
}

/** Which test files and command for one instance. Empty file list (not "all") = nothing to run. */
async function plan(
  inst: Instance,
  o: RegressStageOptions,
  localized: Map<string, string[]>,
): Promise<{ files: string[]; command: string }> {
  // A SWE-bench Multilingual repo has no base command taking test files: its spec's fixed test
  // command (what the eval script runs: the test patch's tests, or the suite) in every scope,
  // read with the repo's log parser; the files are the test patch's, for the record.
  const fixed = multilingualTestCommand(inst);
  if (fixed !== undefined) return { files: directiveTestFiles(inst), command: fixed };
  const base = baseTestCommand(inst);
  if (o.scope === "all") return { files: [], command: base };
  if (o.scope === "directives") {
    const files = directiveTestFiles(inst);
    return { files, command: files.length > 0 ? [base, ...directivesFor(inst.repo, files)].join(" ") : "" };
  }
  const repoDir = o.repoSources[inst.repo];
  if (!repoDir) throw new Error(`no local git repository for ${inst.repo}`);
  const listing = await listFilesAtCommit(repoDir, inst.base_commit);
  let files: string[];
  if (o.scope === "touched") files = touchedTestFiles(inst, new Set(listing.keys()));
  else {
    const tests = [...listing.keys()].filter(isTestFile);
    files = localizedTestFiles(
      localized.get(inst.instance_id) ?? [],
      tests,
      await readFilesAtCommit(repoDir, inst.base_commit, tests),
    );
  }
  return { files, command: files.length > 0 ? [base, ...directivesFor(inst.repo, files)].join(" ") : "" };
}

export async function runRegressStage(
  o: RegressStageOptions,
): Promise<{ summary: RegressSummary; interrupted: boolean }> {
  const done = new Map<string, RegressionRecord>();
  for await (const r of o.run.records<RegressionRecord>(REGRESSION_STAGE)) done.set(r.instance_id, r);
  const todo = o.instances.filter((i) => {
    const d = done.get(i.instance_id);
    return !d || d.error !== null || d.scope !== o.scope || d.no_signal === undefined; // records before no_signal: ask again
  });
  const localized = o.scope === "localized" ? await localizedFiles(o.run) : new Map<string, string[]>();
  const placer = new ImagePlacer(o.engines);
  const progress = startProgress("regress", todo.length);
  const limit = pLimit(o.maxWorkers);
  let interrupted = false;
  await Promise.all(
    todo.map((inst) =>
      limit(async () => {
        if (o.shouldStop?.()) {
          interrupted = true;
          return;
        }
        const started = Date.now();
        const record: RegressionRecord = {
          instance_id: inst.instance_id,
          scope: o.scope,
          test_files: [],
          command: "",
          log_parser: parserNameFor(inst),
          passing_tests: [],
          failing_on_original: [],
          dropped_by_model: [],
          unknown_from_model: [],
          selected_tests: [],
          no_signal: null,
          duration_ms: 0,
          error: null,
          created_at: "",
        };
        try {
          const { files, command } = await plan(inst, o, localized);
          record.test_files = files;
          record.command = command;
          if (record.command === "") record.no_signal = `no test file to run (scope ${o.scope})`;
          else await runOnOriginal(inst, o, placer, record);
          // The filter's prompt may list only some passing tests (halved to fit); as in the reference, the rest are not selected.
          const candidates =
            o.filter && record.passing_tests.length > 0
              ? await applyFilter(inst, o.filter, record)
              : record.passing_tests;
          record.selected_tests = candidates.filter((t) => !record.dropped_by_model.includes(t));
          if (record.no_signal === null && record.selected_tests.length === 0) {
            record.no_signal =
              record.passing_tests.length === 0
                ? "no test passes on the original code"
                : "the model filter dropped every passing test";
          }
        } catch (err) {
          record.error = (err as Error).message.split("\n")[0]!;
          log.warn(`regress: ${inst.instance_id}: ${record.error}`);
        }
        record.duration_ms = Date.now() - started;
        record.created_at = new Date().toISOString();
        await o.run.append(REGRESSION_STAGE, record);
        done.set(inst.instance_id, record);
        progress.tick(record.error ? "error" : "ok");
      }),
    ),
  );
  progress.stop();
  const mine = o.instances.map((i) => done.get(i.instance_id)).filter((r): r is RegressionRecord => r !== undefined);
  return {
    interrupted,
    summary: {
      instances: o.instances.length,
      ran: todo.length,
      scope: o.scope,
      errors: mine.filter((r) => r.error).length,
      test_files: mine.reduce((n, r) => n + r.test_files.length, 0),
      passing: mine.reduce((n, r) => n + r.selected_tests.length, 0),
      dropped: mine.reduce((n, r) => n + r.dropped_by_model.length, 0),
      no_signal: mine.filter((r) => !r.error && r.no_signal).length,
    },
  };
}

async function runOnOriginal(
  inst: Instance,
  o: RegressStageOptions,
  placer: ImagePlacer,
  record: RegressionRecord,
): Promise<void> {
  const image = makeTestSpec(inst, { namespace: o.namespace }).image;
  await onEngines(o.engines, `regress: ${inst.instance_id}`, async (lease) => {
    await placer.require(lease.engine, image);
    await withTestbed(
      {
        docker: lease.docker,
        image,
        runId: o.run.runId,
        instanceId: inst.instance_id,
        ...o.limits,
        isolation: "reuse",
        prelude: envPreludeLines(inst),
      },
      async (testbed) => {
        const step = await testbed.run({ command: record.command, timeoutMs: o.timeoutS * 1000 });
        if (step.timedOut) throw new Error(`the regression run on the original code timed out after ${o.timeoutS}s`);
        if (step.violation) throw new Error(`the original code's tests misbehaved: ${step.violation}`);
        const statusMap = parserFor(record.log_parser, false, inst.instance_id)(normalizeNewlines(step.output));
        const names = Object.keys(statusMap);
        if (names.length === 0) {
          const why = `no test results in the output of \`${record.command}\` (exit ${step.exitCode}): ${step.output.slice(-300)}`;
          // The reference runs the directives as they are; a runner that finds nothing to run gives no signal there.
          if (o.scope !== "directives") throw new Error(why);
          record.no_signal = why;
          return;
        }
        const rule = o.passing ?? "passed";
        record.passing_tests = names.filter((t) => passes(rule, t, statusMap));
        record.failing_on_original = names.filter((t) => !passes(rule, t, statusMap));
      },
    );
  });
}

/** Asks the model; fills the record's dropped and unknown names; returns the tests the prompt listed. */
async function applyFilter(
  inst: Instance,
  f: NonNullable<RegressStageOptions["filter"]>,
  record: RegressionRecord,
): Promise<string[]> {
  const listed = filterTestsThatFit(inst.problem_statement, record.passing_tests);
  if (listed.length < record.passing_tests.length)
    log.warn(
      `regress: ${inst.instance_id}: the filter prompt lists ${listed.length} of ${record.passing_tests.length} passing tests (halved to fit, as the reference does)`,
    );
  const result = await f.provider.complete({
    messages: filterMessages(inst.problem_statement, listed),
    sampleIndex: 0,
    instanceId: inst.instance_id,
    stage: REGRESS_FILTER_STAGE,
    params: { ...f.params, temperature: 0, max_tokens: FILTER_MAX_TOKENS },
  });
  if (!result.ok) {
    log.warn(`regress: ${inst.instance_id}: model filter failed (${result.reason}); keeping every passing test`);
    return record.passing_tests;
  }
  const { drop, unknown } = parseFilterAnswer(result.text, listed);
  record.dropped_by_model = drop;
  record.unknown_from_model = unknown;
  return listed;
}
