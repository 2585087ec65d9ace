// Several servers behind one model name: each call goes to the replica with the fewest calls in
// flight; ties rotate so that light, sequential traffic still reaches every replica. A replica
// that just failed is skipped while it cools down, and a retry goes elsewhere when it can.

export class ReplicaPool<T> {
  private readonly inFlight: number[];
  private readonly served: number[];
  private readonly coolUntil: number[];
  private next = 0;

  constructor(private readonly replicas: readonly T[]) {
    if (replicas.length === 0) throw new Error("model.base_urls: at least one base URL is needed");
    this.inFlight = replicas.map(() => 0);
    this.served = replicas.map(() => 0);
    this.coolUntil = replicas.map(() => 0);
  }

  get size(): number { return this.replicas.length; }

  /** Keep calls away from replica `index` for `ms` (after a retryable failure there). */
  coolDown(index: number, ms: number, now = performance.now()): void {
    this.coolUntil[index] = Math.max(this.coolUntil[index], now + ms);
  }

  /**
   * Take the least loaded replica, preferring ones not cooling down and other than `avoid`
   * (the replica a retry just failed on); call `release` when done.
   */
  acquire(avoid?: number, now = performance.now()): { index: number; replica: T; release: () => void } {
    const n = this.replicas.length;
    // lower rank wins: [avoided or cooling, in flight]
    const rank = (i: number): [number, number] => [(i === avoid ? 1 : 0) + (this.coolUntil[i] > now ? 2 : 0), this.inFlight[i]];
    let best = -1;
    for (let k = 0; k < n; k++) {
      const i = (this.next + k) % n;
      if (best < 0) { best = i; continue; }
      const [ri, rb] = [rank(i), rank(best)];
      if (ri[0] < rb[0] || (ri[0] === rb[0] && ri[1] < rb[1])) best = i;
    }
    this.next = (best + 1) % n;
    this.inFlight[best]++;
    this.served[best]++;
    let released = false;
    return {
      index: best,
      replica: this.replicas[best],
      release: () => {
        if (!released) { released = true; this.inFlight[best]--; }
      },
    };
  }

  /** Calls sent to each replica so far (attempts, retries included). */
  counts(): number[] { return [...this.served]; }

  load(): number[] { return [...this.inFlight]; }
}
