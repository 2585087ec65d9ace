// The GPU side of the vLLM imitation: S sequence slots (vLLM's --max-num-seqs), a FIFO queue
// of sequences waiting for one (vLLM's scheduler is first-come-first-served; a request with
// n > 1 is n sequences, as the V1 engine fans it out), and a time model: a sequence holds its
// slot for its prefill (slow for a prompt never seen, fast for one in the prefix cache) plus
// tokens × per-token latency. Decode speed does not depend on the batch size here (on a GPU it
// does, mildly); what this models is slot occupancy. Real time, real timers.

export interface SchedulerOptions {
  /** Sequence slots (vLLM --max-num-seqs; default there 256). */
  slots: number;
  /** Milliseconds per generated token. */
  tokenLatencyMs: number;
  /** Prefill of a prompt not in the prefix cache, ms. */
  prefillMs: number;
  /** Prefill of a prompt already seen (prefix-cache hit), ms. */
  cachedPrefillMs: number;
}

export interface SequenceSpec {
  /** Prefix-cache key (the prompt). */
  prefixKey: string;
  /** Tokens generated. */
  tokens: number;
  /** Extra time in the slot beyond prefill and decode, ms (tests: a slow answer). */
  extraMs?: number;
  /** Called when the sequence gets a slot, with the time it will hold it. */
  onStart?: (holdMs: number) => void;
  onDone: () => void;
}

interface Sequence extends SequenceSpec {
  state: "queued" | "running" | "done";
  startedAt?: number;
  timer?: NodeJS.Timeout;
}

export interface SchedulerCounters {
  /** Sequences submitted (choices). */
  sequences: number;
  /** Sequences aborted (client went away) while queued or running. */
  abortedSequences: number;
  /** Slot-milliseconds held by finished or aborted sequences, plus running ones so far. */
  busySlotMs: number;
  /** Most sequences waiting for a slot at once. */
  maxQueueDepth: number;
  /** Most sequences holding a slot at once. */
  maxRunning: number;
  /** Sequences whose prefill hit the prefix cache / missed it. */
  prefixHits: number;
  prefixMisses: number;
  /** Distinct prompts among the sequences started (since the last reset). */
  distinctPrompts: number;
  /** Prompts in the prefix cache (it never evicts; a reset keeps it). */
  prefixCacheEntries: number;
  /** performance.now() of the first submitted sequence and of the last one to finish. */
  firstSubmitAt: number | null;
  lastDoneAt: number | null;
}

export class SlotScheduler {
  private readonly queue: Sequence[] = [];
  private readonly running = new Set<Sequence>();
  private readonly prefixCache = new Set<string>();
  private seen = new Set<string>();
  private busyDone = 0;
  private c: Omit<SchedulerCounters, "busySlotMs" | "distinctPrompts" | "prefixCacheEntries"> = SlotScheduler.zero();

  constructor(readonly opts: SchedulerOptions) {
    if (!(opts.slots >= 1)) throw new Error(`vllm imitation: slots must be >= 1, got ${opts.slots}`);
  }

  private static zero() {
    return {
      sequences: 0,
      abortedSequences: 0,
      maxQueueDepth: 0,
      maxRunning: 0,
      prefixHits: 0,
      prefixMisses: 0,
      firstSubmitAt: null,
      lastDoneAt: null,
    };
  }

  get queued(): number {
    return this.queue.length;
  }
  get active(): number {
    return this.running.size;
  }

  /** Queue sequences (in order); returns a function that aborts those not finished. */
  submit(specs: SequenceSpec[]): () => void {
    const seqs: Sequence[] = specs.map((s) => ({ ...s, state: "queued" }));
    this.c.sequences += seqs.length;
    this.c.firstSubmitAt ??= performance.now();
    this.queue.push(...seqs);
    this.pump();
    this.c.maxQueueDepth = Math.max(this.c.maxQueueDepth, this.queue.length);
    return () => {
      for (const s of seqs) this.abort(s);
      this.pump();
    };
  }

  counters(): SchedulerCounters {
    const now = performance.now();
    let busy = this.busyDone;
    for (const s of this.running) busy += now - s.startedAt!;
    return { ...this.c, busySlotMs: busy, distinctPrompts: this.seen.size, prefixCacheEntries: this.prefixCache.size };
  }

  /** Zero the counters (the prefix cache is kept, as a server's would be). */
  reset(): void {
    this.busyDone = 0;
    this.seen = new Set();
    this.c = SlotScheduler.zero();
  }

  /** Drop every sequence (server shutdown). */
  clear(): void {
    for (const s of [...this.running, ...this.queue]) this.abort(s);
  }

  private abort(s: Sequence): void {
    if (s.state === "queued") {
      const i = this.queue.indexOf(s);
      if (i >= 0) this.queue.splice(i, 1);
    } else if (s.state === "running") {
      clearTimeout(s.timer);
      this.running.delete(s);
      this.busyDone += performance.now() - s.startedAt!;
    } else return;
    s.state = "done";
    this.c.abortedSequences++;
  }

  private pump(): void {
    while (this.running.size < this.opts.slots && this.queue.length > 0) this.start(this.queue.shift()!);
  }

  private start(s: Sequence): void {
    const hit = this.prefixCache.has(s.prefixKey);
    this.seen.add(s.prefixKey);
    if (hit) this.c.prefixHits++;
    else {
      this.c.prefixMisses++;
      this.prefixCache.add(s.prefixKey);
    }
    const hold =
      (hit ? this.opts.cachedPrefillMs : this.opts.prefillMs) + s.tokens * this.opts.tokenLatencyMs + (s.extraMs ?? 0);
    s.state = "running";
    s.startedAt = performance.now();
    this.running.add(s);
    this.c.maxRunning = Math.max(this.c.maxRunning, this.running.size);
    s.onStart?.(hold);
    s.timer = setTimeout(() => {
      if (s.state !== "running") return;
      s.state = "done";
      this.running.delete(s);
      const now = performance.now();
      this.busyDone += now - s.startedAt!;
      this.c.lastDoneAt = now;
      this.pump();
      s.onDone();
    }, hold);
  }
}

/** A seeded 32-bit PRNG (mulberry32) from a string seed. */
export function seededRng(seed: string): () => number {
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619);
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Heavy-tailed answer lengths: log-normal with the given median and sigma (sigma 1: the p99
 * is ~10× the median), capped at maxTokens. Real thinking-model lengths look like this.
 */
export interface LengthDistribution {
  medianTokens: number;
  sigma: number;
  maxTokens?: number;
}

export function drawLength(d: LengthDistribution, rng: () => number): number {
  const u1 = Math.max(rng(), 1e-12);
  const u2 = rng();
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2); // Box-Muller
  const n = Math.round(d.medianTokens * Math.exp(d.sigma * z));
  return Math.max(1, d.maxTokens !== undefined ? Math.min(n, d.maxTokens) : n);
}
