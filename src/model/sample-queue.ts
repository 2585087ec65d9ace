// How a stage sends its samples: one queue for the whole stage (all instances), bounded by the
// model's concurrency in sequences, so the servers stay full while instances are prepared
// ahead. Samples whose requests are identical (same messages and sampling settings) go out
// together: one request with n choices (≤ maxN each), split back into per-sample results.
import { hashValue } from "../store/hash.js";
import { WeightedLimit } from "./slots.js";
import { completeSamples, type ModelProvider, type ModelRequest, type ModelResult } from "./types.js";

export interface SampleRequest {
  sample: number;
  req: ModelRequest;
}

/** Samples with identical requests, in order of their first sample; sample indices ascending. */
export function groupIdenticalRequests(
  items: readonly SampleRequest[],
): Array<{ req: ModelRequest; samples: number[] }> {
  const groups = new Map<string, { req: ModelRequest; samples: number[] }>();
  for (const { sample, req } of [...items].sort((a, b) => a.sample - b.sample)) {
    const key = hashValue({ m: req.messages, p: req.params, i: req.instanceId, s: req.stage });
    const g = groups.get(key);
    if (g) g.samples.push(sample);
    else groups.set(key, { req, samples: [sample] });
  }
  return [...groups.values()];
}

export interface Submitted {
  /** Settles when every chunk of the group holds its room in the queue (has been sent). */
  sent: Promise<void>;
  /** Settles when every sample's `onResult` has run. */
  done: Promise<void>;
}

export class SampleQueue {
  private readonly slots: WeightedLimit;

  /**
   * `shouldStop` (Ctrl-C) is asked again when a request gets its room: once it says stop,
   * requests still waiting are not sent and their samples answer "interrupted".
   */
  constructor(
    private readonly provider: ModelProvider,
    concurrency: number,
    private readonly maxN = 16,
    private readonly shouldStop: () => boolean = () => false,
  ) {
    this.slots = new WeightedLimit(concurrency);
  }

  /** Sequences in flight, and requests waiting for room. */
  get inFlight(): number {
    return this.slots.inUse;
  }
  get waiting(): number {
    return this.slots.waiting;
  }

  /**
   * Ask for `samples` of one request, in chunks of ≤ maxN; `onResult` runs for each sample as
   * its chunk answers (still holding the chunk's room, so processing keeps pace with asking).
   */
  submit(
    req: ModelRequest,
    samples: readonly number[],
    onResult: (sample: number, result: ModelResult) => Promise<void>,
  ): Submitted {
    const chunks: number[][] = [];
    const n = Math.max(1, this.maxN);
    for (let i = 0; i < samples.length; i += n) chunks.push(samples.slice(i, i + n));
    const sent: Array<Promise<void>> = [];
    const done = chunks.map((chunk) => {
      let markSent!: () => void;
      sent.push(
        new Promise<void>((r) => {
          markSent = r;
        }),
      );
      return (async () => {
        const release = await this.slots.acquire(chunk.length);
        markSent();
        try {
          let results: ModelResult[];
          try {
            results = this.shouldStop()
              ? chunk.map(() => ({
                  ok: false,
                  reason: "interrupted",
                  message: "interrupted before the call",
                  latencyMs: 0,
                }))
              : await completeSamples(this.provider, req, chunk, { onSampleDone: () => release(1) });
          } catch (err) {
            // providers report failures as results; a throw is a bug, recorded all the same
            results = chunk.map(() => ({
              ok: false,
              reason: "exception",
              message: (err as Error).message,
              latencyMs: 0,
            }));
          }
          for (const [k, s] of chunk.entries()) await onResult(s, results[k]!);
        } finally {
          release();
        }
      })();
    });
    return { sent: Promise.all(sent).then(() => {}), done: Promise.all(done).then(() => {}) };
  }
}
