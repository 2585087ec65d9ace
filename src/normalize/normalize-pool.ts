// Grouping on worker threads: a PatchNormalizer per language whose normalize() calls are
// collected for one event-loop turn, then each scope's (instance's) patches are cut into one
// chunk per worker (normalize-worker.ts), so one instance's distinct patches are normalized on
// every core. Few patches (under INLINE_PATCHES in a turn) are normalized here, inline: starting
// a worker (~150 ms and its own JIT warm-up) costs more than they do. Workers start on first use.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { LanguageFamily } from "../treesitter/languages.js";
import { workerScript } from "../util/worker-script.js";
import type { NormalizedPatch } from "./normalize-patch.js";
import type { PatchNormalizer } from "./patch-normalizer.js";
import type { NormalizeJob, NormalizeReply } from "./normalize-worker.js";
import { scopeNormalizer } from "./scope-normalizer.js";

/** Fewer patches than this in one turn are normalized inline. */
export const INLINE_PATCHES = 48;

interface Waiting {
  patch: string;
  resolve: (r: NormalizedPatch) => void;
  reject: (e: Error) => void;
}
interface ScopeQueue {
  language?: LanguageFamily;
  originals: Readonly<Record<string, string>>;
  waiting: Waiting[];
}

export class NormalizePool {
  private workers: Promise<Worker[]> | undefined;
  private readonly pending = new Map<number, Waiting[]>();
  private readonly load = new Map<Worker, number>();
  private nextId = 0;
  private queue = new Map<string, ScopeQueue>();
  private flushScheduled = false;
  private closed = false;
  /** Work done so far (tests check where it ran). */
  readonly stats = { inline: 0, onWorkers: 0 };

  constructor(readonly size = Math.min(availableParallelism(), 8)) {}

  /** A PatchNormalizer for Python's canonical form (no language) or another language's. */
  normalizer(language?: LanguageFamily): PatchNormalizer {
    return {
      normalize: (patch, originals, scope) => this.enqueue(patch, originals, scope, language),
      close: () => Promise.resolve(), // the pool is closed by its owner
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    const workers = this.workers ? await this.workers.catch(() => []) : [];
    await Promise.all(
      workers.map(async (w) => {
        const exited = new Promise<void>((resolve) => w.once("exit", () => resolve()));
        w.postMessage("close");
        const late = setTimeout(() => void w.terminate(), 10_000);
        await exited;
        clearTimeout(late);
      }),
    );
  }

  private enqueue(
    patch: string,
    originals: Readonly<Record<string, string>>,
    scope: string,
    language: LanguageFamily | undefined,
  ): Promise<NormalizedPatch> {
    if (this.closed) return Promise.reject(new Error("the normalize pool is closed"));
    if (patch.trim() === "") return Promise.resolve({ normalized: "" });
    const key = `${language ?? "python"}\u0000${scope}`;
    let q = this.queue.get(key);
    if (!q) this.queue.set(key, (q = { ...(language ? { language } : {}), originals, waiting: [] }));
    return new Promise((resolve, reject) => {
      q.waiting.push({ patch, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.flushScheduled = false;
    const queues = [...this.queue.entries()];
    this.queue = new Map();
    for (const [key, q] of queues) {
      const scope = key.slice(key.indexOf("\u0000") + 1);
      if (q.waiting.length < INLINE_PATCHES) {
        this.inline(q);
        continue;
      }
      let workers: Worker[];
      try {
        workers = await this.start();
      } catch (err) {
        for (const w of q.waiting) w.reject(err as Error);
        continue;
      }
      const size = Math.ceil(q.waiting.length / workers.length);
      const byLoad = [...workers].sort((a, b) => this.load.get(a)! - this.load.get(b)!);
      for (let at = 0, k = 0; at < q.waiting.length; at += size, k++) {
        const chunk = q.waiting.slice(at, at + size);
        const worker = byLoad[k % byLoad.length]!;
        const id = this.nextId++;
        this.pending.set(id, chunk);
        this.load.set(worker, this.load.get(worker)! + chunk.length);
        const job: NormalizeJob = {
          id,
          scope,
          ...(q.language ? { language: q.language } : {}),
          originals: { ...q.originals },
          patches: chunk.map((w) => w.patch),
        };
        worker.postMessage(job);
        this.stats.onWorkers += chunk.length;
      }
    }
  }

  private inline(q: ScopeQueue): void {
    const normalize = scopeNormalizer(q.originals, q.language);
    for (const w of q.waiting) {
      try {
        w.resolve(normalize(w.patch));
      } catch (err) {
        w.reject(err as Error);
      }
    }
    this.stats.inline += q.waiting.length;
  }

  private start(): Promise<Worker[]> {
    this.workers ??= workerScript(import.meta.url, "normalize-worker").then((url) =>
      Array.from({ length: Math.max(1, this.size) }, () => {
        const w = new Worker(url);
        this.load.set(w, 0);
        w.on("message", (reply: NormalizeReply) => this.onReply(w, reply));
        w.on("error", (err) => this.failAll(new Error(`normalize worker crashed: ${err.message}`)));
        w.on("exit", (code) => {
          if (code !== 0 && !this.closed) this.failAll(new Error(`normalize worker exited with code ${code}`));
        });
        return w;
      }),
    );
    return this.workers;
  }

  private onReply(worker: Worker, reply: NormalizeReply): void {
    const chunk = this.pending.get(reply.id);
    if (!chunk) return;
    this.pending.delete(reply.id);
    this.load.set(worker, this.load.get(worker)! - chunk.length);
    chunk.forEach((w, i) => {
      if ("error" in reply) w.reject(new Error(`normalize worker: ${reply.error}`));
      else w.resolve(reply.results[i] ?? { normalized: "", error: "normalize worker sent no result" });
    });
  }

  private failAll(err: Error): void {
    for (const chunk of this.pending.values()) for (const w of chunk) w.reject(err);
    this.pending.clear();
  }
}
