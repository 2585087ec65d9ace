// One attempt of a chat completion request on one server, and its answer turned into results:
// the request body (n choices, one seed per request, the token budget field), the deadline
// (idle time when streamed, the whole answer otherwise), and the checks that make a malformed
// body a bad_response (retried) rather than a crash.
import type OpenAI from "openai";
import { assembleAnswer } from "./reasoning.js";
import { classifyError, type Classified } from "./retry.js";
import { collectStream } from "./stream-collect.js";
import type { ModelRequest, ModelResult } from "./types.js";

export type Outcome = { ok: true; results: ModelResult[] } | { ok: false; failure: Classified };

/** What one attempt needs of the provider's options. */
export interface AttemptOptions {
  model: string;
  timeoutMs: number;
  extraBody?: Record<string, unknown>;
  stream?: boolean;
  tokenParam?: "max_tokens" | "max_completion_tokens";
}

class DeadlineExceeded extends Error {}
class BadResponse extends Error {}

/** One request for the choices `indices` of `req`; a failure is classified (retryable or not), never thrown. */
export async function attemptCompletion(
  client: OpenAI,
  opts: AttemptOptions,
  req: ModelRequest,
  indices: readonly number[],
  maxTokens: number,
  started: number,
  attempt: number,
  onChoiceDone: (k: number) => void,
): Promise<Outcome> {
  const p = req.params;
  const controller = new AbortController();
  let timedOut = false;
  const expire = () => {
    timedOut = true;
    controller.abort(new DeadlineExceeded());
  };
  let timer = setTimeout(expire, opts.timeoutMs);
  const stream = opts.stream === true;
  try {
    const body = {
      ...opts.extraBody,
      model: opts.model,
      messages: req.messages,
      temperature: p.temperature,
      top_p: p.top_p,
      [opts.tokenParam ?? "max_tokens"]: maxTokens,
      n: indices.length,
      // one seed per request: with n > 1 its choices share it (the first sample's)
      ...(p.seed !== undefined ? { seed: p.seed + indices[0]! } : {}),
      ...(p.stop && p.stop.length > 0 ? { stop: p.stop } : {}),
    };
    if (stream) {
      const events = await client.chat.completions.create(
        {
          ...body,
          stream: true,
          stream_options: { include_usage: true },
        } as unknown as OpenAI.ChatCompletionCreateParamsStreaming,
        { signal: controller.signal },
      );
      let collected;
      try {
        collected = await collectStream(events, indices.length, {
          onChunk: () => {
            clearTimeout(timer);
            timer = setTimeout(expire, opts.timeoutMs);
          },
          onChoiceDone,
        });
      } catch (err) {
        if (timedOut || controller.signal.aborted) throw err;
        throw new BadResponse((err as Error).message);
      }
      return { ok: true, results: completionResults(collected, indices.length, started, attempt) };
    }
    const completion: unknown = await client.chat.completions.create(
      body as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming,
      { signal: controller.signal },
    );
    return { ok: true, results: completionResults(completion, indices.length, started, attempt) };
  } catch (err) {
    if (timedOut) {
      const what = stream
        ? `no event for ${opts.timeoutMs} ms`
        : `no complete answer within ${opts.timeoutMs} ms of sending`;
      return { ok: false, failure: { reason: "timeout", retryable: true, message: what } };
    }
    if (err instanceof BadResponse)
      return { ok: false, failure: { reason: "bad_response", retryable: true, message: err.message } };
    return { ok: false, failure: classifyError(err) };
  } finally {
    clearTimeout(timer);
  }
}

/** A chat completion body (or a collected stream) → one result per choice, in choice order, usage shared by length. */
export function completionResults(completion: unknown, n: number, started: number, attempts: number): ModelResult[] {
  const body = completion as {
    choices?: unknown;
    usage?: { prompt_tokens?: unknown; completion_tokens?: unknown };
  } | null;
  if (!body || typeof body !== "object" || !Array.isArray(body.choices) || body.choices.length === 0) {
    throw new BadResponse(
      `response is not a chat completion (no choices): ${JSON.stringify(completion)?.slice(0, 200)}`,
    );
  }
  if (body.choices.length !== n) throw new BadResponse(`asked for ${n} choices, got ${body.choices.length}`);
  const choices = [
    ...(body.choices as Array<{ index?: unknown; message?: Record<string, unknown>; finish_reason?: unknown }>),
  ].sort((a, b) => (typeof a.index === "number" ? a.index : 0) - (typeof b.index === "number" ? b.index : 0));
  const answers = choices.map((choice) => {
    const content = choice.message?.content;
    if (content !== null && content !== undefined && typeof content !== "string") {
      throw new BadResponse(`message.content is not a string: ${JSON.stringify(content).slice(0, 200)}`);
    }
    return {
      ...assembleAnswer(choice.message ?? {}),
      finishReason: typeof choice.finish_reason === "string" ? choice.finish_reason : undefined,
    };
  });
  const count = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : 0);
  const prompt = count(body.usage?.prompt_tokens);
  const completionTotal = count(body.usage?.completion_tokens);
  // servers report one completion count for all choices: shared out by answer length
  const chars = answers.reduce((s, a) => s + a.text.length, 0);
  let given = 0;
  const latencyMs = performance.now() - started;
  return answers.map((a, i) => {
    const share =
      i === n - 1
        ? completionTotal - given
        : Math.round(chars > 0 ? (completionTotal * a.text.length) / chars : completionTotal / n);
    given += share;
    return {
      ok: true as const,
      text: a.text,
      usage: { prompt_tokens: prompt, completion_tokens: share },
      latencyMs,
      cached: false,
      attempts,
      ...(a.thoughtSource !== "content" ? { thoughtSource: a.thoughtSource } : {}),
      ...(a.finishReason !== undefined ? { finishReason: a.finishReason } : {}),
    };
  });
}

/** Failures that say the server is unwell (not the request, not its load): they count toward pausing it. */
export const serverSide = (f: Classified): boolean =>
  f.reason === "connection" || f.reason === "bad_response" || /^http_5\d\d$/.test(f.reason);
