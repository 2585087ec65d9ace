// max_tokens that fit the server's context: vLLM rejects (400) any request whose prompt plus
// max_tokens exceeds max_model_len, even when the answer would have been short. The prompt is
// counted with the Llama 3 tokenizer (a stand-in for the served model's own, plus a margin for
// the chat template); when the server still refuses, its own count from the 400 is used for
// one more attempt, so a tokenizer that counts differently costs one extra round trip.
import llama3Tokenizer from "llama3-tokenizer-js";
import type { ChatMessage } from "./types.js";

/** Chat-template tokens per message (role headers, separators) and a relative margin for tokenizer differences. */
const PER_MESSAGE = 8;
const MARGIN = 0.03;

/** An upper estimate of the prompt's tokens as a chat template renders it. */
export function estimatePromptTokens(messages: readonly ChatMessage[]): number {
  let n = 0;
  for (const m of messages) n += llama3Tokenizer.encode(m.content, { bos: false, eos: false }).length + PER_MESSAGE;
  return Math.ceil(n * (1 + MARGIN)) + 16;
}

/** max_tokens for this prompt on a server with `maxModelLen` (null: unknown, unchanged). */
export function clampMaxTokens(
  messages: readonly ChatMessage[],
  maxTokens: number,
  maxModelLen: number | null,
): number {
  if (maxModelLen === null) return maxTokens;
  // every token is at least one character: a short prompt needs no tokenizer run
  const chars = messages.reduce((n, m) => n + m.content.length + PER_MESSAGE, 16);
  if (chars + maxTokens <= maxModelLen) return maxTokens;
  const room = maxModelLen - estimatePromptTokens(messages);
  // no room by our count: the server's own count decides (a 400 with its numbers, then roomFromContextError)
  return room >= 1 ? Math.min(maxTokens, room) : maxTokens;
}

/**
 * From a context-length error, the room the server says is left for the completion:
 * vLLM ≤ 0.9 "maximum context length is L tokens. However, you requested T tokens (P in the
 * messages, C in the completion)", newer vLLM "maximum context length is L tokens and your
 * request has P input tokens", SGLang "… (P tokens) … context length (L tokens)". Undefined when
 * the message does not say, or no room is left.
 */
export function roomFromContextError(message: string): number | undefined {
  const len =
    /maximum context length is (\d+)/i.exec(message) ??
    /context length of (\d+)/i.exec(message) ??
    /context length \((\d+) tokens?\)/i.exec(message);
  const prompt =
    /(\d+) in the messages/i.exec(message) ??
    /has (\d+) input tokens/i.exec(message) ??
    /input length \((\d+) tokens?\)/i.exec(message) ??
    /(\d+) (?:prompt|input) tokens/i.exec(message);
  if (!len || !prompt) return undefined;
  const room = Number(len[1]) - Number(prompt[1]);
  return room > 0 ? room : undefined;
}
