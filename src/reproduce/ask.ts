// The model side of the reproduction stage: the example test shown in the prompt, the M test
// samples asked through the shared queue (sample 0 greedy), and each answer's script extracted
// and normalized into a record not yet run.
import type { Instance } from "../dataset/schema.js";
import { isCodeLanguage, type InstanceLanguage } from "../language/instance-language.js";
import { languageProfile } from "../language/profile.js";
import type { SampleQueue } from "../model/sample-queue.js";
import type { ModelProvider, ModelRequest, ModelResult, SamplingParams } from "../model/types.js";
import { sharedAstWorker } from "../pyast/worker.js";
import { listFilesAtCommit, readFilesAtCommit } from "../repo/files.js";
import { isTestPath } from "../repomap/code-listing.js";
import { isTestFile } from "../stage-common/test-files.js";
import { rawOutputFields, type RawOutputStorage } from "../store/raw-output.js";
import { languageOfPath } from "../treesitter/languages.js";
import { AGENTLESS_TEST_SAMPLING, agentlessReproduceMessages, agentlessScript } from "./agentless.js";
import type { ReproductionRecord } from "./record.js";
import { extractCodeScript, normalizeCodeTest, reproduceCodeMessages } from "./script-code.js";
import {
  extractScript,
  normalizeTest,
  REPRODUCE_STAGE,
  reproduceMessages,
  testIdOf,
  type ExampleTest,
} from "./script.js";

/** What asking needs of the stage's options. */
export interface AskOptions {
  provider: ModelProvider;
  params: SamplingParams;
  /** How records keep the model's answers (model.raw_output; default gzip). */
  rawOutput?: RawOutputStorage;
  shouldStop?: () => boolean;
  /** reproduce.prompt / sampling / extraction (defaults: ours — swerl, model, tolerant). */
  prompt?: "agentless" | "swerl";
  sampling?: "agentless" | "model";
  extraction?: "agentless" | "tolerant";
  /** reproduce.normalize: the vote key, Agentless's ast.unparse form (python3) or our canonical tree-sitter form (default). */
  normalize?: "agentless" | "canonical";
}

/**
 * An existing test file to show the model: one named after a localized module, else the first
 * test file (another language: a test file of its convention, code-listing.ts, whose name holds
 * a localized file's stem, else the first).
 */
export async function exampleTest(
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

/**
 * The model's answers for `samples` (sample 0 greedy, the others sharing one request with n
 * choices), as records not yet run; calls cut short by Ctrl-C are left out.
 */
export async function askAll(
  o: AskOptions,
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
  o: AskOptions,
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
