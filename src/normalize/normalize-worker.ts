// Worker thread of the normalize pool (normalize-pool.ts): one instance's originals and some of
// its distinct patches in, their normalized texts out. The canonical Python form goes through an
// InstanceNormalizer, another language's through its CodePatchNormalizer; both are kept for the
// last few scopes, so later chunks of the same instance reuse the parsed originals.
import { parentPort } from "node:worker_threads";
import type { LanguageFamily } from "../treesitter/languages.js";
import type { NormalizedPatch } from "./normalize-patch.js";
import { scopeNormalizer } from "./scope-normalizer.js";

export interface NormalizeJob {
  id: number;
  scope: string;
  /** absent: Python's canonical form */
  language?: LanguageFamily;
  originals: Record<string, string>;
  patches: string[];
}
export type NormalizeReply = { id: number; results: NormalizedPatch[] } | { id: number; error: string };

const port = parentPort;
if (!port) throw new Error("normalize-worker.ts must run in a worker thread");

const KEEP = 4;
const normalizers = new Map<string, (patch: string) => NormalizedPatch>();
function normalizerFor(job: NormalizeJob): (patch: string) => NormalizedPatch {
  // the scope names the content of its paths; a job may bring a different set of paths
  const key = [job.language ?? "python", job.scope, ...Object.keys(job.originals).sort()].join("\u0000");
  let f = normalizers.get(key);
  if (!f) {
    f = scopeNormalizer(job.originals, job.language);
    normalizers.set(key, f);
    if (normalizers.size > KEEP) normalizers.delete(normalizers.keys().next().value!);
  }
  return f;
}

// Jobs run one at a time, yielding every 16 patches: tree-sitter frees a tree in a finalizer
// that runs only between event-loop turns.
let chain = Promise.resolve();
port.on("message", (job: NormalizeJob | "close") => {
  if (job === "close") {
    void chain.then(() => process.exit(0));
    return;
  }
  chain = chain.then(async () => {
    try {
      const normalize = normalizerFor(job);
      const results: NormalizedPatch[] = [];
      for (const [i, patch] of job.patches.entries()) {
        if (i % 16 === 15) await new Promise((resolve) => setImmediate(resolve));
        results.push(normalize(patch));
      }
      port.postMessage({ id: job.id, results } satisfies NormalizeReply);
    } catch (err) {
      port.postMessage({
        id: job.id,
        error: err instanceof Error ? err.message : String(err),
      } satisfies NormalizeReply);
    }
  });
});
