// The reproduction stage: per instance, M test samples from the model (sample 0 greedy, the
// others at the configured temperature), each script run on the ORIGINAL code in the
// instance's testbed; those printing "Issue reproduced" are kept, normalized and ranked by how
// many samples normalize to the same test (Agentless's vote); the ranked list goes to
// reproduction_tests.jsonl with the top t marked for validation. Resumes per sample.
import { rawOutputFields, type RawOutputStorage } from "../store/raw-output.js";
import pLimit from "p-limit";
import type { Instance } from "../dataset/schema.js";
import type { EnginePool } from "../docker/engines.js";
import { ImagePlacer } from "../docker/image-placement.js";
import type { LocalizeRecord } from "../records/localization.js";
import { RECORD_FILES } from "../records/files.js";
import { log } from "../log/logger.js";
import { startProgress } from "../log/progress.js";
import { SampleQueue } from "../model/sample-queue.js";
import type { ModelProvider, ModelRequest, ModelResult, SamplingParams, TokenUsage } from "../model/types.js";
import { listFilesAtCommit, readFilesAtCommit } from "../repo/files.js";
import { isTestFile } from "../stage-common/test-files.js";
import { languageOfPath } from "../treesitter/languages.js";
import { envPreludeLines } from "../spec/env-prelude.js";
import { onEngines } from "../docker/engine-retry.js";
import { makeTestSpec } from "../spec/test-spec.js";
import type { RunStore } from "../store/run-store.js";
import { withTestbed } from "../testbed/testbed.js";
import { reproductionOutcome, strictReproductionOutcome, testFileName } from "../stage-common/reproduction-verdict.js";
import { AGENTLESS_TEST_SAMPLING, agentlessReproduceMessages, agentlessScript } from "./agentless.js";
import { sharedAstWorker } from "../pyast/worker.js";
import type { ReproductionOutcome } from "../records/validation.js";
import {
  extractScript,
  normalizeTest,
  REPRODUCE_STAGE,
  reproduceMessages,
  testIdOf,
  type ExampleTest,
} from "./script.js";
import { extractCodeScript, normalizeCodeTest, reproduceCodeMessages } from "./script-code.js";
import { isCodeLanguage, repoLanguage, type InstanceLanguage } from "../language/instance-language.js";
import { languageProfile, reproductionRunner } from "../language/profile.js";
import { isTestPath } from "../repomap/code-listing.js";

export const REPRODUCTION_STAGE = RECORD_FILES.reproduction;
export const REPRODUCTION_TESTS_STAGE = RECORD_FILES.reproductionTests;

export interface ReproductionRecord {
  instance_id: string;
  stage: typeof REPRODUCE_STAGE;
  sample: number;
  model: string;
  provider: string;
  /** The model's answer (null when the call failed), plain or gzip-compressed: read it with rawOutputOf (store/raw-output.ts). */
  raw_output?: string | null;
  raw_output_gz?: string;
  script: string | null;
  parse_error: string | null;
  normalized: string | null;
  test_id: string | null;
  run: { outcome: ReproductionOutcome; exit_code: number | null; duration_ms: number; output_tail: string } | null;
  reproduces: boolean;
  usage: TokenUsage;
  latency_ms: number;
  cached: boolean;
  model_error: string | null;
  oracle_variant: string | null;
  created_at: string;
}

/** Between the script's stdout and its stderr tail: a traceback quoting `print("Issue resolved")` is not a verdict. */
const STDERR_MARK = "@@swerl-repro-stderr@@";

const scriptFile = (r: ReproductionRecord, lang: InstanceLanguage): string =>
  testFileName(r.test_id ?? `repro-sample-${r.sample}`, reproductionRunner(lang).extension);

export interface RankedTest {
  test_id: string;
  script: string;
  votes: number;
  samples: number[];
}

export interface ReproduceStageOptions {
  run: RunStore;
  /** How records keep the model's answers (model.raw_output; default gzip). */
  rawOutput?: RawOutputStorage;
  instances: readonly Instance[];
  provider: ModelProvider;
  engines: EnginePool;
  repoSources: Readonly<Record<string, string>>;
  namespace: string;
  samples: number;
  topTests: number;
  params: SamplingParams;
  limits: { memoryBytes: number; pidsLimit: number; nanoCpus?: number };
  testTimeoutS: number;
  maxWorkers: number;
  shouldStop?: () => boolean;
  /** reproduce.prompt / sampling / extraction / verdict (defaults: ours — swerl, model, tolerant, lenient). */
  prompt?: "agentless" | "swerl";
  sampling?: "agentless" | "model";
  extraction?: "agentless" | "tolerant";
  verdict?: "strict" | "lenient";
  /** reproduce.normalize: the vote key, Agentless's ast.unparse form (python3) or our canonical tree-sitter form (default). */
  normalize?: "agentless" | "canonical";
  /** Model sequences in flight (model.concurrency) and most samples per request (model.max_n). */
  concurrency?: number;
  maxN?: number;
}

export interface ReproduceSummary {
  instances: number;
  samples: number;
  reproducing: number;
  unique_tests: number;
  errors: number;
}

/** Rank the reproducing samples' tests: votes (samples normalizing alike) desc, then earliest sample. */
export function rankTests(records: readonly ReproductionRecord[]): RankedTest[] {
  const byId = new Map<string, RankedTest>();
  for (const r of [...records].sort((a, b) => a.sample - b.sample)) {
    if (!r.reproduces || !r.test_id || !r.script) continue;
    const t = byId.get(r.test_id);
    if (t) {
      t.votes++;
      t.samples.push(r.sample);
    } else byId.set(r.test_id, { test_id: r.test_id, script: r.script, votes: 1, samples: [r.sample] });
  }
  return [...byId.values()].sort((a, b) => b.votes - a.votes || a.samples[0]! - b.samples[0]!);
}

