// Rewards per second on ~1,000 realistic cases from SWE-bench Verified (10 answers per gold
// patch: exact, partial, noisy, wrong file, format errors, ...), ours vs Python's difflib
// running the same SWE-RL semantics (test/support/reward/reference.py) on the same cases.
//
//   npx vite-node bench/reward.ts [-- --rows 100 --no-python]
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadDataset } from "../src/dataset/load.js";
import { calculateSearchReplaceReward, calculateUnifiedDiffReward } from "../src/reward/reward.js";
import { referenceScript } from "../test/support/reward/run-python.js";
import { linePool, searchReplaceCases, unifiedDiffCases } from "../test/support/verified-cases.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const rowCount = Number(args[args.indexOf("--rows") + 1] || 100) || 100;
const withPython = !args.includes("--no-python");

const rows = await loadDataset(join(root, "..", "shared", "datasets", "swe-bench-verified.test.jsonl"));
const step = Math.max(1, Math.floor(rows.length / rowCount));
const sample = rows.filter((_, i) => i % step === 0).slice(0, rowCount);
const pool = linePool(rows);
const sr = searchReplaceCases(sample, 1, pool);
const ud = unifiedDiffCases(sample, 2, pool);

/** Seconds for one pass over the cases, best of `repeats` after a warm-up pass. */
function time<T>(cases: T[], score: (c: T) => number, repeats = 3): { seconds: number; rewards: number[] } {
  let rewards = cases.map(score);
  let best = Infinity;
  for (let k = 0; k < repeats; k++) {
    const t = process.hrtime.bigint();
    rewards = cases.map(score);
    best = Math.min(best, Number(process.hrtime.bigint() - t) / 1e9);
  }
  return { seconds: best, rewards };
}

/** Python's time for the reward loop alone (JSON transfer excluded), and its rewards. */
function timePython(cases: unknown[]): { seconds: number; rewards: number[] } {
  const code = [
    "import json, sys, time",
    `sys.path.insert(0, ${JSON.stringify(dirname(referenceScript))})`,
    "import reference",
    "cases = json.load(sys.stdin)",
    "t = time.perf_counter()",
    "answers = [reference.answer(c) for c in cases]",
    "json.dump({'seconds': time.perf_counter() - t, 'rewards': [a['reward'] for a in answers]}, sys.stdout)",
  ].join("\n");
  const run = spawnSync("python3", ["-c", code], {
    input: JSON.stringify(cases),
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  if (run.status !== 0) throw new Error(`python3 failed: ${run.stderr.slice(-1000)}`);
  return JSON.parse(run.stdout) as { seconds: number; rewards: number[] };
}

const chars = (n: number) => `${(n / 1e6).toFixed(1)}M chars`;
const srChars = sr.reduce(
  (n, c) => n + c.output.length + Object.values(c.codeContext).reduce((m, t) => m + t.length, 0),
  0,
);
console.log(
  `SWE-bench Verified: ${sample.length} gold patches -> ${sr.length} search/replace cases (${chars(srChars)}), ${ud.length} unified-diff cases`,
);

const results = [
  {
    kind: "search_replace",
    n: sr.length,
    ours: time(sr, (c) => calculateSearchReplaceReward(c.codeContext, c.oracleNewContent, c.output).reward),
    py: withPython
      ? timePython(
          sr.map((c) => ({
            op: "search_replace_reward",
            code_context: c.codeContext,
            oracle_new_content: c.oracleNewContent,
            output: c.output,
          })),
        )
      : null,
  },
  {
    kind: "unified_diff",
    n: ud.length,
    ours: time(ud, (c) => calculateUnifiedDiffReward(c.oraclePatches, c.predPatches).reward),
    py: withPython
      ? timePython(
          ud.map((c) => ({ op: "unified_diff_reward", oracle_patches: c.oraclePatches, pred_patches: c.predPatches })),
        )
      : null,
  },
];

for (const { kind, n, ours, py } of results) {
  const rate = (s: number) => `${(n / s).toFixed(0).padStart(7)} rewards/s`;
  let line = `${kind.padEnd(15)} ${String(n).padStart(5)} cases  swerl ${rate(ours.seconds)} (${(ours.seconds * 1000).toFixed(0)} ms)`;
  if (py) {
    const differ = py.rewards.filter((r, i) => Math.abs(r - ours.rewards[i]) > 1e-12).length;
    line += `  python3 difflib ${rate(py.seconds)} (${(py.seconds * 1000).toFixed(0)} ms)  speed-up x${(py.seconds / ours.seconds).toFixed(1)}  rewards differing: ${differ}`;
  }
  console.log(line);
}
