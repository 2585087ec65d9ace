// For benches: one `swerl evaluate` of the demo's gold predictions as a whole CLI process
// (dist/ built first), failing unless every instance resolves. Returns its wall time and its
// evaluation.jsonl records.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const cli = fileURLToPath(new URL("../dist/cli/main.cjs", import.meta.url));

export function evaluateDemoGold<R extends { status: string }>(
  runId: string,
  resultsDir: string,
  extraArgs: readonly string[],
): { seconds: number; records: R[] } {
  const started = Date.now();
  const r = spawnSync(
    "node",
    [
      cli,
      "-q",
      "evaluate",
      "--dataset",
      "demo",
      "--predictions",
      "gold",
      "--run-id",
      runId,
      "--namespace",
      "none",
      "--results-dir",
      resultsDir,
      "--timeout",
      "300",
      ...extraArgs,
    ],
    { encoding: "utf8" },
  );
  if (r.status !== 0) throw new Error(r.stderr);
  const seconds = (Date.now() - started) / 1000;
  const records = readFileSync(join(resultsDir, runId, "evaluation.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((line) => {
      const rec = JSON.parse(line) as R;
      if (rec.status !== "resolved") throw new Error(`gold not resolved: ${line}`);
      return rec;
    });
  return { seconds, records };
}