/**
 * An existing test file to show the model: one named after a localized module, else the first
 * test file (another language: a test file of its convention, code-listing.ts, whose name holds
 * a localized file's stem, else the first).
 */
async function exampleTest(
  inst: Instance,
  repoDir: string | undefined,
  localized: readonly string[],
  lang: InstanceLanguage,
): Promise<ExampleTest | null> {
  if (!repoDir) return null;
  const paths = [...(await listFilesAtCommit(repoDir, inst.base_commit)).keys()];
  let path: string | undefined;
  if (isCodeLanguage(lang)) {
    const tests = paths.filter((p) => isTestPath(p, lang) && languageOfPath(p, lang)).sort();
    const stems = localized
      .map((p) =>
        p
          .split("/")
          .pop()!
          .replace(/\.[^.]*$/, ""),
      )
      .filter((s) => s.length > 1);
    path = tests.find((t) => stems.some((s) => t.split("/").pop()!.includes(s))) ?? tests[0];
  } else {
    const tests = paths.filter(isTestFile).sort();
    const leaves = localized.map((p) => p.split("/").pop()!.replace(/\.py$/, ""));
    path = tests.find((t) => leaves.some((l) => t.endsWith(`/test_${l}.py`))) ?? tests[0];
  }
  if (!path) return null;
  return { path, content: (await readFilesAtCommit(repoDir, inst.base_commit, [path]))[path] ?? "" };
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

/**
 * The model's answers for `samples` (sample 0 greedy, the others sharing one request with n
 * choices), as records not yet run; calls cut short by Ctrl-C are left out.
 */
async function askAll(
  o: ReproduceStageOptions,
  queue: SampleQueue,
  inst: Instance,
  example: ExampleTest | null,
  samples: readonly number[],
  lang: InstanceLanguage,
): Promise<ReproductionRecord[]> {
  // Agentless's prompt is Python's (its example is a Python test): another language gets its own prompt in both modes.
  const messages = isCodeLanguage(lang)
    ? reproduceCodeMessages(inst.problem_statement, example, lang)
    : o.prompt === "agentless"
      ? agentlessReproduceMessages(inst.problem_statement)
      : reproduceMessages(inst.problem_statement, example);
  const agentless = o.sampling === "agentless";
  const req = (temperature: number): ModelRequest => ({
    messages,
    sampleIndex: 0,
    instanceId: inst.instance_id,
    stage: REPRODUCE_STAGE,
    params: { ...o.params, temperature, ...(agentless ? { max_tokens: AGENTLESS_TEST_SAMPLING.max_tokens } : {}) },
  });
  const out: ReproductionRecord[] = [];
  const keep = async (sample: number, result: ModelResult): Promise<void> => {
    if (!result.ok && (result.reason === "interrupted" || o.shouldStop?.())) return;
    out.push(answerRecord(o, inst, sample, result, lang));
  };
  const greedy = samples.filter((s) => s === 0);
  const sampled = samples.filter((s) => s !== 0);
  await Promise.all([
    greedy.length > 0 ? queue.submit(req(0), greedy, keep).done : undefined,
    sampled.length > 0
      ? queue.submit(req(agentless ? AGENTLESS_TEST_SAMPLING.temperature : o.params.temperature), sampled, keep).done
      : undefined,
  ]);
  out.sort((x, y) => x.sample - y.sample);
  if (o.normalize === "agentless" && !isCodeLanguage(lang)) {
    // Python's ast: other languages keep their own key
    const withScript = out.filter((r) => r.script !== null);
    const keys = await sharedAstWorker().testVoteKeys(withScript.map((r) => r.script!));
    // a blank key never votes (test_selection keeps `patch_keys[i].strip()` only)
    withScript.forEach((r, k) => {
      r.normalized = keys[k]!;
      r.test_id = keys[k] ? testIdOf(keys[k]!) : null;
    });
  }
  return out;
}

function answerRecord(
  o: ReproduceStageOptions,
  inst: Instance,
  sample: number,
  result: ModelResult,
  lang: InstanceLanguage,
): ReproductionRecord {
  const strict = o.extraction === "agentless";
  const kind = isCodeLanguage(lang) ? languageProfile(lang).reproduction : undefined;
  const extracted = !result.ok
    ? { script: null, error: null }
    : kind
      ? extractCodeScript(result.text, kind, strict)
      : strict
        ? agentlessScript(result.text)
        : extractScript(result.text);
  // reproduce.normalize agentless (Python): the key is set from python3 in askAll
  const normalized = !extracted.script
    ? null
    : kind
      ? normalizeCodeTest(extracted.script, kind)
      : o.normalize !== "agentless"
        ? normalizeTest(extracted.script, strict ? "agentless" : "swerl")
        : null;
  return {
    instance_id: inst.instance_id,
    stage: REPRODUCE_STAGE,
    sample,
    model: o.provider.name,
    provider: o.provider.kind,
    ...rawOutputFields(result.ok ? result.text : null, o.rawOutput),
    script: extracted.script,
    parse_error: extracted.error,
    normalized,
    test_id: normalized ? testIdOf(normalized) : null,
    run: null,
    reproduces: false,
    usage: result.ok ? result.usage : { prompt_tokens: 0, completion_tokens: 0 },
    latency_ms: Math.round(result.latencyMs),
    cached: result.ok ? result.cached : false,
    model_error: result.ok ? null : `${result.reason}: ${result.message}`,
    oracle_variant: result.ok ? (result.oracleVariant ?? null) : null,
    created_at: "",
  };
}
