// Evaluation overhead per instance: what `swerl evaluate` adds around the eval script
// (container create/start, patch copy + apply, eval.sh copy, grading, container removal)
// vs the time the eval script itself runs in the container. On the demo benchmark's
// instances (built offline), gold predictions, N rounds.
// Usage: npm run build && npx vite-node bench/evaluate-overhead.ts [rounds]
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { evaluateDemoGold } from "./evaluate-gold.js";

const rounds = Number(process.argv[2] ?? 3);
const resultsDir = mkdtempSync(join(tmpdir(), "swerl-bench-eval-"));
const rows: Array<{ total: number; eval: number; overhead: number }> = [];
const wall: number[] = [];

for (let round = 0; round < rounds; round++) {
  const runId = `bench-${round}`;
  const { seconds, records } = evaluateDemoGold<{ status: string; timings_ms: { total: number; eval: number } }>(
    runId,
    resultsDir,
    ["--max-workers", "1"],
  );
  wall.push(seconds);
  for (const rec of records) {
    rows.push({
      total: rec.timings_ms.total,
      eval: rec.timings_ms.eval,
      overhead: rec.timings_ms.total - rec.timings_ms.eval,
    });
  }
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const p = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const over = rows.map((r) => r.overhead);
console.log(`instances evaluated: ${rows.length} (${rounds} rounds x 5 demo instances, 1 worker)`);
console.log(`in-container eval time:  mean ${mean(rows.map((r) => r.eval)).toFixed(0)} ms`);
console.log(
  `overhead per instance:   mean ${mean(over).toFixed(0)} ms, p50 ${p(over, 0.5)} ms, p90 ${p(over, 0.9)} ms, max ${Math.max(...over)} ms`,
);
console.log(`total per instance:      mean ${mean(rows.map((r) => r.total)).toFixed(0)} ms`);
console.log(`CLI wall time per round: mean ${mean(wall).toFixed(1)} s (includes node start-up and dataset load)`);
