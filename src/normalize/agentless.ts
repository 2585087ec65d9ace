// Agentless's normalize_patch for the majority vote, exactly: ast.unparse cannot be matched in
// TypeScript, so a long-lived python3 process (agentless-worker-source.ts) normalizes file
// contents and git diffs them, fed JSON lines in batches. The patch is applied here (as for the
// canonical form) to get each touched file's old and new content, in the patch's file order.
// Each original file is sent and normalized once per cache key (scope + path): later patches of
// the same instance send only their patched files. Parsing with ast executes none of the code.
// Several processes (one per core, up to 4) share the work: a flush is cut into one batch per
// idle process, so one instance's distinct patches are normalized in parallel.
import { availableParallelism } from "node:os";
import { log } from "../log/logger.js";
import { applyUnifiedDiff, PatchApplyError } from "../reward/apply-diff.js";
import { AgentlessProcess, type FileChange, type Job } from "./agentless-process.js";
import type { NormalizedPatch } from "./normalize-patch.js";

export interface AgentlessNormalizerOptions {
  /** The interpreter (python3 3.9+; Agentless ran 3.11, whose ast.unparse the test data pins). */
  python?: string;
  /** Patches per request line, at most. */
  batchSize?: number;
  /** python3 processes (default: one per core, at most 4). */
  processes?: number;
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

const SURROGATE = /[\uD800-\uDFFF]/;
// per originals object and path: the text last scanned and whether it has no surrogate pair (one
// scan of a file, not one per patch of it)
const surrogateFreeOf = new WeakMap<object, Map<string, { text: string; free: boolean }>>();

function surrogateFree(originals: Readonly<Record<string, string>>, path: string): boolean {
  const text = originals[path]!;
  let known = surrogateFreeOf.get(originals);
  if (!known) surrogateFreeOf.set(originals, (known = new Map()));
  let seen = known.get(path);
  if (seen?.text !== text) known.set(path, (seen = { text, free: !SURROGATE.test(text) }));
  return seen.free;
}

/** Old and new content of every touched file, in patch order; an error when it does not apply. */
function changesOf(
  patch: string,
  originals: Readonly<Record<string, string>>,
  scope: string,
): { files: FileChange[]; texts: Map<string, string> } | { error: string } {
  let result;
  try {
    result = applyUnifiedDiff(originals, patch, { edits: true });
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
    const cached = before !== undefined && before === originals[path];
    if (before !== undefined) {
      // an original is cached under scope + path; anything else travels with the patch
      orig = cached ? `${scope}\u0000${path}` : `${scope}\u0000${path}\u0000inline${inline++}\u0000${Math.random()}`;
      texts.set(orig, before);
    }
    const edits = result.edits[path];
    // a cached original's edits travel instead of the whole new text (python's str indexes code
    // points, ours UTF-16 units: equal where the text has no surrogate pair)
    if (edits && cached && surrogateFree(originals, path)) files.push({ path, orig, edits });
    else files.push({ path, orig, new: after ?? "" });
  }
  return { files, texts };
}

/** Fewest patches sent to a process of their own. */
const MIN_BATCH = 16;

export function createAgentlessNormalizer(opts: AgentlessNormalizerOptions = {}): AgentlessNormalizer {
  const python = opts.python ?? "python3";
  const batchSize = opts.batchSize ?? 256;
  const count = Math.max(1, opts.processes ?? Math.min(availableParallelism(), 4));
  let queue: Job[] = [];
  let flushScheduled = false;
  let closed = false;
  // identical raw patches of one scope are normalized once (bounded: cleared when full)
  const seen = new Map<string, Promise<NormalizedPatch>>();
  const processes = Array.from({ length: count }, () => new AgentlessProcess(python, (jobs) => enqueue(jobs)));
  let versionChecked = false;
  const start = async (proc: AgentlessProcess): Promise<string> => {
    const version = await proc.start();
    // ast.unparse's output changes between Python versions; Agentless ran 3.11 (said once, not per process)
    if (!versionChecked && !version.startsWith("3.11.")) {
      log.warn(
        `validate.normalize agentless: ${python} is ${version}; Agentless ran 3.11, whose ast.unparse text can differ`,
      );
    }
    versionChecked = true;
    return version;
  };

  const flush = async () => {
    flushScheduled = false;
    const jobs = queue;
    queue = [];
    // one batch per process (within batchSize), the least busy processes first; a process starts on first use
    // (at least MIN_BATCH patches each: a small flush stays in one process, as parsing its originals again costs more)
    const size = Math.max(
      Math.min(MIN_BATCH, batchSize),
      Math.min(batchSize, Math.ceil(jobs.length / processes.length)),
    );
    const order = [...processes].sort((a, b) => a.outstanding - b.outstanding);
    const batches: Job[][] = [];
    for (let at = 0; at < jobs.length; at += size) batches.push(jobs.slice(at, at + size));
    await Promise.all(
      batches.map(async (batch, k) => {
        const proc = order[k % order.length]!;
        try {
          await start(proc);
        } catch (err) {
          for (const j of batch) j.reject(err as Error);
          return;
        }
        proc.send(batch);
      }),
    );
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
    pythonVersion: () => start(processes[0]!),
    async close() {
      closed = true;
      await Promise.all(processes.map((p) => p.close()));
    },
  };
}
