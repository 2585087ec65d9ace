// The model protocol every stage calls: one request in, one result out, never a throw for a
// failed call (a failed sample is recorded with its reason, like a successful one).

export type Role = "system" | "user" | "assistant";

export interface ChatMessage {
  role: Role;
  content: string;
}

export interface SamplingParams {
  temperature: number;
  top_p: number;
  max_tokens: number;
  /**
   * Base seed. The openai provider sends `seed + sampleIndex` with n = 1, so the N samples of
   * one prompt differ from each other yet each one is reproducible; a request with n > 1 has
   * one seed, `seed +` its first sample's index.
   */
  seed?: number;
  stop?: string[];
}

export interface ModelRequest {
  messages: ChatMessage[];
  /** Index of this sample among the samples drawn for (instance, stage); part of the cache key. */
  sampleIndex: number;
  instanceId: string;
  /** Pipeline stage asking ("localize", "repair", "reproduce", ...): usage is aggregated per stage. */
  stage: string;
  params: SamplingParams;
}

export interface TokenUsage {
  prompt_tokens: number;
  completion_tokens: number;
}

/** Why a call failed. Retryable failures appear here only once retries are exhausted. */
export type FailureReason =
  | "context_length" // the prompt does not fit the model's context (HTTP 400/413): never retried
  | `http_${number}` // any other HTTP status (400, 401, 404, 422 not retried; 429/5xx after retries)
  | "timeout" // no answer within model.timeout_s, after retries
  | "connection" // connection refused/reset, after retries
  | "bad_response" // a body that is not a chat completion (malformed JSON, no choices), after retries
  | "replay_missing" // replay: the samples file has no record for (instance, stage, sample)
  | "replay_error" // replay: the recorded sample itself had failed
  | "oracle_no_gold" // oracle: no gold patch / files for the instance
  | "oracle_unsupported_stage" // oracle: no answer builder for the stage
  | "interrupted" // Ctrl-C (or the stage gave up) before the call got an answer: never recorded, asked again on resume
  | "exception"; // a provider threw (a bug), recorded all the same

export type ModelResult =
  | {
      ok: true;
      text: string;
      usage: TokenUsage;
      /** Wall time of the whole call, retries and waits included (0-ish for cache hits). */
      latencyMs: number;
      /** True when the answer came from the response cache or a shared identical in-flight call. */
      cached: boolean;
      /** Number of HTTP attempts made (openai provider; absent elsewhere). */
      attempts?: number;
      /** The server's finish_reason ("stop", "length", ...), when it gave one. */
      finishReason?: string;
      /** Where the thought came from when not in the text as sent: a reasoning field, or a pre-filled `<think>`. */
      thoughtSource?: "reasoning_content" | "reasoning" | "prefilled";
      /** Cache hits only: the run that recorded the answer, when it was another run. */
      cachedFromRun?: string;
      /** Oracle only: which policy produced the answer ("correct", "wrong_edit", "format_error:…", "noop"). */
      oracleVariant?: string;
    }
  | {
      ok: false;
      reason: FailureReason;
      message: string;
      latencyMs: number;
      attempts?: number;
    };

export type ProviderKind = "openai" | "oracle" | "replay";

export interface ModelProvider {
  /** Model name as reports should show it ("oracle" for the oracle). */
  name: string;
  kind: ProviderKind;
  complete(req: ModelRequest): Promise<ModelResult>;
  /**
   * Samples `sampleIndices` of one request (`req.sampleIndex` is ignored), in that order:
   * providers that can ask for n choices at once do (see completeSamples).
   */
  completeBatch?(req: ModelRequest, sampleIndices: readonly number[], hooks?: BatchHooks): Promise<ModelResult[]>;
}

export interface BatchHooks {
  /**
   * A sample's answer is complete (its choice ended in a streamed response, or it came from
   * the cache) before the whole batch returns: its room in a queue can go to the next request.
   */
  onSampleDone?(sample: number): void;
}

/** The samples of one request: one call with n choices where the provider can, else one call each. */
export function completeSamples(
  provider: ModelProvider,
  req: ModelRequest,
  sampleIndices: readonly number[],
  hooks?: BatchHooks,
): Promise<ModelResult[]> {
  if (provider.completeBatch) return provider.completeBatch(req, sampleIndices, hooks);
  // A throw is a provider bug; it fails that sample only, recorded like any failed call.
  return Promise.all(
    sampleIndices.map((s) =>
      provider.complete({ ...req, sampleIndex: s }).catch(
        (err: unknown): ModelResult => ({
          ok: false,
          reason: "exception",
          message: (err as Error).message,
          latencyMs: 0,
        }),
      ),
    ),
  );
}
