// Validating one unique patch in a testbed: one step runs, with the patch applied, the spec's
// install step when due (reinstall.ts), the regression command (counting the selected tests that
// do not pass) and every kept reproduction test (each `python <test_id>.py` from the repo root,
// its own time limit, its verdict read from its stdout). If that step misbehaves it is split in
// two, so a misbehaving (model-written) reproduction test cannot spoil the regression result.
import { randomBytes } from "node:crypto";
import { parserFor, testFailed, normalizeNewlines } from "../grading/index.js";
import type { Testbed, TestbedStepResult } from "../testbed/testbed.js";
import type { RegressionInput } from "../records/regression.js";
import type { ReproductionOutcome, ValidationRecord } from "../records/validation.js";
import { testFileName, verdictOf } from "../stage-common/reproduction-verdict.js";

export interface ReproductionTest {
  test_id: string;
  script: string;
}

export interface PatchValidationInput {
  patch: string;
  regression: RegressionInput | undefined;
  tests: ReproductionTest[];
  regressionTimeoutMs: number;
  testTimeoutMs: number;
  /**
   * Run after the patch is applied, before the tests, under the regression run's limit (the
   * spec's install, as the harness's eval script does; see reinstallFor). Each step then runs
   * in a container of its own.
   */
  reinstall?: string;
  /** reproduce.verdict (default lenient). */
  verdict?: "strict" | "lenient";
  /** How the tests are stored and run (another language's scripts); default `python <id>.py`. */
  runner?: { extension: string; run: (file: string) => string };
}

export type PatchValidation = Pick<
  ValidationRecord,
  | "applied"
  | "apply_method"
  | "regression_failures"
  | "regression_failed_tests"
  | "reproduction_passed"
  | "reproduction_outcomes"
  | "violation"
  | "timed_out"
  | "timings_ms"
  | "reinstall_exit"
>;

const REGRESSION_PART = "@regression";
const REGRESSION_FILE = "/tmp/swerl-regression.sh";
const INSTALL_PART = "@install";
const INSTALL_FILE = "/tmp/swerl-install.sh";
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Bash running one part (the regression run, or one test) under its own limit, between markers.
 * stderr: `apart` the driver's (not in the part); `tail` its last 4,000 bytes after the part
 * (lenient verdict: stdout alone decides); `merged` into the part's output, all of it, as the
 * harness's test_output.txt holds it (strict verdict; bounded only by the exec's MAX_MEMORY_OUTPUT).
 */
function partLines(
  name: string,
  command: string,
  limitMs: number,
  nonce: string,
  stderr: "apart" | "tail" | "merged",
): string[] {
  const redirect = stderr === "tail" ? "2>/tmp/swerl-part-stderr" : stderr === "merged" ? "2>&1" : "2>&3";
  return [
    `printf '\\n@@part-${nonce}@@ %s begin\\n' '${name}'; t0=$EPOCHREALTIME`,
    // stderr of the driver goes to /dev/null meanwhile, so bash's "Killed" notice is not output.
    `exec 3>&2 2>/dev/null; timeout -s KILL ${(limitMs / 1000).toFixed(3)} ${command} </dev/null ${redirect}; rc=$?; exec 2>&3 3>&-`,
    `printf '\\n@@part-${nonce}@@ %s end %s %s %s\\n' '${name}' "$rc" "$t0" "$EPOCHREALTIME"`,
    // `[ -s ]` is a builtin: most tests print nothing on stderr, and then no tail process runs.
    ...(stderr === "tail" ? ["[ -s /tmp/swerl-part-stderr ] && tail -c 4000 /tmp/swerl-part-stderr"] : []),
  ];
}

export interface Part {
  output: string;
  exitCode: number;
  ms: number;
  /** The stderr tail printed after the part (lenient tests only; "" when none). */
  stderr?: string;
}

