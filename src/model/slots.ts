// A counting semaphore whose holders take a weight: a request with n = 16 choices occupies 16
// of the server's sequence slots, as 16 requests with n = 1 would. First come, first served
// (a heavy request at the head waits for room rather than being overtaken forever); a weight
// above the capacity is admitted alone.

export class WeightedLimit {
  private used = 0;
  private readonly queue: Array<{ weight: number; grant: () => void }> = [];

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new Error(`WeightedLimit: capacity must be ≥ 1 (got ${capacity})`);
  }

  get inUse(): number {
    return this.used;
  }
  get waiting(): number {
    return this.queue.length;
  }

  /**
   * Wait for `weight` units; the returned function gives back `units` of them (default: all
   * still held), never more than were taken. A streamed request with n choices gives back one
   * unit as each choice ends, so the room of a finished choice is not held for the longest one.
   */
  async acquire(weight = 1): Promise<(units?: number) => void> {
    if (this.queue.length === 0 && this.fits(weight)) this.used += weight;
    else await new Promise<void>((grant) => this.queue.push({ weight, grant }));
    let held = weight;
    return (units = held) => {
      const back = Math.min(Math.max(0, units), held);
      if (back === 0) return;
      held -= back;
      this.used -= back;
      this.drain();
    };
  }

  /** Run `fn` holding `weight` units. */
  async run<T>(weight: number, fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire(weight);
    try {
      return await fn();
    } finally {
      release();
    }
  }

  private fits(weight: number): boolean {
    return this.used === 0 || this.used + weight <= this.capacity;
  }

  private drain(): void {
    while (this.queue.length > 0 && this.fits(this.queue[0]!.weight)) {
      const next = this.queue.shift()!;
      this.used += next.weight;
      next.grant();
    }
  }
}
