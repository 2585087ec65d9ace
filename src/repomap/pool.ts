// Parsing spread over worker threads. Jobs go to whichever worker is free, a few queued files
// per message (up to BATCH_BYTES / BATCH_FILES): one message per file cost ~0.5 s of extra CPU
// on sympy (1,463 round trips, each waking two threads). A huge file still goes alone, so it
// never holds back the small ones behind it on another thread.
import { Worker } from "node:worker_threads";
import { workerScript } from "../util/worker-script.js";
import type { ParseMode } from "./extract.js";
import type { ParseBatch, ParseReply } from "./parse-worker.js";
import type { CodeLanguage } from "../treesitter/languages.js";
import type { CodeFileMap, PyFileMap } from "./types.js";

/**
 * A parsed file: the map as JSON (what the cache stores and what workers send), and the map
 * itself when the parser has it as an object (inline parses); parsedMap gives it either way.
 */
export interface Parsed<M = PyFileMap> {
  map?: M;
  json: string;
}

export const parsedMap = <M>(p: Parsed<M>): M => p.map ?? (JSON.parse(p.json) as M);
interface Pending {
  data: Uint8Array;
  lang?: CodeLanguage;
  resolve: (p: Parsed<PyFileMap | CodeFileMap>) => void;
  reject: (e: Error) => void;
}

const BATCH_BYTES = 256 * 1024;

// Below this many bytes to parse, starting worker threads (~140 ms, then each warms up its
// own JIT) costs more than it saves: measured on sympy, 3.6 MB took 0.46 s inline, 0.8 s on 2 workers.
export const INLINE_PARSE_BYTES = 4 << 20;
const BATCH_FILES = 32;

export class ParsePool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Pending[]>();
  private readonly queue: Pending[] = [];
  private failure: Error | undefined;

  private constructor(private readonly workers: Worker[]) {
    for (const w of workers) {
      this.idle.push(w);
      w.on("message", (replies: ParseReply[]) => this.onReply(w, replies));
      w.on("error", (err) => this.fail(new Error(`repo-map parse worker crashed: ${err.message}`)));
      w.on("exit", (code) => {
        if (code !== 0) this.fail(new Error(`repo-map parse worker exited with code ${code}`));
      });
    }
  }

  static async create(size: number, mode: ParseMode): Promise<ParsePool> {
    const url = await workerScript(import.meta.url, "parse-worker");
    return new ParsePool(Array.from({ length: Math.max(1, size) }, () => new Worker(url, { workerData: { mode } })));
  }

  get size(): number {
    return this.workers.length;
  }

  /**
   * Parse the next waiting .py file on the calling thread with `parse` (which gives its map's
   * JSON) instead of a worker. False when no .py file waits.
   */
  helpOne(parse: (data: Uint8Array) => string): boolean {
    const i = this.queue.findIndex((p) => p.lang === undefined);
    if (i < 0 || this.failure) return false;
    const [job] = this.queue.splice(i, 1);
    try {
      job!.resolve({ json: parse(job!.data) });
    } catch (err) {
      job!.reject(err instanceof Error ? err : new Error(String(err)));
    }
    return true;
  }

  /** The bytes of one .py file, transferred to the worker (the caller loses them). */
  parse(data: Uint8Array): Promise<Parsed> {
    return this.enqueue(data) as Promise<Parsed>;
  }

  /** The bytes of one source file of another language, parsed with its grammar. */
  parseCode(data: Uint8Array, lang: CodeLanguage): Promise<Parsed<CodeFileMap>> {
    return this.enqueue(data, lang) as Promise<Parsed<CodeFileMap>>;
  }

  private enqueue(data: Uint8Array, lang?: CodeLanguage): Promise<Parsed<PyFileMap | CodeFileMap>> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.queue.push({ data, ...(lang ? { lang } : {}), resolve, reject });
      this.dispatch();
    });
  }

  /**
   * Each worker is asked to exit between messages (parse-worker.ts): terminate() can land inside
   * a native call — a worker still loading tree-sitter — and abort the process ("terminate called
   * after throwing an instance of 'Napi::Error'", seen 1 run in 3 of 50 quick open/close rounds).
   * terminate() only for a worker that does not exit within 10 s.
   */
  async close(): Promise<void> {
    this.fail(new Error("repo-map parse pool closed"));
    await Promise.all(
      this.workers.map(async (w) => {
        if (w.threadId < 0) return; // already gone
        const exited = new Promise<void>((resolve) => w.once("exit", () => resolve()));
        w.postMessage("close");
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<"late">((resolve) => {
          timer = setTimeout(() => resolve("late"), 10_000);
        });
        if ((await Promise.race([exited, late])) === "late") await w.terminate();
        clearTimeout(timer);
      }),
    );
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop()!;
      // Share what is queued among the idle workers, within the batch limits.
      const share = Math.ceil(this.queue.length / (this.idle.length + 1));
      const batch = [this.queue.shift()!];
      let bytes = batch[0]!.data.byteLength;
      while (
        batch.length < Math.min(share, BATCH_FILES) &&
        this.queue.length > 0 &&
        bytes + this.queue[0]!.data.byteLength <= BATCH_BYTES
      ) {
        bytes += this.queue[0]!.data.byteLength;
        batch.push(this.queue.shift()!);
      }
      this.busy.set(worker, batch);
      const message: ParseBatch = batch.map((p) => (p.lang ? { data: p.data, lang: p.lang } : { data: p.data }));
      const transfer = batch
        .map((p) => p.data)
        .filter((b) => b.byteOffset === 0 && b.byteLength === b.buffer.byteLength)
        .map((b) => b.buffer as ArrayBuffer);
      worker.postMessage(message, [...new Set(transfer)]);
    }
  }

  private onReply(worker: Worker, replies: ParseReply[]): void {
    const batch = this.busy.get(worker) ?? [];
    this.busy.delete(worker);
    this.idle.push(worker);
    batch.forEach((pending, i) => {
      const reply = replies[i];
      if (reply === undefined) pending.reject(new Error("tree-sitter worker sent no result for a file"));
      else if (typeof reply !== "string") pending.reject(new Error(`tree-sitter failed on a file: ${reply.error}`));
      else pending.resolve({ json: reply }); // parsed only where the map is used (parsedMap)
    });
    this.dispatch();
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    for (const p of [...[...this.busy.values()].flat(), ...this.queue.splice(0)]) p.reject(err);
    this.busy.clear();
  }
}
