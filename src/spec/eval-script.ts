// The eval script the harness runs in the instance container: activate the env, record the
// repo state, reinstall, reset the test files, apply the test patch, run the tests between
// the two markers, reset the test files again. Built line for line as the harness does.
import type { RepoVersionSpec } from "./data/index.js";

export const START_TEST_OUTPUT = ">>>>> Start Test Output";
export const END_TEST_OUTPUT = ">>>>> End Test Output";
export const REPO_DIR = "/testbed";
export const CONDA_ENV = "testbed";
/** The harness's heredoc delimiter for the test patch. */
export const HEREDOC = "EOF_114329324912";

export interface EvalScriptInput {
  spec: RepoVersionSpec;
  baseCommit: string;
  testPatch: string;
  testCommand: string;
  /** Files to reset to base_commit before and after the tests. */
  resetFiles: readonly string[];
  /** Run after the test patch is applied, before the start marker (newer rules only). */
  preTestCommands?: readonly string[];
}

/** The lines that activate the instance's conda env (none for specs without one, e.g. the demo's). */
export const condaActivateLines = (spec: Pick<RepoVersionSpec, "condaEnv">): string[] =>
  spec.condaEnv === false ? [] : ["source /opt/miniconda3/bin/activate", `conda activate ${CONDA_ENV}`];

export function evalScriptLines(input: EvalScriptInput): string[] {
  const { spec, baseCommit, testPatch, testCommand } = input;
  const activate = condaActivateLines(spec);
  const resetTests = `git checkout ${baseCommit} ${input.resetFiles.join(" ")}`;
  return [
    ...activate,
    `cd ${REPO_DIR}`,
    ...(spec.evalCommands ?? []),
    `git config --global --add safe.directory ${REPO_DIR}`,
    `cd ${REPO_DIR}`,
    "git status",
    "git show",
    `git -c core.fileMode=false diff ${baseCommit}`,
    ...activate,
    ...(spec.install ? [spec.install] : []),
    resetTests,
    `git apply -v - <<'${HEREDOC}'\n${testPatch}\n${HEREDOC}`,
    ...(input.preTestCommands ?? []),
    `: '${START_TEST_OUTPUT}'`,
    testCommand,
    `: '${END_TEST_OUTPUT}'`,
    resetTests,
  ];
}

export function buildEvalScript(input: EvalScriptInput): string {
  return scriptOf(evalScriptLines(input));
}

/** TestSpec.eval_script: the lines under the harness's two header lines. */
export const scriptOf = (lines: readonly string[]): string =>
  ["#!/bin/bash", "set -uxo pipefail", ...lines].join("\n") + "\n";

/** parse_eval_script (harness 5.x): a published eval_script's lines without its two header lines. */
export const evalScriptBody = (script: string): string[] =>
  script
    .trim()
    .split("\n")
    .filter((line) => line !== "#!/bin/bash" && line !== "set -uxo pipefail");

/**
 * record_test_exit_code (harness 5.x): the test command's exit status kept in a variable just
 * before the end marker and echoed after it (outside the parsed region). Unchanged without a marker.
 */
export function recordTestExitCode(lines: readonly string[]): string[] {
  const at = lines.findIndex((line) => line.includes(END_TEST_OUTPUT));
  if (at < 0) return [...lines];
  return [
    ...lines.slice(0, at),
    "SWEBENCH_TEST_EXIT_CODE=$?",
    lines[at]!,
    'echo ">>>>> Test Exit Code: $SWEBENCH_TEST_EXIT_CODE"',
    ...lines.slice(at + 1),
  ];
}
