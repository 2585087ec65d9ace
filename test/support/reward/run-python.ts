// Run test/support/reward/reference.py (CPython's difflib + an independent Python statement of the
// SWE-RL reward) on a batch of cases: one python3 process, cases as JSON on stdin.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const referenceScript = fileURLToPath(new URL("./reference.py", import.meta.url));

export function runPythonReference<T = unknown>(cases: readonly unknown[]): T[] {
  const run = spawnSync("python3", [referenceScript], {
    input: JSON.stringify(cases),
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  if (run.error) throw new Error(`python3 could not be started: ${run.error.message}`);
  if (run.status !== 0)
    throw new Error(`python3 ${referenceScript} failed (exit ${run.status}): ${run.stderr.slice(-2000)}`);
  return JSON.parse(run.stdout) as T[];
}