/** Each part's output (stdout only for lenient tests, stdout and stderr for strict ones), exit code and time; absent = it never ended. */
export function parseParts(output: string, names: string[], nonce: string): Map<string, Part> {
  const parts = new Map<string, Part>();
  for (const name of names) {
    const begin = output.lastIndexOf(`\n@@part-${nonce}@@ ${name} begin\n`);
    const endRe = new RegExp(`\\n@@part-${nonce}@@ ${escapeRe(name)} end (\\d+) (\\S+) (\\S+)\\n`, "g");
    let end: RegExpExecArray | null = null;
    for (let m; (m = endRe.exec(output)) !== null; ) end = m;
    if (begin < 0 || !end || end.index < begin) continue;
    const secs = (x: string) => Number(x.replace(",", "."));
    const after = end.index + end[0].length;
    const next = output.indexOf(`\n@@part-${nonce}@@ `, after);
    parts.set(name, {
      output: output.slice(output.indexOf("\n", begin + 1) + 1, end.index),
      stderr: output.slice(after, next < 0 ? output.length : next),
      exitCode: Number(end[1]),
      ms: Math.max(0, Math.round((secs(end[3]!) - secs(end[2]!)) * 1000)),
    });
  }
  return parts;
}

/** A test's outcome from its part: its verdict, else timed_out (killed at its limit) or no_verdict. */
function outcomeOf(
  part: Part | undefined,
  limitMs: number,
  mode: "strict" | "lenient" | undefined,
): ReproductionOutcome {
  if (!part) return "error";
  // strict: the whole log, as Agentless reads test_output.txt (the test's stdout and stderr, merged)
  const verdict = verdictOf(part.output, mode);
  return verdict === "no_verdict" && part.exitCode === 137 && part.ms >= limitMs - 50 ? "timed_out" : verdict;
}

/** Selected tests that did not pass (PASSED/XFAIL) in the regression run's log. */
export function regressionFailures(output: string, regression: RegressionInput): string[] {
  const parse = parserFor(regression.log_parser, false, regression.instance_id);
  const statusMap = parse(normalizeNewlines(output));
  // get_eval_tests_report's PASS_TO_PASS failures: absent, FAILED or ERROR (SKIPPED is neither a pass nor a failure).
  return regression.selected_tests.filter((t) => testFailed(t, statusMap));
}

interface StepPlan {
  regression: boolean;
  tests: ReproductionTest[];
}

