// The reproduction stage: per instance, M test samples from the model (sample 0 greedy, the
// others at the configured temperature), each script run on the ORIGINAL code in the
// instance's testbed; those printing "Issue reproduced" are kept, normalized and ranked by how
// many samples normalize to the same test (Agentless's vote); the ranked list goes to
// reproduction_tests.jsonl with the top t marked for validation. Resumes per sample.
import pLimit from "p-limit";
import type { Instance } from "../dataset/schema.js";
import { onEngines } from "../docker/engine-retry.js";
import type { EnginePool } from "../docker/engines.js";
import { ImagePlacer } from "../docker/image-placement.js";
import { repoLanguage, type InstanceLanguage } from "../language/instance-language.js";
import { reproductionRunner } from "../language/profile.js";
import { log } from "../log/logger.js";
import { startProgress } from "../log/progress.js";
import { SampleQueue } from "../model/sample-queue.js";
import { RECORD_FILES } from "../records/files.js";
import type { LocalizeRecord } from "../records/localization.js";
import type { ReproductionOutcome } from "../records/validation.js";
import { envPreludeLines } from "../spec/env-prelude.js";
import { makeTestSpec } from "../spec/test-spec.js";
import { reproductionOutcome, strictReproductionOutcome, testFileName } from "../stage-common/reproduction-verdict.js";
import type { RunStore } from "../store/run-store.js";
import { withTestbed } from "../testbed/testbed.js";
import { askAll, exampleTest, type AskOptions } from "./ask.js";
import {
  rankTests,
  REPRODUCTION_STAGE,
  REPRODUCTION_TESTS_STAGE,
  type ReproduceSummary,
  type ReproductionRecord,
} from "./record.js";

/** Between the script's stdout and its stderr tail: a traceback quoting `print("Issue resolved")` is not a verdict. */
const STDERR_MARK = "@@swerl-repro-stderr@@";

const scriptFile = (r: ReproductionRecord, lang: InstanceLanguage): string =>
  testFileName(r.test_id ?? `repro-sample-${r.sample}`, reproductionRunner(lang).extension);

export interface ReproduceStageOptions extends AskOptions {
  run: RunStore;
  instances: readonly Instance[];
  engines: EnginePool;
  repoSources: Readonly<Record<string, string>>;
  namespace: string;
  samples: number;
  topTests: number;
  limits: { memoryBytes: number; pidsLimit: number; nanoCpus?: number };
  testTimeoutS: number;
  maxWorkers: number;
  /** reproduce.verdict (default lenient). */
  verdict?: "strict" | "lenient";
  /** Model sequences in flight (model.concurrency) and most samples per request (model.max_n). */
  concurrency?: number;
  maxN?: number;
}

