// The wire details of vLLM's OpenAI-compatible server that the imitation in vllm-server.ts
// reproduces: token counting (an approximation, see countTokens), error bodies in the two
// shapes vLLM has used, its context-length messages, and how a reasoning parser splits the
// generated text into `reasoning_content`/`reasoning` and `content`.
// Sources read (not copied): vllm/entrypoints/openai/serving_engine.py (_check_model,
// _validate_prompt_and_tokenize), serving_models.py (show_available_models, v0.8.x),
// protocol.py (ErrorResponse, ModelCard, ChatMessage, v0.10.x).

/**
 * Tokens of a text: one per 4 characters, rounded up (vLLM counts with the model's tokenizer;
 * 4 characters/token is close to Llama 3's average on English and code).
 */
export const countTokens = (text: string): number => Math.ceil(text.length / 4);

export type MessageContent = string | null | Array<{ type?: string; text?: string }>;

const contentText = (c: MessageContent | undefined): string =>
  typeof c === "string" ? c : Array.isArray(c) ? c.map((p) => p.text ?? "").join("") : "";

/** Prompt tokens of a chat request: the sum of countTokens over the messages' contents (no template overhead). */
export const promptTokens = (messages: ReadonlyArray<{ content?: MessageContent }>): number =>
  messages.reduce((n, m) => n + countTokens(contentText(m.content)), 0);

/** The prompt as one string (prefix-cache key). */
export const promptText = (messages: ReadonlyArray<{ role?: string; content?: MessageContent }>): string =>
  messages.map((m) => `${m.role ?? ""}\u0000${contentText(m.content)}`).join("\u0001");

/**
 * Error body shapes. "flat" (vLLM up to ~0.10.0): {object:"error", message, type, param, code}.
 * "nested" (vLLM ≥ 0.10.1, protocol.py ErrorResponse{error: ErrorInfo}): {error:{message, type, param, code}}.
 */
export type ErrorStyle = "flat" | "nested";

export function errorBody(
  style: ErrorStyle,
  message: string,
  type: string,
  code: number,
  param: string | null = null,
): object {
  return style === "flat" ? { object: "error", message, type, param, code } : { error: { message, type, param, code } };
}

/** vLLM's 404 for a model name it does not serve (serving_engine.py _check_model). */
export const unknownModelMessage = (model: string): string => `The model \`${model}\` does not exist.`;

/**
 * vLLM's 400 when the prompt, or prompt + max_tokens, exceeds max_model_len. Older servers
 * ("flat") say "However, you requested M tokens (P in the messages, K in the completion)";
 * newer ones ("nested") say "'max_tokens' or 'max_completion_tokens' is too large: K. …".
 * maxTokens undefined: the prompt alone does not fit (prompt >= max_model_len).
 */
export function contextLengthMessage(
  style: ErrorStyle,
  maxModelLen: number,
  prompt: number,
  maxTokens?: number,
): string {
  const head = `This model's maximum context length is ${maxModelLen} tokens.`;
  if (style === "flat") {
    return maxTokens === undefined
      ? `${head} However, you requested ${prompt} tokens in the messages, Please reduce the length of the messages.`
      : `${head} However, you requested ${prompt + maxTokens} tokens (${prompt} in the messages, ${maxTokens} in the completion). ` +
          "Please reduce the length of the messages or completion.";
  }
  return maxTokens === undefined
    ? `${head} However, your request has ${prompt} input tokens. Please reduce the length of the input messages.`
    : `'max_tokens' or 'max_completion_tokens' is too large: ${maxTokens}. This model's maximum context length is ` +
        `${maxModelLen} tokens and your request has ${prompt} input tokens (${maxTokens} > ${maxModelLen} - ${prompt}).`;
}

/**
 * How the generated text reaches the client.
 * - "none": no reasoning parser; `content` is everything generated.
 * - "reasoning_content": `--reasoning-parser` on older vLLM (≤ 0.10): the thought in
 *   `message.reasoning_content`, the rest in `content`.
 * - "reasoning": the same on newer vLLM, field `message.reasoning`.
 * - "prefilled_think": no parser, but the chat template ends with `<think>\n` (DeepSeek-R1
 *   style), so the generated `content` starts inside the thought: no opening tag, `</think>` later.
 */
export type ReasoningMode = "none" | "reasoning_content" | "reasoning" | "prefilled_think";

export interface PresentedMessage {
  content: string | null;
  /** Thought, for the parser modes (null when there was none). */
  reasoning?: string | null;
}

const OPEN = "<think>";
const CLOSE = "</think>";

/**
 * The text the model generates for an answer, as the canonical `<think>R</think>C` (or C alone
 * when there is no thought), before padding and truncation.
 */
export const generatedText = (text: string, reasoning?: string): string =>
  reasoning === undefined ? text : `${OPEN}${reasoning}${CLOSE}${text}`;

/** In "prefilled_think" mode the opening tag is part of the prompt, not generated. */
export const dropOpeningThink = (generated: string): string =>
  generated.startsWith(OPEN) ? generated.slice(OPEN.length) : generated;

/**
 * Split generated text the way vLLM's think-tag reasoning parsers do: a text starting with
 * `<think>` gives the thought up to `</think>` and the content after it (null when empty); a
 * thought cut off by max_tokens (no `</think>`) is all reasoning with content null (the
 * DeepSeek-R1 parser's behaviour); a text without `<think>` is all content (Qwen3's).
 */
export function presentMessage(mode: ReasoningMode, generated: string): PresentedMessage {
  if (mode === "none" || mode === "prefilled_think") return { content: generated };
  const trimmed = generated.trimStart();
  if (!trimmed.startsWith(OPEN)) return { content: generated, reasoning: null };
  const rest = trimmed.slice(OPEN.length);
  const end = rest.indexOf(CLOSE);
  if (end < 0) return { content: null, reasoning: rest };
  const content = rest.slice(end + CLOSE.length);
  return { content: content === "" ? null : content, reasoning: rest.slice(0, end) };
}

/**
 * Pad generated text to `tokens` tokens with filler words ("hmm " = 1 token) inside the thought
 * (before `</think>`), or at the end when there is no thought: the heavy-tailed length draw
 * makes a model think longer without changing its answer.
 */
export function padToTokens(generated: string, tokens: number): string {
  const missing = tokens - countTokens(generated);
  if (missing <= 0) return generated;
  const filler = "hmm ".repeat(missing);
  const at = generated.indexOf(CLOSE);
  return at < 0 ? generated + filler : generated.slice(0, at) + filler + generated.slice(at);
}

/** Cut generated text at maxTokens tokens (4 characters each): finish_reason "length" when cut. */
export function truncateTokens(
  generated: string,
  maxTokens: number,
): { text: string; finishReason: "stop" | "length" } {
  return countTokens(generated) > maxTokens
    ? { text: generated.slice(0, maxTokens * 4), finishReason: "length" }
    : { text: generated, finishReason: "stop" };
}
