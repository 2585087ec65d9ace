// The run config: YAML files layered in order, then --set overrides, validated here.
// Unknown keys are errors (a typo must not silently fall back to a default).
import { z } from "zod";
import { PROFILES } from "./profile.js";

const positiveInt = z.number().int().positive();

// Defaults of profile options (src/config/profile.ts) are the swe-rl profile's: the profile
// table fills unset keys before this schema runs (loadConfig), these defaults serve direct parses.
export const configSchema = z.strictObject({
  profile: z.enum(PROFILES).default("swe-rl"),
  run_id: z.string().optional(),
  results_dir: z.string().default("results"),
  dataset: z
    .strictObject({
      path: z.string().default("princeton-nlp/SWE-bench_Verified"),
      split: z.string().default("test"),
      instance_ids: z.array(z.string()).optional(),
      repos: z.array(z.string()).optional(),
      limit: z.number().int().nonnegative().optional(),
      shard: z.string().optional(),
    })
    .prefault({}),
  model: z
    .strictObject({
      provider: z.enum(["openai", "oracle", "replay"]).default("openai"),
      name: z.string().default("default"),
      // Servers of the model: "http://host:8000/v1", or {url, concurrency} to cap one server's calls in flight.
      base_urls: z
        .array(z.union([z.string(), z.strictObject({ url: z.string(), concurrency: positiveInt.optional() })]))
        .min(1)
        .default(["http://127.0.0.1:8000/v1"]),
      api_key_env: z.string().default("OPENAI_API_KEY"),
      temperature: z.number().min(0).default(1.0),
      top_p: z.number().gt(0).max(1).default(1.0),
      max_tokens: positiveInt.default(4096),
      seed: z.number().int().optional(),
      stop: z.array(z.string()).optional(),
      // Sequences in flight at once over all servers (a request with n choices counts n).
      concurrency: positiveInt.default(64),
      // Server-sent events: the timeout becomes idle time, and each choice of an n-choice request
      // frees its sequence slot as it ends (the server stays full). Transport only: not in the cache key.
      stream: z.boolean().default(true),
      // Per attempt, from sending the request to the end of the answer (long thoughts take minutes);
      // streamed: the longest wait for the next event.
      timeout_s: z.number().positive().default(600),
      // Samples sharing one request body go out as one request with n = k, k ≤ max_n (1: never).
      max_n: positiveInt.default(16),
      // Which checkpoint answers, for the response cache, beside the server's own /v1/models `root`.
      revision: z.string().optional(),
      // Added to every request body: chat_template_kwargs, top_k, min_p, repetition_penalty, …
      extra_body: z.record(z.string(), z.unknown()).optional(),
      // The body field of the completion budget: max_tokens, or max_completion_tokens for servers that want it.
      token_param: z.enum(["max_tokens", "max_completion_tokens"]).default("max_tokens"),
      // Repair's system message: swe-rl (SWE-RL's thinking prompt), none (the user message alone,
      // as Agentless Mini sends it), or any other text sent as is. Unset: the profile's choice.
      system_prompt: z.string().optional(),
      // One sample in a stage (greedy run): temperature 0, as SWE-RL's README recipe runs it.
      greedy_single_sample: z.boolean().default(true),
      max_retries: z.number().int().nonnegative().default(6),
      cache: z.boolean().default(true),
      oracle: z
        .strictObject({
          wrong_edit_rate: z.number().min(0).max(1).default(0),
          format_error_rate: z.number().min(0).max(1).default(0),
          noop_rate: z.number().min(0).max(1).default(0),
          seed: z.number().int().default(0),
        })
        .prefault({}),
      replay_file: z.string().optional(),
      // How the records (repair, localization, reproduction) keep the model's answers: gzip
      // (raw_output_gz, base64 gzip; the default when unset) or plain (raw_output). Optional with
      // no default so runs started before it existed keep their config hash.
      raw_output: z.enum(["gzip", "plain"]).optional(),
    })
    .prefault({}),
  localize: z
    .strictObject({
      samples: positiveInt.default(4),
      max_files: positiveInt.default(5),
      // strict: lines equal to a listed file (Agentless Mini); tolerant: prefixes, markers, dedup, cap.
      parser: z.enum(["strict", "tolerant"]).default("strict"),
      // model: model.temperature (greedy when one sample); agentless: temperature 0.8 for every
      // sample, as Agentless 1.5 samples its edit-location sets (README_swebench.md:144-152).
      sampling: z.enum(["model", "agentless"]).default("model"),
    })
    .prefault({}),
  repair: z
    .strictObject({
      samples: positiveInt.default(500),
      max_input_tokens: positiveInt.default(60000),
      locations: z.enum(["localized", "gold"]).default("localized"),
      // strict: Agentless Mini's ```python blocks, location-set files, substring match; tolerant: ours.
      parser: z.enum(["strict", "tolerant"]).default("strict"),
      // strict: ast.parse every edited file (any failure empties the patch); lenient: new tree-sitter errors in .py files.
      syntax_check: z.enum(["strict", "lenient"]).default("strict"),
      // cycle: unique non-empty location sets cycled (Agentless Mini); per_set: each localization
      // sample's set gets its own run of samples, taken in turn (Agentless 1.5). See repair/locations.ts.
      location_fill: z.enum(["cycle", "per_set"]).default("cycle"),
      // model: model.temperature for every sample (greedy when one); agentless: each set's first
      // sample greedy, the rest at 0.8, 1,024 max tokens (Agentless 1.5 repair.py:403-446).
      sampling: z.enum(["model", "agentless"]).default("model"),
    })
    .prefault({}),
  reproduce: z
    .strictObject({
      samples: positiveInt.default(40),
      top_tests: positiveInt.default(30),
      // Agentless 1.5 (generate_reproduction_tests.py, run_tests.py) or ours, step by step.
      prompt: z.enum(["agentless", "swerl"]).default("agentless"),
      // agentless: greedy, then temperature 0.8, 1,024 max tokens; model: model.temperature and max_tokens.
      sampling: z.enum(["agentless", "model"]).default("agentless"),
      // agentless: the first ```python block, stripped; tolerant: the last python (or plain) block, thoughts dropped.
      extraction: z.enum(["agentless", "tolerant"]).default("agentless"),
      // strict: the expected message present and the other two absent in the whole log; lenient: first message found in stdout.
      verdict: z.enum(["strict", "lenient"]).default("strict"),
      // The vote key of a test: agentless (normalize_test's ast.unparse form, via python3) or
      // canonical (our tree-sitter form; no Python needed).
      normalize: z.enum(["agentless", "canonical"]).default("agentless"),
    })
    .prefault({}),
  regress: z
    .strictObject({
      /** directives = Agentless 1.5's run (see src/regress/select.ts). */
      scope: z.enum(["directives", "touched", "localized", "all"]).default("directives"),
      /** Agentless 1.5 runs its model filter (select_regression_tests.py) by default. */
      model_filter: z.boolean().default(true),
      /** Which tests on the original code count as passing: PASSED only (Agentless) or XFAIL too (the harness's test_passed). */
      passing: z.enum(["passed", "passed_or_xfail"]).default("passed"),
    })
    .prefault({}),
  validate: z
    .strictObject({
      isolation: z.enum(["reuse", "container"]).default("reuse"),
      /** Wall-clock limit of one reproduction test run, seconds. */
      test_timeout_s: z.number().positive().default(120),
      // How samples are grouped into unique patches for the vote: agentless (Agentless's
      // normalize_patch exactly, via python3) or canonical (swerl's tree-sitter form, no Python).
      normalize: z.enum(["agentless", "canonical"]).default("agentless"),
    })
    .prefault({}),
  evaluate: z
    .strictObject({
      /** Harness rules for the eval script and grading: dataset (the eval_script column, v4.1 grading), v4.1, latest (5.x). */
      rules: z.enum(["dataset", "v4.1", "latest"]).default("dataset"),
    })
    .prefault({}),
  rerank: z
    .strictObject({
      rule: z.enum(["swerl", "swerl-tiebreak", "agentless"]).default("swerl"),
    })
    .prefault({}),
  docker: z
    .strictObject({
      namespace: z.string().default("swebench"),
      max_workers: positiveInt.default(4),
      timeout_s: z.number().positive().default(1800),
      memory: z
        .string()
        .regex(/^\d+(\.\d+)?[kmg]?$/i, "must look like 4g or 512m")
        .default("8g"),
      pids_limit: positiveInt.default(4096),
      cpus: z.number().positive().optional(),
      // Several engines: [{host: "unix:///var/run/docker.sock", workers: 4}, {host: "tcp://10.0.0.2:2376", workers: 8}].
      // Absent: the one engine of $DOCKER_HOST (or the local socket) with max_workers workers.
      hosts: z
        .array(
          z.strictObject({
            host: z.string().min(1),
            workers: positiveInt.optional(),
            has_images: z.boolean().default(false),
          }),
        )
        .min(1)
        .optional(),
    })
    .prefault({}),
});

export type SwerlConfig = z.infer<typeof configSchema>;