export async function runReproduceStage(
  o: ReproduceStageOptions,
): Promise<{ summary: ReproduceSummary; interrupted: boolean }> {
  const latest = new Map<string, ReproductionRecord>();
  for await (const r of o.run.records<ReproductionRecord>(REPRODUCTION_STAGE))
    latest.set(`${r.instance_id}#${r.sample}`, r);
  const ranked = new Set<string>();
  for await (const r of o.run.records<{ instance_id: string; samples: number }>(REPRODUCTION_TESTS_STAGE))
    if (r.samples === o.samples) ranked.add(r.instance_id);
  const localized = new Map<string, string[]>();
  for await (const r of o.run.records<LocalizeRecord>(RECORD_FILES.localization))
    localized.set(r.instance_id, [...(localized.get(r.instance_id) ?? []), ...(r.found_files ?? [])]);
  const todo = new Map(
    o.instances.map((i) => [
      i.instance_id,
      Array.from({ length: o.samples }, (_, s) => s).filter((s) => {
        const r = latest.get(`${i.instance_id}#${s}`);
        return !r || r.model_error !== null;
      }),
    ]),
  );
  const progress = startProgress(
    "reproduce",
    [...todo.values()].reduce((n, l) => n + l.length, 0),
  );
  const placer = new ImagePlacer(o.engines);
  // The model is asked for every instance through one queue (no Docker slot held meanwhile);
  // an instance takes a Docker worker only to run its answers.
  const queue = new SampleQueue(o.provider, o.concurrency ?? 64, o.maxN ?? 16);
  const instanceLimit = pLimit(o.maxWorkers);
  let interrupted = false;
  let errors = 0;

  await Promise.all(
    o.instances.map(async (inst) => {
      const samples = todo.get(inst.instance_id)!;
      if (samples.length === 0 && ranked.has(inst.instance_id)) return;
      if (o.shouldStop?.()) {
        interrupted = true;
        return;
      }
      try {
        const lang = await repoLanguage(inst, o.repoSources[inst.repo]);
        const example =
          samples.length > 0 && o.prompt !== "agentless"
            ? await exampleTest(inst, o.repoSources[inst.repo], localized.get(inst.instance_id) ?? [], lang)
            : null;
        const asked = await askAll(o, queue, inst, example, samples, lang);
        if (asked.length < samples.length) interrupted = true; // the rest are asked again on resume
        await instanceLimit(() => runAnswers(inst, asked, lang));
      } catch (err) {
        errors++;
        log.warn(`reproduce: ${inst.instance_id}: ${(err as Error).message.split("\n")[0]}`);
      }
    }),
  );

  async function runAnswers(inst: Instance, answers: ReproductionRecord[], lang: InstanceLanguage): Promise<void> {
    const runner = reproductionRunner(lang);
    const done = new Set<number>();
    const store = async (record: ReproductionRecord): Promise<void> => {
      record.created_at = new Date().toISOString();
      await o.run.append(REPRODUCTION_STAGE, record);
      latest.set(`${inst.instance_id}#${record.sample}`, record);
      done.add(record.sample);
      progress.tick(record.model_error ? "error" : "ok");
    };
    for (const record of answers) if (record.script === null) await store(record); // nothing to run
    if (answers.some((a) => a.script !== null)) {
      const image = makeTestSpec(inst, { namespace: o.namespace }).image;
      // On another engine if this one fails under us (the tests not yet recorded run again there).
      await onEngines(o.engines, `reproduce: ${inst.instance_id}`, async (lease) => {
        await placer.require(lease.engine, image);
        const left = answers.filter((a) => a.script !== null && !done.has(a.sample));
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
            // Every test is queued at once: the testbed runs them one by one, many per exec, with
            // one check for writes outside the tree per batch; the records go out in sample order.
            const steps = left.map((record) =>
              testbed.run({
                // Run as validation runs kept tests (validate-patch.ts): from the repository root, the
                // file in the tree, so `import <package>` resolves the same way on both sides.
                files: [{ path: scriptFile(record, lang), content: record.script! }],
                // strict: stdout and stderr merged, all of it, as the harness's test_output.txt holds
                // them (bounded by the exec's MAX_MEMORY_OUTPUT); lenient: stdout, then a stderr tail
                command:
                  o.verdict === "strict"
                    ? `${runner.run(scriptFile(record, lang))} 2>&1`
                    : `${runner.run(scriptFile(record, lang))} 2>/tmp/swerl_repro_stderr; rc=$?; echo "${STDERR_MARK}"; tail -c 2000 /tmp/swerl_repro_stderr; exit $rc`,
                timeoutMs: o.testTimeoutS * 1000,
              }),
            );
            steps.forEach((p) => p.catch(() => {})); // awaited in order below; an early throw must not leave them unhandled
            for (const [k, record] of left.entries()) {
              const step = await steps[k]!;
              // strict: the whole log, as Agentless reads test_output.txt
              const verdict =
                o.verdict === "strict"
                  ? strictReproductionOutcome(step.output)
                  : reproductionOutcome(step.output.split(STDERR_MARK)[0]!);
              const outcome: ReproductionOutcome = step.timedOut ? "timed_out" : step.violation ? "error" : verdict;
              record.run = {
                outcome,
                exit_code: step.exitCode,
                duration_ms: step.durationMs,
                output_tail: step.output.slice(-2000),
              };
              record.reproduces = outcome === "reproduced";
              await store(record);
            }
          },
        );
      });
    }
    const mine = Array.from({ length: o.samples }, (_, s) => latest.get(`${inst.instance_id}#${s}`)).filter(
      (r): r is ReproductionRecord => r !== undefined,
    );
    const tests = rankTests(mine);
    // ranked only once every sample has an answer (an interrupted instance is ranked on resume)
    if (mine.length === o.samples) {
      await o.run.append(REPRODUCTION_TESTS_STAGE, {
        instance_id: inst.instance_id,
        samples: o.samples,
        reproducing: mine.filter((r) => r.reproduces).length,
        tests,
        top_tests: o.topTests,
      });
    }
  }
  progress.stop();
  const all = [...latest.values()].filter(
    (r) => o.instances.some((i) => i.instance_id === r.instance_id) && r.sample < o.samples,
  );
  return {
    interrupted,
    summary: {
      instances: o.instances.length,
      samples: all.length,
      reproducing: all.filter((r) => r.reproduces).length,
      unique_tests: new Set(all.filter((r) => r.reproduces).map((r) => `${r.instance_id}#${r.test_id}`)).size,
      errors,
    },
  };
}
