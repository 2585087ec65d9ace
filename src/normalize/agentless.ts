// Agentless's normalize_patch for the majority vote, exactly: ast.unparse cannot be matched in
// TypeScript, so a long-lived python3 process (agentless-worker-source.ts) normalizes file
// contents and git diffs them, fed JSON lines in batches. The patch is applied here (as for the
// canonical form) to get each touched file's old and new content, in the patch's file order.
// Each original file is sent and normalized once per cache key (scope + path): later patches of
// the same instance send only their patched files. Parsing with ast executes none of the code.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface } from "node:readline";
import { log } from "../log/logger.js";
import { applyUnifiedDiff, PatchApplyError } from "../reward/apply-diff.js";
import { AGENTLESS_WORKER_SOURCE } from "./agentless-worker-source.js";
import type { NormalizedPatch } from "./normalize-patch.js";

export interface AgentlessNormalizerOptions {
  /** The interpreter (python3 3.9+; Agentless ran 3.11, whose ast.unparse the test data pins). */
  python?: string;
  /** Patches per request line. */
  batchSize?: number;
}

export interface AgentlessNormalizer {
  /**
   * Normalize `patch` against `originals` (path → content at the base commit; files the patch
   * creates need not be there). `scope` names that set of originals (e.g. instance and commit):
   * the same scope and path must always mean the same content, it keys the worker's cache.
   */
  normalize(patch: string, originals: Readonly<Record<string, string>>, scope: string): Promise<NormalizedPatch>;
  /** The interpreter's version, once it has started. */
  pythonVersion(): Promise<string>;
  close(): Promise<void>;
}

interface FileChange {
  path: string;
  orig: string | null;
  new: string;
}
interface Job {
  files: FileChange[];
  texts: Map<string, string>;
  tries: number;
  resolve: (r: NormalizedPatch) => void;
  reject: (e: Error) => void;
}
type Result = { normalized: string } | { missing: string } | { error: string };

/** Old and new content of every touched file, in patch order; an error when it does not apply. */
function changesOf(
  patch: string,
  originals: Readonly<Record<string, string>>,
  scope: string,
): { files: FileChange[]; texts: Map<string, string> } | { error: string } {
  let result;
  try {
    result = applyUnifiedDiff(originals, patch);
  } catch (err) {
    if (err instanceof PatchApplyError) return { error: err.message };
    throw err;
  }
  const files: FileChange[] = [];
  const texts = new Map<string, string>();
  let inline = 0;
  for (const [path, after] of Object.entries(result.after)) {
    const before = result.before[path];
    let orig: string | null = null;
    if (before !== undefined) {
      // an original is cached under scope + path; anything else travels with the patch
      orig =
        before === originals[path]
          ? `${scope}\u0000${path}`
          : `${scope}\u0000${path}\u0000inline${inline++}\u0000${Math.random()}`;
      texts.set(orig, before);
    }
    files.push({ path, orig, new: after ?? "" });
  }
  return { files, texts };
}

