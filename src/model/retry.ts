// Which failures of an HTTP call to the model are worth another attempt, and how long to wait.
import { APIConnectionError, APIConnectionTimeoutError, APIError } from "openai";
import type { FailureReason } from "./types.js";

export interface Classified {
  reason: FailureReason;
  retryable: boolean;
  message: string;
  /** Server-requested wait (Retry-After / retry-after-ms), in ms. */
  retryAfterMs?: number;
}

// vLLM, SGLang, TGI and OpenAI phrase "prompt too long" differently.
const CONTEXT_LENGTH =
  /context[ _-]?length|context window|maximum context|max_model_len|too many tokens|prompt is too long|input (?:is )?too long|exceeds? the (?:model's )?(?:maximum|max)|reduce the length|input validation error: `inputs` tokens/i;

/** Delay asked by the server: Retry-After (seconds or an HTTP date) or retry-after-ms. */
export function parseRetryAfter(
  headers: { get(name: string): string | null } | undefined,
  now = Date.now(),
): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get("retry-after-ms");
  if (ms !== null && ms.trim() !== "" && Number.isFinite(Number(ms)) && Number(ms) >= 0) return Number(ms);
  const value = headers.get("retry-after");
  if (value === null || value.trim() === "") return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

function bodyText(err: APIError): string {
  const parts = [err.message];
  if (err.error !== undefined) parts.push(JSON.stringify(err.error));
  return parts.join(" ");
}

const DROP_CODES = new Set(["ECONNRESET", "EPIPE", "ECONNREFUSED", "ETIMEDOUT", "UND_ERR_SOCKET", "UND_ERR_CLOSED"]);

/** A socket closed under undici while the body was read ("terminated"), outside openai's wrapping. */
function isConnectionDrop(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && DROP_CODES.has(code)) return true;
    if (e.message === "terminated" || e.message === "other side closed") return true;
  }
  return false;
}

/** Classify anything thrown by `chat.completions.create`. */
export function classifyError(err: unknown): Classified {
  if (err instanceof APIConnectionTimeoutError) {
    return { reason: "timeout", retryable: true, message: err.message };
  }
  if (err instanceof APIConnectionError) {
    const cause = (err as { cause?: unknown }).cause;
    const detail =
      cause instanceof Error
        ? `: ${cause.message}${(cause as { cause?: Error }).cause ? ` (${(cause as { cause?: Error }).cause!.message})` : ""}`
        : "";
    return { reason: "connection", retryable: true, message: `${err.message}${detail}` };
  }
  if (err instanceof APIError && typeof err.status === "number") {
    const status = err.status;
    const message = bodyText(err);
    if ((status === 400 || status === 413 || status === 422) && CONTEXT_LENGTH.test(message)) {
      return { reason: "context_length", retryable: false, message };
    }
    const retryable = status === 408 || status === 409 || status === 429 || status >= 500;
    return { reason: `http_${status}`, retryable, message, retryAfterMs: parseRetryAfter(err.headers) };
  }
  if (isConnectionDrop(err)) {
    return {
      reason: "connection",
      retryable: true,
      message: `connection lost while reading the answer: ${(err as Error).message}`,
    };
  }
  if (err instanceof SyntaxError) {
    return { reason: "bad_response", retryable: true, message: `response body is not JSON: ${err.message}` };
  }
  throw err; // a bug on our side, not a failed call
}

export interface BackoffOptions {
  /** First retry waits about this long (ms). */
  baseDelayMs: number;
  /** Exponential growth stops here (ms). */
  maxDelayMs: number;
  /** A server asking for longer than this is capped (ms). */
  maxRetryAfterMs: number;
}

export const defaultBackoff: BackoffOptions = { baseDelayMs: 1000, maxDelayMs: 60_000, maxRetryAfterMs: 300_000 };

/**
 * Wait before retry number `retry` (0 for the first retry): the server's Retry-After when it
 * gave one, otherwise base·2^retry capped, with jitter in [50%, 100%] so that hundreds of
 * failed calls do not come back at the same instant.
 */
export function backoffDelay(retry: number, opts: BackoffOptions, retryAfterMs?: number, random = Math.random): number {
  if (retryAfterMs !== undefined)
    return Math.min(retryAfterMs, opts.maxRetryAfterMs) + random() * Math.min(250, opts.baseDelayMs);
  const exp = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** retry);
  return exp * (0.5 + 0.5 * random());
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
