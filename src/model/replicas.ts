// Several servers behind one model name: each call goes to the replica with the fewest calls in
// flight; ties rotate so that light, sequential traffic still reaches every replica. A replica
// that just failed is skipped while it cools down, and a retry goes elsewhere when it can.
// Per-replica limits: a replica never has more sequences in flight than its own limit (a call
// with n choices counts n); a call waits for room when every replica is full. Health:
// `pauseAfter` server-side failures in a row (connection, bad body, 5xx) pause a replica; it is probed (`probe`, growing interval) and
// taken back when a probe succeeds. With every replica paused, calls still go out (to the
// replica paused longest), so they fail within their own retry budget instead of hanging.
import { log } from "../log/logger.js";

export interface ReplicaHealthOptions {
  /** Server-side failures in a row that pause a replica (default 3). */
  pauseAfter?: number;
  /** First probe after this long, doubling up to maxProbeMs (defaults 2 s, 60 s). */
  probeMs?: number;
  maxProbeMs?: number;
  /** True when the replica answers (e.g. GET /models). */
  probe?: (index: number) => Promise<boolean>;
  /** Names for log lines. */
  names?: readonly string[];
}

export interface ReplicaStats {
  calls: number;
  failures: number;
  paused_times: number;
  paused_ms: number;
  paused: boolean;
}

export class ReplicaPool<T> {
  private readonly inFlight: number[];
  private readonly served: number[];
  private readonly coolUntil: number[];
  private readonly failuresInRow: number[];
  private readonly failures: number[];
  private readonly pausedSince: (number | null)[];
  private readonly pausedTimes: number[];
  private readonly pausedMs: number[];
  private waiters: Array<() => void> = [];
  private timers = new Set<NodeJS.Timeout>();
  private next = 0;

  constructor(
    private readonly replicas: readonly T[],
    private readonly limits: readonly (number | undefined)[] = [],
    private readonly health: ReplicaHealthOptions = {},
  ) {
    if (replicas.length === 0) throw new Error("model.base_urls: at least one base URL is needed");
    const zeros = () => replicas.map(() => 0);
    this.inFlight = zeros();
    this.served = zeros();
    this.coolUntil = zeros();
    this.failuresInRow = zeros();
    this.failures = zeros();
    this.pausedTimes = zeros();
    this.pausedMs = zeros();
    this.pausedSince = replicas.map(() => null);
  }

  get size(): number {
    return this.replicas.length;
  }

  /** Keep calls away from replica `index` for `ms` (after a retryable failure there). */
  coolDown(index: number, ms: number, now = performance.now()): void {
    this.coolUntil[index] = Math.max(this.coolUntil[index], now + ms);
  }

  /** A request of `weight` sequences fits (an idle replica takes any weight, so none waits forever). */
  private hasSlot = (i: number, weight = 1): boolean =>
    this.limits[i] === undefined || this.inFlight[i] === 0 || this.inFlight[i] + weight <= this.limits[i]!;

  /** Wait for a replica with a free slot, then take it as `tryAcquire` does. */
  async acquire(avoid?: number, weight = 1): Promise<{ index: number; replica: T; release: (units?: number) => void }> {
    for (;;) {
      const got = this.tryAcquire(avoid, performance.now(), weight);
      if (got) return got;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /**
   * Take the least loaded replica with a free slot, preferring healthy ones not cooling down
   * and other than `avoid` (the replica a retry just failed on); undefined when all are full.
   */
  tryAcquire(
    avoid?: number,
    now = performance.now(),
    weight = 1,
  ): { index: number; replica: T; release: (units?: number) => void } | undefined {
    const n = this.replicas.length;
    // lower rank wins: [paused, avoided or cooling, in flight]; a paused replica is taken only when all are paused
    const rank = (i: number): [number, number, number] => [
      this.pausedSince[i] !== null ? 1 : 0,
      (i === avoid ? 1 : 0) + (this.coolUntil[i] > now ? 2 : 0),
      this.inFlight[i],
    ];
    let best = -1;
    for (let k = 0; k < n; k++) {
      const i = (this.next + k) % n;
      if (!this.hasSlot(i, weight)) continue;
      if (best < 0) {
        best = i;
        continue;
      }
      const [ri, rb] = [rank(i), rank(best)];
      if (ri[0] < rb[0] || (ri[0] === rb[0] && (ri[1] < rb[1] || (ri[1] === rb[1] && ri[2] < rb[2])))) best = i;
    }
    if (best < 0) return undefined;
    this.next = (best + 1) % n;
    this.inFlight[best] += weight;
    this.served[best]++;
    let held = weight;
    return {
      index: best,
      replica: this.replicas[best],
      // `units` of the weight back (default: all still held), as WeightedLimit's release
      release: (units = held) => {
        const back = Math.min(Math.max(0, units), held);
        if (back === 0) return;
        held -= back;
        this.inFlight[best] -= back;
        this.wake();
      },
    };
  }

  /** An attempt's outcome on replica `index`: server-side failures in a row pause it. */
  report(index: number, outcome: "ok" | "server_failure" | "client_failure"): void {
    if (outcome === "ok") {
      this.failuresInRow[index] = 0;
      return;
    }
    this.failures[index]++;
    if (outcome !== "server_failure") return;
    this.failuresInRow[index]++;
    if (
      this.failuresInRow[index] >= (this.health.pauseAfter ?? 3) &&
      this.pausedSince[index] === null &&
      this.health.probe
    )
      this.pause(index);
  }

  private pause(index: number): void {
    this.pausedSince[index] = performance.now();
    this.pausedTimes[index]++;
    log.warn(
      `model server ${this.health.names?.[index] ?? index} failed ${this.failuresInRow[index]} times in a row: paused, probing it`,
    );
    this.scheduleProbe(index, this.health.probeMs ?? 2000);
  }

  private scheduleProbe(index: number, delay: number): void {
    const timer = setTimeout(async () => {
      this.timers.delete(timer);
      let up = false;
      try {
        up = await this.health.probe!(index);
      } catch {
        up = false;
      }
      if (up) {
        this.pausedMs[index] += performance.now() - this.pausedSince[index]!;
        this.pausedSince[index] = null;
        this.failuresInRow[index] = 0;
        log.info(`model server ${this.health.names?.[index] ?? index} answers again: back in use`);
        this.wake();
      } else {
        this.scheduleProbe(index, Math.min(2 * delay, this.health.maxProbeMs ?? 60_000));
      }
    }, delay);
    timer.unref();
    this.timers.add(timer);
  }

  isPaused(index: number): boolean {
    return this.pausedSince[index] !== null;
  }

  /** Per replica: calls, failures, times paused, time paused (ms, the current pause included). */
  stats(now = performance.now()): ReplicaStats[] {
    return this.replicas.map((_, i) => ({
      calls: this.served[i],
      failures: this.failures[i],
      paused_times: this.pausedTimes[i],
      paused_ms: Math.round(this.pausedMs[i] + (this.pausedSince[i] !== null ? now - this.pausedSince[i]! : 0)),
      paused: this.pausedSince[i] !== null,
    }));
  }

  /** Stop probing (the pool is done). */
  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /** Calls sent to each replica so far (attempts, retries included). */
  counts(): number[] {
    return [...this.served];
  }

  load(): number[] {
    return [...this.inFlight];
  }

  private wake(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w();
  }
}