export function createAgentlessNormalizer(opts: AgentlessNormalizerOptions = {}): AgentlessNormalizer {
  const python = opts.python ?? "python3";
  const batchSize = opts.batchSize ?? 256;
  let child: ChildProcessWithoutNullStreams | undefined;
  let ready: Promise<string> | undefined;
  let nextId = 0;
  const inFlight = new Map<number, Job[]>();
  const known = new Set<string>(); // originals the worker has been sent
  let queue: Job[] = [];
  let flushScheduled = false;
  let closed = false;
  // identical raw patches of one scope are normalized once (bounded: cleared when full)
  const seen = new Map<string, Promise<NormalizedPatch>>();

  const failAll = (err: Error) => {
    for (const jobs of inFlight.values()) for (const j of jobs) j.reject(err);
    inFlight.clear();
    known.clear();
    child = undefined;
    ready = undefined;
  };

  const start = (): Promise<string> => {
    if (ready) return ready;
    const proc = spawn(python, ["-u", "-c", AGENTLESS_WORKER_SOURCE], { stdio: ["pipe", "pipe", "pipe"] });
    child = proc;
    let stderr = "";
    proc.stderr.on("data", (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    ready = new Promise<string>((resolve, reject) => {
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
          if (msg.ready) {
            // ast.unparse's output changes between Python versions; Agentless ran 3.11
            if (!(msg.python ?? "").startsWith("3.11."))
              log.warn(
                `validate.normalize agentless: ${python} is ${msg.python}; Agentless ran 3.11, whose ast.unparse text can differ`,
              );
            resolve(msg.python ?? "unknown");
          } else reject(new Error(`validate.normalize agentless: ${msg.error ?? "the python worker did not start"}`));
          return;
        }
        const jobs = inFlight.get(msg.id ?? -1);
        if (!jobs) return;
        inFlight.delete(msg.id!);
        settle(jobs, msg.results, msg.error);
      });
      proc.on("error", (err) => {
        const e = new Error(
          `validate.normalize agentless needs ${python} (3.9 or newer) on PATH: ${err.message}; or set validate.normalize: canonical`,
        );
        reject(e);
        failAll(e);
      });
      proc.on("exit", (code, signal) => {
        const e = new Error(
          `the agentless normalizer's ${python} exited (${signal ?? code})${stderr ? `: ${stderr.trim().split("\n").pop()}` : ""}`,
        );
        if (!hello) reject(e);
        if (proc === child) failAll(e);
      });
    });
    ready.catch(() => undefined);
    return ready;
  };

  const settle = (jobs: Job[], results: Result[] | undefined, error: string | undefined) => {
    const retry: Job[] = [];
    jobs.forEach((job, k) => {
      const r = results?.[k];
      if (!r) return job.resolve({ normalized: "", error: `agentless normalizer: ${error ?? "no result"}` });
      if ("normalized" in r) return job.resolve({ normalized: r.normalized });
      if ("error" in r) return job.resolve({ normalized: "", error: `agentless normalizer: ${r.error}` });
      known.delete(r.missing); // evicted from the worker's cache: send it again
      if (job.tries >= 3)
        return job.resolve({
          normalized: "",
          error: "agentless normalizer: original file evicted from the cache repeatedly",
        });
      retry.push(job);
    });
    if (retry.length) enqueue(retry);
  };

  const flush = async () => {
    flushScheduled = false;
    const jobs = queue;
    queue = [];
    try {
      await start();
    } catch (err) {
      for (const j of jobs) j.reject(err as Error);
      return;
    }
    for (let at = 0; at < jobs.length; at += batchSize) {
      const batch = jobs.slice(at, at + batchSize);
      const originals: { key: string; text: string }[] = [];
      for (const job of batch) {
        job.tries++;
        for (const [key, text] of job.texts) {
          if (known.has(key)) continue;
          known.add(key);
          originals.push({ key, text });
        }
      }
      const id = nextId++;
      inFlight.set(id, batch);
      child!.stdin.write(JSON.stringify({ id, originals, patches: batch.map((j) => ({ files: j.files })) }) + "\n");
    }
  };

  const enqueue = (jobs: Job[]) => {
    queue.push(...jobs);
    if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(() => void flush());
    }
  };

  return {
    normalize(patch, originals, scope) {
      if (closed) return Promise.reject(new Error("the agentless normalizer is closed"));
      // Agentless: `if not patch.strip(): return ""` (postprocess_data.py:416)
      if (patch.trim() === "") return Promise.resolve({ normalized: "" });
      const key = `${scope}\u0000${patch}`;
      const earlier = seen.get(key);
      if (earlier) return earlier;
      const changes = changesOf(patch, originals, scope);
      if ("error" in changes) return Promise.resolve({ normalized: "", error: changes.error });
      const result = new Promise<NormalizedPatch>((resolve, reject) =>
        enqueue([{ ...changes, tries: 0, resolve, reject }]),
      );
      if (seen.size >= 5_000) seen.clear();
      seen.set(key, result);
      result.catch(() => seen.delete(key));
      return result;
    },
    pythonVersion: () => start(),
    async close() {
      closed = true;
      const proc = child;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        proc.once("exit", () => resolve());
        proc.stdin.end();
      });
    },
  };
}