/** One testbed step running the planned parts with the patch applied; fills `r`. */
async function runStep(
  testbed: Testbed,
  o: PatchValidationInput,
  plan: StepPlan,
  r: PatchValidation,
): Promise<TestbedStepResult> {
  const nonce = randomBytes(6).toString("hex");
  const lines: string[] = []; // the testbed puts the step in the instance's environment (its prelude)
  const ext = o.runner?.extension ?? "py";
  const runTest = o.runner?.run ?? ((f: string) => `python ${f}`);
  const files = plan.tests.map((t) => ({ path: testFileName(t.test_id, ext), content: t.script }));
  if (o.reinstall) {
    files.push({ path: INSTALL_FILE, content: o.reinstall + "\n" });
    lines.push(...partLines(INSTALL_PART, `bash ${INSTALL_FILE}`, o.regressionTimeoutMs, nonce, "apart"));
  }
  if (plan.regression && o.regression) {
    files.push({ path: REGRESSION_FILE, content: o.regression.command + "\n" });
    lines.push(...partLines(REGRESSION_PART, `bash ${REGRESSION_FILE}`, o.regressionTimeoutMs, nonce, "apart"));
  }
  for (const t of plan.tests)
    lines.push(
      ...partLines(
        t.test_id,
        runTest(testFileName(t.test_id, ext)),
        o.testTimeoutMs,
        nonce,
        o.verdict === "strict" ? "merged" : "tail",
      ),
    );
  const limit =
    (plan.regression && o.regression ? o.regressionTimeoutMs : 0) +
    (o.reinstall ? o.regressionTimeoutMs : 0) +
    plan.tests.length * o.testTimeoutMs +
    60_000;
  const step = await testbed.run({
    patch: o.patch,
    files,
    command: lines.length > 0 ? lines.join("\n") : "true",
    timeoutMs: limit,
    ownContainer: o.reinstall !== undefined,
  });
  r.applied = step.applied;
  r.apply_method = step.applyMethod;
  r.timings_ms.apply += step.timings.apply;
  r.timings_ms.reset += step.timings.reset + step.timings.check;
  if (step.timedOut) r.timed_out = true;
  if (!step.applied) return step;
  const parts = parseParts(step.output, [INSTALL_PART, REGRESSION_PART, ...plan.tests.map((t) => t.test_id)], nonce);
  if (o.reinstall) {
    // As in the eval script, a failing install does not stop the tests; the record keeps its status.
    const part = parts.get(INSTALL_PART);
    r.reinstall_exit = part ? part.exitCode : null;
    r.timings_ms.install = (r.timings_ms.install ?? 0) + (part?.ms ?? 0);
  }
  const spoiled = step.violation !== null || step.timedOut; // misbehaviour voids the step's results
  if (plan.regression && o.regression) {
    const part = parts.get(REGRESSION_PART);
    r.timings_ms.regression += part?.ms ?? 0;
    const partTimedOut = part !== undefined && part.exitCode === 137 && part.ms >= o.regressionTimeoutMs - 50;
    if (partTimedOut) r.timed_out = true;
    if (part && !partTimedOut && !spoiled) {
      r.regression_failed_tests = regressionFailures(part.output, o.regression);
      r.regression_failures = r.regression_failed_tests.length;
    }
  }
  if (plan.tests.length > 0) {
    for (const t of plan.tests) {
      r.timings_ms.reproduction += parts.get(t.test_id)?.ms ?? 0;
      r.reproduction_outcomes[t.test_id] = spoiled
        ? "error"
        : outcomeOf(parts.get(t.test_id), o.testTimeoutMs, o.verdict);
    }
    r.reproduction_passed = plan.tests.map((t) => t.test_id).filter((id) => r.reproduction_outcomes[id] === "resolved");
  }
  return step;
}

const emptyValidation = (): PatchValidation => ({
  applied: false,
  apply_method: null,
  regression_failures: null,
  regression_failed_tests: [],
  reproduction_passed: null,
  reproduction_outcomes: {},
  violation: null,
  timed_out: false,
  timings_ms: { apply: 0, regression: 0, reproduction: 0, reset: 0, total: 0 },
});

/**
 * One step for the regression run and every test (one apply, one exec). If that step
 * misbehaves (violation or step timeout), the regression run and the tests are run again as
 * two steps, so a misbehaving model-written test cannot void the regression result.
 */
export async function validatePatch(testbed: Testbed, given: PatchValidationInput): Promise<PatchValidation> {
  const started = Date.now();
  // No regression test selected (no signal): nothing is run, and an applied patch fails none
  // of them (0), as Agentless counts a patch against an empty PASS_TO_PASS list.
  const noneSelected = given.regression !== undefined && given.regression.selected_tests.length === 0;
  const o = noneSelected ? { ...given, regression: undefined } : given;
  let r = emptyValidation();
  const combined = await runStep(testbed, o, { regression: true, tests: o.tests }, r);
  const twoParts = o.regression !== undefined && o.tests.length > 0;
  if (combined.applied && twoParts && (combined.violation !== null || combined.timedOut)) {
    r = emptyValidation();
    const reg = await runStep(testbed, o, { regression: true, tests: [] }, r);
    const rep = await runStep(testbed, o, { regression: false, tests: o.tests }, r);
    r.violation =
      [reg.violation && `regression: ${reg.violation}`, rep.violation && `reproduction: ${rep.violation}`]
        .filter(Boolean)
        .join("; ") || null;
  } else {
    r.violation = combined.violation;
  }
  if (noneSelected && r.applied) r.regression_failures = 0;
  r.timings_ms.total = Date.now() - started;
  return r;
}
