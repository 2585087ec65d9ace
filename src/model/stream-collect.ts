// A streamed chat completion (server-sent chat.completion.chunk events) put back together as
// the non-streamed body would have been: per choice its content and reasoning fields
// (`reasoning_content` of older vLLM and SGLang, `reasoning` of newer vLLM) and finish_reason,
// plus the usage chunk. Each choice is reported as it ends, so its sequence slot can be given
// back while the other choices of the request are still generating.

export interface CollectedCompletion {
  choices: Array<{ index: number; message: Record<string, string | null>; finish_reason: string | null }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number };
}

interface ChunkChoice {
  index?: unknown;
  delta?: Record<string, unknown> | null;
  finish_reason?: unknown;
}
interface Chunk {
  choices?: unknown;
  usage?: unknown;
}

const REASONING_FIELDS = ["reasoning_content", "reasoning"] as const;

/**
 * Reads `chunks` to the end. `onChunk` runs on every event (the caller's idle clock);
 * `onChoiceDone(index)` once per choice, at its finish_reason. Throws on a choice index
 * outside 0..n-1 (the caller counts that as a bad response).
 */
export async function collectStream(
  chunks: AsyncIterable<unknown>,
  n: number,
  hooks: {
    onChunk?: () => void;
    onChoiceDone?: (index: number) => void;
  } = {},
): Promise<CollectedCompletion> {
  const parts = Array.from({ length: n }, () => ({
    content: [] as string[],
    reasoning: new Map<string, string[]>(),
    finish: null as string | null,
    seen: false,
  }));
  let usage: CollectedCompletion["usage"];
  for await (const raw of chunks) {
    hooks.onChunk?.();
    const chunk = raw as Chunk | null;
    if (!chunk || typeof chunk !== "object") continue;
    if (chunk.usage && typeof chunk.usage === "object") usage = chunk.usage as CollectedCompletion["usage"];
    if (!Array.isArray(chunk.choices)) continue;
    for (const c of chunk.choices as ChunkChoice[]) {
      const index = typeof c.index === "number" ? c.index : 0;
      const part = parts[index];
      if (!part) throw new Error(`streamed choice index ${String(c.index)} is outside the ${n} choices asked for`);
      part.seen = true;
      const delta = c.delta ?? {};
      if (typeof delta.content === "string") part.content.push(delta.content);
      for (const field of REASONING_FIELDS) {
        const piece = delta[field];
        if (typeof piece !== "string") continue;
        if (!part.reasoning.has(field)) part.reasoning.set(field, []);
        part.reasoning.get(field)!.push(piece);
      }
      if (typeof c.finish_reason === "string" && part.finish === null) {
        part.finish = c.finish_reason;
        hooks.onChoiceDone?.(index);
      }
    }
  }
  const missing = parts.findIndex((p) => !p.seen);
  if (missing >= 0) throw new Error(`the stream ended without choice ${missing} of the ${n} asked for`);
  return {
    choices: parts.map((p, index) => {
      const message: Record<string, string | null> = { content: p.content.join("") };
      for (const [field, pieces] of p.reasoning) message[field] = pieces.join("");
      return { index, message, finish_reason: p.finish };
    }),
    ...(usage ? { usage } : {}),
  };
}
