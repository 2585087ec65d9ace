// How the vLLM imitation (vllm-server.ts) puts generated text on the wire: the message fields
// of a reasoning mode, and server-sent events for `stream: true` (chat.completion.chunk
// objects, a role chunk when a choice starts, pieces while it generates, a finish chunk, an
// optional usage chunk, `data: [DONE]`), as vLLM's serving_chat.py streams them.
import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import { presentMessage, type ReasoningMode } from "./vllm-protocol.js";

/** The message fields of generated text under a reasoning mode. */
export function messageFields(mode: ReasoningMode, text: string): Record<string, string | null> {
  const m = presentMessage(mode, text);
  if (mode === "reasoning") return { reasoning: m.reasoning ?? null, content: m.content };
  return { reasoning_content: m.reasoning ?? null, content: m.content }; // vLLM ≤ 0.10 always has the field, null without a parser
}

/** A cut position moved past any think tag it would split (a parser holds back partial tags). */
function outsideTags(text: string, to: number): number {
  for (const tag of ["<think>", "</think>"]) {
    for (let at = text.indexOf(tag); at >= 0 && at < to; at = text.indexOf(tag, at + 1)) {
      if (to < at + tag.length) return at + tag.length;
    }
  }
  return to;
}

/** Server-sent events of one streamed chat request (vLLM's chunk shapes). */
export class SseWriter {
  private readonly id = `chatcmpl-${randomBytes(16).toString("hex")}`;
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private readonly sent = new Map<number, number>(); // choice → characters of its text sent
  private readonly texts = new Map<number, string>();

  constructor(
    private readonly res: ServerResponse,
    private readonly model: string,
    private readonly mode: ReasoningMode,
  ) {
    res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" });
    res.flushHeaders();
  }

  private write(choices: unknown[], usage?: unknown): void {
    const chunk = {
      id: this.id,
      object: "chat.completion.chunk",
      created: Math.floor(Date.now() / 1000),
      model: this.model,
      choices,
      ...(usage ? { usage } : {}),
    };
    this.res.write(`data: ${JSON.stringify(chunk)}\n\n`);
  }

  begin(index: number, text: string, holdMs: number, intervalMs: number): void {
    this.texts.set(index, text);
    this.sent.set(index, 0);
    this.write([{ index, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null }]);
    if (intervalMs <= 0 || holdMs <= intervalMs) return;
    const pieces = Math.floor(holdMs / intervalMs);
    const per = Math.max(1, Math.ceil(text.length / pieces));
    this.timers.set(
      index,
      setInterval(() => this.piece(index, per), intervalMs),
    );
  }

  /** Send the next `chars` characters of a choice, split at the thought's end as a parser would. */
  private piece(index: number, chars: number): void {
    const text = this.texts.get(index)!;
    const from = this.sent.get(index)!;
    const to = outsideTags(text, Math.min(text.length, from + chars));
    if (to <= from) return;
    this.sent.set(index, to);
    // the fields of the prefix minus those of the prefix already sent
    const before = messageFields(this.mode, text.slice(0, from));
    const after = messageFields(this.mode, text.slice(0, to));
    const delta: Record<string, string> = {};
    for (const [k, v] of Object.entries(after)) {
      const prev = before[k] ?? "";
      if (v && v.length > prev.length && v.startsWith(prev)) delta[k] = v.slice(prev.length);
    }
    if (Object.keys(delta).length > 0) this.write([{ index, delta, logprobs: null, finish_reason: null }]);
  }

  finish(index: number, finishReason: string, stopReason: string | null): void {
    clearInterval(this.timers.get(index));
    this.piece(index, Number.MAX_SAFE_INTEGER);
    this.write([{ index, delta: {}, logprobs: null, finish_reason: finishReason, stop_reason: stopReason }]);
  }

  end(usage?: unknown): void {
    if (usage) this.write([], usage);
    this.res.end("data: [DONE]\n\n");
  }

  stop(): void {
    for (const t of this.timers.values()) clearInterval(t);
  }
}
