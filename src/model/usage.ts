// Token usage per pipeline stage: what the run store saves and the report shows. Throughput is
// completion tokens over the stage's busy wall time (time with at least one call in flight),
// so it measures what the servers delivered to us, not a sum of overlapping latencies.
import type { ModelResult } from "./types.js";

export interface StageUsage {
  requests: number;
  ok: number;
  failed: number;
  /** Failure count per reason. */
  failures: Record<string, number>;
  /** Answers served from the cache or a shared in-flight call (their tokens are counted apart). */
  cached: number;
  /** Of the cached answers, those another run recorded. */
  cached_from_other_runs: number;
  /** Answers per finish_reason ("stop", "length", …; "none" where the server gave none). */
  finish_reasons: Record<string, number>;
  /** Answers cut at max_tokens (finish_reason "length"). */
  truncated: number;
  prompt_tokens: number;
  completion_tokens: number;
  cached_prompt_tokens: number;
  cached_completion_tokens: number;
  /** Sum of per-call latencies, ms (cache hits excluded). */
  latency_ms_total: number;
  /** Wall time with at least one call in flight, ms. */
  busy_ms: number;
  /** completion_tokens / busy seconds. */
  completion_tokens_per_s: number;
  /** (prompt + completion) / busy seconds. */
  total_tokens_per_s: number;
}

interface StageState extends Omit<StageUsage, "completion_tokens_per_s" | "total_tokens_per_s"> {
  active: number;
  busySince: number;
}

const fresh = (): StageState => ({
  requests: 0,
  ok: 0,
  failed: 0,
  failures: {},
  cached: 0,
  cached_from_other_runs: 0,
  finish_reasons: {},
  truncated: 0,
  prompt_tokens: 0,
  completion_tokens: 0,
  cached_prompt_tokens: 0,
  cached_completion_tokens: 0,
  latency_ms_total: 0,
  busy_ms: 0,
  active: 0,
  busySince: 0,
});

export class UsageMeter {
  private stages = new Map<string, StageState>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  private stage(name: string): StageState {
    let s = this.stages.get(name);
    if (!s) this.stages.set(name, (s = fresh()));
    return s;
  }

  /** Mark a call as started; the returned function records its result (none if it threw). */
  begin(stage: string): (result?: ModelResult) => void {
    const s = this.stage(stage);
    if (s.active++ === 0) s.busySince = this.now();
    let done = false;
    return (result) => {
      if (done) return;
      done = true;
      if (--s.active === 0) s.busy_ms += this.now() - s.busySince;
      if (result) this.record(s, result);
    };
  }

  private record(s: StageState, result: ModelResult): void {
    s.requests++;
    if (!result.ok) {
      s.failed++;
      s.failures[result.reason] = (s.failures[result.reason] ?? 0) + 1;
      return;
    }
    s.ok++;
    const finish = result.finishReason ?? "none";
    s.finish_reasons[finish] = (s.finish_reasons[finish] ?? 0) + 1;
    if (finish === "length") s.truncated++;
    if (result.cached) {
      s.cached++;
      if (result.cachedFromRun !== undefined) s.cached_from_other_runs++;
      s.cached_prompt_tokens += result.usage.prompt_tokens;
      s.cached_completion_tokens += result.usage.completion_tokens;
      return;
    }
    s.prompt_tokens += result.usage.prompt_tokens;
    s.completion_tokens += result.usage.completion_tokens;
    s.latency_ms_total += result.latencyMs;
  }

  /** JSON-ready usage per stage. Stages still busy count their time so far. */
  snapshot(): Record<string, StageUsage> {
    const out: Record<string, StageUsage> = {};
    for (const [name, s] of this.stages) {
      const busy = s.busy_ms + (s.active > 0 ? this.now() - s.busySince : 0);
      const seconds = busy / 1000;
      const { active: _a, busySince: _b, ...rest } = s;
      out[name] = {
        ...rest,
        failures: { ...s.failures },
        finish_reasons: { ...s.finish_reasons },
        busy_ms: Math.round(busy),
        latency_ms_total: Math.round(s.latency_ms_total),
        completion_tokens_per_s: seconds > 0 ? s.completion_tokens / seconds : 0,
        total_tokens_per_s: seconds > 0 ? (s.prompt_tokens + s.completion_tokens) / seconds : 0,
      };
    }
    return out;
  }
}

/** Two stretches of one stage's usage (e.g. before and after a resume) as one. */
export function addStageUsage(a: StageUsage | undefined, b: StageUsage): StageUsage {
  if (!a) return b;
  const add = (x: Record<string, number> = {}, y: Record<string, number> = {}): Record<string, number> => {
    const out = { ...x };
    for (const [k, v] of Object.entries(y)) out[k] = (out[k] ?? 0) + v;
    return out;
  };
  const sum = {
    requests: a.requests + b.requests,
    ok: a.ok + b.ok,
    failed: a.failed + b.failed,
    failures: add(a.failures, b.failures),
    cached: a.cached + b.cached,
    // usage.json written before these counters existed has none of them
    cached_from_other_runs: (a.cached_from_other_runs ?? 0) + (b.cached_from_other_runs ?? 0),
    finish_reasons: add(a.finish_reasons, b.finish_reasons),
    truncated: (a.truncated ?? 0) + (b.truncated ?? 0),
    prompt_tokens: a.prompt_tokens + b.prompt_tokens,
    completion_tokens: a.completion_tokens + b.completion_tokens,
    cached_prompt_tokens: a.cached_prompt_tokens + b.cached_prompt_tokens,
    cached_completion_tokens: a.cached_completion_tokens + b.cached_completion_tokens,
    latency_ms_total: a.latency_ms_total + b.latency_ms_total,
    busy_ms: a.busy_ms + b.busy_ms,
  };
  const seconds = sum.busy_ms / 1000;
  return {
    ...sum,
    completion_tokens_per_s: seconds > 0 ? sum.completion_tokens / seconds : 0,
    total_tokens_per_s: seconds > 0 ? (sum.prompt_tokens + sum.completion_tokens) / seconds : 0,
  };
}
