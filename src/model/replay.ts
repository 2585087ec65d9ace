// Replay: answers from the samples file of an earlier run, records
// {instance_id, stage, sample, raw_output} or, as runs store answers by default, raw_output_gz
// (base64 gzip; store/raw-output.ts) instead of raw_output (JSONL). Re-scores old outputs with new parsing or
// reranking without a model. A missing sample, or one that had failed, is an error result;
// an unreadable or malformed file is bad input and throws, naming the line.
import { createReadStream } from "node:fs";
import { access } from "node:fs/promises";
import { createInterface } from "node:readline";
import { rawOutputOf } from "../store/raw-output.js";
import type { ModelProvider, ModelRequest, ModelResult, TokenUsage } from "./types.js";

interface ReplayRecord {
  text: string | null;
  usage: TokenUsage;
  error?: string;
}

const replayKey = (instanceId: string, stage: string, sample: number): string =>
  `${instanceId}\u0000${stage}\u0000${sample}`;

function usageOf(r: Record<string, unknown>): TokenUsage {
  const from = (r.usage && typeof r.usage === "object" ? r.usage : r) as Record<string, unknown>;
  const n = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : 0);
  return { prompt_tokens: n(from.prompt_tokens), completion_tokens: n(from.completion_tokens) };
}

/** Read a samples file; later records of the same (instance, stage, sample) win (resumed runs append). */
export async function loadReplayFile(path: string): Promise<Map<string, ReplayRecord>> {
  await access(path).catch(() => {
    throw new Error(`model.replay_file: cannot read ${path}`);
  });
  const records = new Map<string, ReplayRecord>();
  const lines = createInterface({ input: createReadStream(path, "utf8"), crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === "") continue;
    let r: Record<string, unknown>;
    try {
      r = JSON.parse(line) as Record<string, unknown>;
    } catch (err) {
      throw new Error(`${path}:${lineNo}: not JSON (${(err as Error).message})`);
    }
    const where = `${path}:${lineNo}`;
    if (typeof r.instance_id !== "string") throw new Error(`${where}: "instance_id" must be a string`);
    if (typeof r.stage !== "string") throw new Error(`${where}: "stage" must be a string`);
    if (!Number.isInteger(r.sample)) throw new Error(`${where}: "sample" must be an integer`);
    const text = rawOutputOf(r, where);
    const error =
      typeof r.error === "string" ? r.error : typeof r.error_reason === "string" ? r.error_reason : undefined;
    records.set(replayKey(r.instance_id, r.stage, r.sample as number), {
      text,
      usage: usageOf(r),
      ...(error !== undefined ? { error } : {}),
    });
  }
  return records;
}

export class ReplayProvider implements ModelProvider {
  readonly kind = "replay" as const;
  readonly name: string;
  private records: Promise<Map<string, ReplayRecord>> | undefined;

  constructor(
    readonly path: string,
    name?: string,
  ) {
    this.name = name ?? `replay:${path}`;
  }

  async complete(req: ModelRequest): Promise<ModelResult> {
    const started = performance.now();
    this.records ??= loadReplayFile(this.path);
    const rec = (await this.records).get(replayKey(req.instanceId, req.stage, req.sampleIndex));
    const latencyMs = () => performance.now() - started;
    if (!rec) {
      return {
        ok: false,
        reason: "replay_missing",
        latencyMs: latencyMs(),
        message: `${this.path} has no sample ${req.sampleIndex} of stage "${req.stage}" for ${req.instanceId}`,
      };
    }
    if (rec.text === null) {
      return {
        ok: false,
        reason: "replay_error",
        latencyMs: latencyMs(),
        message: `sample ${req.sampleIndex} of stage "${req.stage}" for ${req.instanceId} had failed in the replayed run${rec.error ? `: ${rec.error}` : ""}`,
      };
    }
    return { ok: true, text: rec.text, usage: rec.usage, latencyMs: latencyMs(), cached: false };
  }
}
