// One python3 process of the agentless normalizer (agentless.ts holds several): it is started on
// first use, fed one JSON line per batch and answers one line per batch. It remembers which
// originals it has been sent (its own cache); an original it has evicted comes back as
// "missing" and the job is handed back to be sent again with the text.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface } from "node:readline";
import { AGENTLESS_WORKER_SOURCE } from "./agentless-worker-source.js";
import type { TextEdit } from "../reward/apply-diff.js";
import type { NormalizedPatch } from "./normalize-patch.js";

/** A touched file: its original's cache key and its new text, or the edits that make the new
 * text from the original's (TextEdit: [start, end, replacement], UTF-16 offsets). */
export interface FileChange {
  path: string;
  orig: string | null;
  new?: string;
  edits?: TextEdit[];
}
export interface Job {
  files: FileChange[];
  /** Original texts by cache key (scope + path), sent when the process lacks them. */
  texts: Map<string, string>;
  tries: number;
  resolve: (r: NormalizedPatch) => void;
  reject: (e: Error) => void;
}
type Result = { normalized: string } | { missing: string } | { error: string };

export class AgentlessProcess {
  private child: ChildProcessWithoutNullStreams | undefined;
  private ready: Promise<string> | undefined;
  private nextId = 0;
  private readonly inFlight = new Map<number, Job[]>();
  private readonly known = new Set<string>(); // originals this process has been sent

  /** `retry`: jobs whose original the process had evicted (to be sent again). */
  constructor(
    private readonly python: string,
    private readonly retry: (jobs: Job[]) => void,
  ) {}

  /** Jobs sent and not answered yet (the front sends the next batch to the least busy process). */
  get outstanding(): number {
    let n = 0;
    for (const jobs of this.inFlight.values()) n += jobs.length;
    return n;
  }

  start(): Promise<string> {
    if (this.ready) return this.ready;
    const python = this.python;
    const proc = spawn(python, ["-u", "-c", AGENTLESS_WORKER_SOURCE], { stdio: ["pipe", "pipe", "pipe"] });
    this.child = proc;
    let stderr = "";
    proc.stderr.on("data", (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    this.ready = new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: proc.stdout });
      let hello = false;
      lines.on("line", (line) => {
        const msg = JSON.parse(line) as {
          ready?: boolean;
          python?: string;
          error?: string;
          id?: number;
          results?: Result[];
        };
        if (!hello) {
          hello = true;
          if (msg.ready) resolve(msg.python ?? "unknown");
          else reject(new Error(`validate.normalize agentless: ${msg.error ?? "the python worker did not start"}`));
          return;
        }
        const jobs = this.inFlight.get(msg.id ?? -1);
        if (!jobs) return;
        this.inFlight.delete(msg.id!);
        this.settle(jobs, msg.results, msg.error);
      });
      proc.on("error", (err) => {
        const e = new Error(
          `validate.normalize agentless needs ${python} (3.9 or newer) on PATH: ${err.message}; or set validate.normalize: canonical`,
        );
        reject(e);
        this.failAll(e);
      });
      proc.on("exit", (code, signal) => {
        const e = new Error(
          `the agentless normalizer's ${python} exited (${signal ?? code})${stderr ? `: ${stderr.trim().split("\n").pop()}` : ""}`,
        );
        if (!hello) reject(e);
        if (proc === this.child) this.failAll(e);
      });
    });
    this.ready.catch(() => undefined);
    return this.ready;
  }

  /** Send one batch (the process must have started). */
  send(batch: Job[]): void {
    const originals: { key: string; text: string }[] = [];
    for (const job of batch) {
      job.tries++;
      for (const [key, text] of job.texts) {
        if (this.known.has(key)) continue;
        this.known.add(key);
        originals.push({ key, text });
      }
    }
    const id = this.nextId++;
    this.inFlight.set(id, batch);
    this.child!.stdin.write(JSON.stringify({ id, originals, patches: batch.map((j) => ({ files: j.files })) }) + "\n");
  }

  async close(): Promise<void> {
    const proc = this.child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once("exit", () => resolve());
      proc.stdin.end();
    });
  }

  private failAll(err: Error): void {
    for (const jobs of this.inFlight.values()) for (const j of jobs) j.reject(err);
    this.inFlight.clear();
    this.known.clear();
    this.child = undefined;
    this.ready = undefined;
  }

  private settle(jobs: Job[], results: Result[] | undefined, error: string | undefined): void {
    const again: Job[] = [];
    jobs.forEach((job, k) => {
      const r = results?.[k];
      if (!r) return job.resolve({ normalized: "", error: `agentless normalizer: ${error ?? "no result"}` });
      if ("normalized" in r) return job.resolve({ normalized: r.normalized });
      if ("error" in r) return job.resolve({ normalized: "", error: `agentless normalizer: ${r.error}` });
      this.known.delete(r.missing); // evicted from the worker's cache: send it again
      if (job.tries >= 3)
        return job.resolve({
          normalized: "",
          error: "agentless normalizer: original file evicted from the cache repeatedly",
        });
      again.push(job);
    });
    if (again.length) this.retry(again);
  }
}
