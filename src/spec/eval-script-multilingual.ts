// Eval scripts for the SWE-bench Multilingual repos (no conda env, a fixed test command per
// instance). Two layouts:
// - "dataset": the published `eval_script` column. Like the Python scripts of the same
//   release: the repo state is recorded (git status/show/diff), `git apply -v`, the test-file
//   reset split into `git checkout <base> <files that exist before the patch>` and
//   `rm -f <files the patch creates>` (one line, joined with &&), the spec's build steps after
//   the patch, then the spec's test commands chained with && in a subshell piped to cat.
// - "v4.1": the harness v4.1.0's make_eval_script_list_common (make_eval_script_list_js adds
//   nothing for these repos): no state record, `git apply --verbose --reject`, only files that
//   exist before the patch are reset (or an echo when there are none), one test command a line.
import type { MultilingualVersionSpec } from "./data/multilingual.js";
import { END_TEST_OUTPUT, HEREDOC, REPO_DIR, START_TEST_OUTPUT } from "./eval-script.js";
import { modifiedFiles, newFiles } from "./patch-files.js";

export interface MultilingualScriptInput {
  spec: MultilingualVersionSpec;
  baseCommit: string;
  testPatch: string;
  /** Published-script variant: stderr kept out of the parsed region (data/multilingual-fixes.ts). */
  stderrAside?: boolean;
}

/** Where the stderr-aside variant keeps the test command's stderr until after the end marker. */
export const STDERR_ASIDE_FILE = "/tmp/swebench_test_stderr.log";

/** The test region of a published script: markers and the chained test commands. */
export function datasetTestLines(testCmds: readonly string[], stderrAside = false): string[] {
  const chained = `(${testCmds.join(" && ")})`;
  if (!stderrAside) return [`: '${START_TEST_OUTPUT}'`, `${chained} | cat`, `: '${END_TEST_OUTPUT}'`];
  return [
    "{ set +x; } 2>/dev/null",
    `echo '${START_TEST_OUTPUT}'`,
    `${chained} 2>${STDERR_ASIDE_FILE} | cat`,
    `echo '${END_TEST_OUTPUT}'`,
    `cat ${STDERR_ASIDE_FILE} >&2 || true`,
    "set -x",
  ];
}

const applyLine = (flags: string, testPatch: string) => `git apply ${flags} - <<'${HEREDOC}'\n${testPatch}\n${HEREDOC}`;

export function datasetScriptLines(input: MultilingualScriptInput): string[] {
  const { spec, baseCommit, testPatch } = input;
  const existing = modifiedFiles(testPatch);
  const created = newFiles(testPatch);
  const resetParts = [
    ...(existing.length ? [`git checkout ${baseCommit} ${existing.join(" ")}`] : []),
    ...(created.length ? [`rm -f ${created.join(" ")}`] : []),
  ];
  const reset = resetParts.length ? [resetParts.join(" && ")] : [];
  return [
    `cd ${REPO_DIR}`,
    `git config --global --add safe.directory ${REPO_DIR}`,
    "git status",
    "git show",
    `git -c core.fileMode=false diff ${baseCommit}`,
    ...reset,
    applyLine("-v", testPatch),
    ...(spec.build ?? []),
    ...datasetTestLines(spec.test_cmd, input.stderrAside),
    ...reset,
  ];
}

export function v41ScriptLines(input: MultilingualScriptInput): string[] {
  const { spec, baseCommit, testPatch } = input;
  const existing = modifiedFiles(testPatch);
  const reset = existing.length ? `git checkout ${baseCommit} ${existing.join(" ")}` : 'echo "No test files to reset"';
  return [
    `cd ${REPO_DIR}`,
    `git config --global --add safe.directory ${REPO_DIR}`,
    `cd ${REPO_DIR}`,
    reset,
    applyLine("--verbose --reject", testPatch),
    ...(spec.build ?? []),
    `: '${START_TEST_OUTPUT}'`,
    ...spec.test_cmd,
    `: '${END_TEST_OUTPUT}'`,
    reset,
  ];
}
