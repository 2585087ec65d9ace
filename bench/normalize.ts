// Cost of normalizing patches for the vote, per unique patch: validate.normalize agentless
// (python3 worker) vs canonical (tree-sitter, in process).
//  1. SWE-bench Verified gold patches and reformatted copies (src/normalize/testdata: files
//     rebuilt from the hunks, so small), all at once as grouping sends them.
//  2. Full-size files: Python's own standard library modules (the repos are not on this
//     machine), each with --patches unique one-line edits, as one instance's unique patches;
//     the first patch of a file also pays for normalizing the original once.
//
//   npx vite-node bench/normalize.ts [-- --files 12 --patches 40]
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { createAgentlessNormalizer } from "../src/normalize/agentless.js";
import { canonicalNormalizer, type PatchNormalizer } from "../src/normalize/patch-normalizer.js";
import { gitDiff, seededRandom } from "../test/support/verified-cases.js";

const args = process.argv.slice(2);
const arg = (name: string, dflt: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
const fileCount = arg("--files", 12);
const patchCount = arg("--patches", 40);

interface Job {
  patch: string;
  originals: Record<string, string>;
  scope: string;
}

async function timeAll(n: PatchNormalizer, jobs: Job[]): Promise<number> {
  const t = performance.now();
  const out = await Promise.all(jobs.map((j) => n.normalize(j.patch, j.originals, j.scope)));
  if (out.some((r) => r.error)) throw new Error(`normalize failed: ${out.find((r) => r.error)?.error}`);
  return performance.now() - t;
}

// 1. gold patches
const data = gunzipSync(
  readFileSync(join(import.meta.dirname, "..", "src", "normalize", "testdata", "agentless-normalize.jsonl.gz")),
)
  .toString("utf8")
  .split("\n")
  .filter(Boolean)
  .map((l) => JSON.parse(l) as { id: string; variant: string; files: { path: string; old: string; new: string }[] });
const goldJobs = data.map((c, k) => {
  const originals = Object.fromEntries(c.files.map((f) => [f.path, f.old]));
  return {
    patch: gitDiff(originals, Object.fromEntries(c.files.map((f) => [f.path, f.new]))),
    originals,
    scope: `${c.id}/${k}`,
  };
});
const agentless = createAgentlessNormalizer();
console.log(`python ${await agentless.pythonVersion()}`);
const goldAgentless = await timeAll(agentless, goldJobs);
const goldCanonical = await timeAll(canonicalNormalizer, goldJobs);
const lines = data.reduce((s, c) => s + c.files.reduce((t, f) => t + f.new.split("\n").length, 0), 0);
console.log(
  `gold+reformatted (${goldJobs.length} patches, ${Math.round(lines / goldJobs.length)} lines/patch, originals normalized too):` +
    ` agentless ${(goldAgentless / goldJobs.length).toFixed(2)} ms/patch, canonical ${(goldCanonical / goldJobs.length).toFixed(2)} ms/patch`,
);

// 2. full-size files
const stdlib = execFileSync("python3", ["-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"])
  .toString()
  .trim();
const modules = readdirSync(stdlib)
  .filter((f) => f.endsWith(".py"))
  .map((f) => join(stdlib, f))
  .filter((p) => statSync(p).size > 20_000 && statSync(p).size < 150_000)
  .sort();
const rng = seededRandom(5);
const step = Math.max(1, Math.floor(modules.length / fileCount));
const chosen = modules.filter((_, i) => i % step === 0).slice(0, fileCount);

/** `count` distinct patches, each inserting one assignment after a simple statement. */
function onelineEdits(text: string, count: number): string[] {
  const ls = text.split("\n");
  const spots = ls
    .map((_l, i) => i)
    .filter((i) => {
      const l = ls[i];
      const next = ls[i + 1] ?? "";
      const ind = (s: string) => s.length - s.trimStart().length;
      return (
        l.trim() !== "" &&
        ind(l) > 0 &&
        ind(next) === ind(l) &&
        !/[:([{,\\]\s*$/.test(l) &&
        !l.trim().startsWith("#") &&
        !/["']/.test(l)
      );
    });
  const out: string[] = [];
  for (let k = 0; k < count && spots.length; k++) {
    const at = spots[Math.floor(rng() * spots.length)];
    const l = ls[at];
    const edited = [
      ...ls.slice(0, at + 1),
      `${l.slice(0, l.length - l.trimStart().length)}_swerl_probe = ${k}`,
      ...ls.slice(at + 1),
    ].join("\n");
    out.push(gitDiff({ "m.py": text }, { "m.py": edited }));
  }
  return out;
}

let totalLines = 0;
const rows: { file: string; lines: number; first: number; rest: number; canonical: number }[] = [];
for (const path of chosen) {
  const text = readFileSync(path, "utf8");
  const patches = onelineEdits(text, patchCount);
  const originals = { "m.py": text };
  const jobs = patches.map((patch) => ({ patch, originals, scope: path }));
  const first = await timeAll(agentless, jobs.slice(0, 1));
  const rest = await timeAll(agentless, jobs.slice(1));
  const canonical = await timeAll(canonicalNormalizer, jobs);
  const n = text.split("\n").length;
  totalLines += n;
  rows.push({
    file: path.slice(stdlib.length + 1),
    lines: n,
    first,
    rest: rest / (jobs.length - 1),
    canonical: canonical / jobs.length,
  });
}
await agentless.close();
for (const r of rows) {
  console.log(
    `${r.file.padEnd(22)} ${String(r.lines).padStart(5)} lines: agentless first patch ${r.first.toFixed(0)} ms (original included), then ${r.rest.toFixed(1)} ms/patch; canonical ${r.canonical.toFixed(1)} ms/patch`,
  );
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
console.log(
  `full-size files (${rows.length} files, mean ${Math.round(totalLines / rows.length)} lines, ${patchCount} unique patches each):` +
    ` agentless ${mean(rows.map((r) => r.rest)).toFixed(1)} ms/patch after the first, canonical ${mean(rows.map((r) => r.canonical)).toFixed(1)} ms/patch`,
);
