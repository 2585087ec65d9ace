// Validating one unique patch in a testbed: step 1 runs the regression command with the patch
// applied and counts the selected tests that do not pass; step 2 runs every kept reproduction
// test (each `python <test_id>.py` from the repo root, its own time limit) with the patch
// applied and reads each verdict from its stdout. Two steps, not one, so a misbehaving
// (model-written) reproduction test cannot spoil the regression result.
import { randomBytes } from "node:crypto";
import { PARSERS_BY_NAME, resolveParserName, testPassed, normalizeNewlines } from "../grading/index.js";
import type { Testbed, TestbedStepResult } from "../testbed/testbed.js";
import type { RegressionInput } from "./inputs.js";
import type { ReproductionOutcome, ValidationRecord } from "./records.js";

export interface ReproductionTest { test_id: string; script: string }

export interface PatchValidationInput {
  patch: string;
  /** envPreludeLines(instance). */
  prelude: string[];
  regression: RegressionInput | undefined;
  tests: ReproductionTest[];
  regressionTimeoutMs: number;
  testTimeoutMs: number;
}

export type PatchValidation = Pick<ValidationRecord,
  "applied" | "apply_method" | "regression_failures" | "regression_failed_tests" | "reproduction_passed" |
  "reproduction_outcomes" | "violation" | "timed_out" | "timings_ms">;

/** Agentless's verdict rule, on the script's stdout. */
export function reproductionOutcome(stdout: string): ReproductionOutcome {
  if (stdout.includes("Issue reproduced")) return "reproduced";
  if (stdout.includes("Issue resolved")) return "resolved";
  if (stdout.includes("Other issues")) return "other";
  return "no_verdict";
}

/** A file name for a test in the repo root (test ids are `repro-<hex>`; anything else is made safe). */
export const testFileName = (testId: string): string => `${testId.replace(/[^A-Za-z0-9_.-]/g, "_")}.py`;

/** The bash script of the reproduction step; each test's stdout sits between its markers, stderr after. */
export function reproductionScript(prelude: string[], tests: ReproductionTest[], testTimeoutMs: number, nonce: string): string {
  const limit = (testTimeoutMs / 1000).toFixed(3);
  const out = [...prelude];
  for (const t of tests) {
    const file = testFileName(t.test_id);
    out.push(
      `printf '\\n@@test-${nonce}@@ %s begin\\n' '${t.test_id}'`,
      `timeout -s KILL ${limit} python ${file} </dev/null 2>/tmp/swerl-test-stderr; rc=$?`,
      `printf '\\n@@test-${nonce}@@ %s end %s\\n' '${t.test_id}' "$rc"`,
      `tail -c 4000 /tmp/swerl-test-stderr`,
    );
  }
  return out.join("\n");
}

/** Each test's outcome from the reproduction step's output. */
export function parseReproductionOutput(output: string, tests: ReproductionTest[], nonce: string): Record<string, ReproductionOutcome> {
  const outcomes: Record<string, ReproductionOutcome> = {};
  for (const t of tests) {
    const begin = output.lastIndexOf(`\n@@test-${nonce}@@ ${t.test_id} begin\n`);
    const endRe = new RegExp(`\\n@@test-${nonce}@@ ${t.test_id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} end (\\d+)\\n`, "g");
    let end: RegExpExecArray | null = null;
    for (let m; (m = endRe.exec(output)) !== null;) end = m;
    if (begin < 0 || !end || end.index < begin) { outcomes[t.test_id] = "error"; continue; }
    const stdout = output.slice(output.indexOf("\n", begin + 1) + 1, end.index);
    // timeout -s KILL gives exit 137 (a script's own SIGKILL death looks the same, and is rare).
    const verdict = reproductionOutcome(stdout);
    outcomes[t.test_id] = end[1] === "137" && verdict === "no_verdict" ? "timed_out" : verdict;
  }
  return outcomes;
}

/** Selected tests that did not pass (PASSED/XFAIL) in the regression run's log. */
export function regressionFailures(output: string, regression: RegressionInput): string[] {
  const parse = PARSERS_BY_NAME[resolveParserName(regression.log_parser)];
  const statusMap = parse(normalizeNewlines(output));
  return regression.selected_tests.filter((t) => !testPassed(t, statusMap));
}

export async function validatePatch(testbed: Testbed, o: PatchValidationInput): Promise<PatchValidation> {
  const started = Date.now();
  const r: PatchValidation = {
    applied: false, apply_method: null, regression_failures: null, regression_failed_tests: [],
    reproduction_passed: null, reproduction_outcomes: {}, violation: null, timed_out: false,
    timings_ms: { apply: 0, regression: 0, reproduction: 0, reset: 0, total: 0 },
  };
  const violations: string[] = [];
  const account = (step: TestbedStepResult, kind: "regression" | "reproduction") => {
    r.applied = step.applied;
    r.apply_method = step.applyMethod;
    r.timings_ms.apply += step.timings.apply;
    r.timings_ms[kind] += step.durationMs;
    r.timings_ms.reset += step.timings.reset + step.timings.check;
    if (step.violation) violations.push(`${kind}: ${step.violation}`);
    if (step.timedOut) r.timed_out = true;
  };
  // With no regression record, step 1 only applies the patch (its apply status is still worth recording).
  const regressionCommand = o.regression ? [...o.prelude, o.regression.command].join("\n") : "true";
  const reg = await testbed.run({ patch: o.patch, command: regressionCommand, timeoutMs: o.regression ? o.regressionTimeoutMs : 60_000 });
  account(reg, "regression");
  if (reg.applied && o.regression && !reg.timedOut && !reg.violation) {
    r.regression_failed_tests = regressionFailures(reg.output, o.regression);
    r.regression_failures = r.regression_failed_tests.length;
  }
  if (reg.applied && o.tests.length > 0) {
    const nonce = randomBytes(6).toString("hex");
    const rep = await testbed.run({
      patch: o.patch,
      files: o.tests.map((t) => ({ path: testFileName(t.test_id), content: t.script })),
      command: reproductionScript(o.prelude, o.tests, o.testTimeoutMs, nonce),
      timeoutMs: o.tests.length * o.testTimeoutMs + 60_000,
    });
    account(rep, "reproduction");
    if (rep.applied) {
      r.reproduction_outcomes = parseReproductionOutput(rep.output, o.tests, nonce);
      // A violation spoils every verdict of the step: none counts as passed.
      if (rep.violation || rep.timedOut) for (const id of Object.keys(r.reproduction_outcomes)) r.reproduction_outcomes[id] = "error";
      r.reproduction_passed = o.tests.map((t) => t.test_id).filter((id) => r.reproduction_outcomes[id] === "resolved");
    }
  }
  r.violation = violations.length > 0 ? violations.join("; ") : null;
  r.timings_ms.total = Date.now() - started;
  return r;
}
