// makeTestSpec: everything needed to grade one instance in its official image.
import type { Instance } from "../dataset/schema.js";
import { officialImageName } from "../docker/images.js";
import { lookupSpec, REPO_SPECS } from "./data/index.js";
import { INSTANCE_FIXES } from "./data/instance-fixes.js";
import { STDERR_ASIDE_INSTANCES } from "./data/multilingual-fixes.js";
import { DEMO_MULTILINGUAL_REPO_SPECS } from "./data/demo-multilingual.js";
import { lookupMultilingualSpec, MULTILINGUAL_REPO_SPECS, type MultilingualVersionSpec } from "./data/multilingual.js";
import { testDirectives } from "./directives.js";
import { evalScriptBody, evalScriptLines, recordTestExitCode, scriptOf } from "./eval-script.js";
import { datasetScriptLines, v41ScriptLines } from "./eval-script-multilingual.js";
import { modifiedFiles, touchedFiles } from "./patch-files.js";

export interface TestSpec {
  instanceId: string;
  repo: string;
  version: string;
  evalScript: string;
  testDirectives: string[];
  /**
   * The full test command line (test_cmd + directives), as it appears in evalScript; for the
   * Multilingual repos (fixed commands, no directives) the spec's commands chained with &&.
   */
  testCommand: string;
  /** Docker image, e.g. "swebench/sweb.eval.x86_64.django_1776_django-11099:latest". */
  image: string;
  /** Name of the harness log parser, e.g. "parse_log_pytest". */
  logParser: string;
}

/**
 * Which harness rules build the eval script (and, for grading, which rules grade: see
 * gradingRulesOf).
 * - "dataset" (default): what the published `eval_script` column holds today, built here: every
 *   file the test patch touches is named in the checkout lines (new files and rename targets
 *   included), and a few instances get a fix-up command before the tests
 *   (data/instance-fixes.ts); graded by v4.1's rules.
 * - "v4.1": the harness v4.1.0's own make_eval_script_list_py: only files that exist before the
 *   test patch are reset, nothing runs between the patch and the tests; v4.1's grading.
 * - "latest": the harness's current release (5.x): the instance's `eval_script` column (the
 *   script above when the dataset has none) with the test command's exit status recorded
 *   (record_test_exit_code), graded by its rules (grading/grade-latest.ts).
 * "dataset" and "v4.1" give the same script for all but 20 of the 500 Verified instances.
 * The SWE-bench Multilingual repos have their own layouts of both (eval-script-multilingual.ts).
 */
export type SpecRules = "dataset" | "v4.1" | "latest";
export const SPEC_RULES: readonly SpecRules[] = ["dataset", "v4.1", "latest"];
export const DEFAULT_SPEC_RULES: SpecRules = "dataset";

/** The grading rules that go with an eval script's rules. */
export const gradingRulesOf = (rules: SpecRules): "v4.1" | "latest" => (rules === "latest" ? "latest" : "v4.1");

export interface TestSpecOptions {
  /** Docker Hub namespace of the prebuilt images (default "swebench"). */
  namespace?: string;
  rules?: SpecRules;
}

export const DEFAULT_NAMESPACE = "swebench";

export class UnknownSpecError extends Error {}

/** The official prebuilt image of an instance: ids are lowercased and "__" becomes "_1776_". */
export function instanceImageName(instanceId: string, namespace: string = DEFAULT_NAMESPACE): string {
  return officialImageName(instanceId, namespace);
}

/** Why an instance has no spec: its repo, or its version of a known repo, is unknown. */
function unknownSpecReason(repo: string, version: string): string {
  const knownRepo = Object.hasOwn(REPO_SPECS, repo)
    ? REPO_SPECS[repo]
    : Object.hasOwn(MULTILINGUAL_REPO_SPECS, repo)
      ? MULTILINGUAL_REPO_SPECS[repo]
      : Object.hasOwn(DEMO_MULTILINGUAL_REPO_SPECS, repo)
        ? DEMO_MULTILINGUAL_REPO_SPECS[repo]
        : undefined;
  if (knownRepo)
    return `version "${version}" is not one of ${repo}'s known versions (${Object.keys(knownRepo.versions).join(", ")})`;
  return `repo "${repo}" is not one of the known repos (${Object.keys(REPO_SPECS).join(", ")}; SWE-bench Multilingual: ${Object.keys(MULTILINGUAL_REPO_SPECS).join(", ")})`;
}

export function makeTestSpec(instance: Instance, opts: TestSpecOptions = {}): TestSpec {
  const { instance_id: instanceId, repo, version } = instance;
  const multilingual = lookupMultilingualSpec(repo, version);
  if (multilingual) return multilingualTestSpec(instance, multilingual.spec, multilingual.logParser, opts);
  const found = lookupSpec(repo, version);
  if (!found) throw new UnknownSpecError(`instance ${instanceId}: no test spec: ${unknownSpecReason(repo, version)}`);
  const directives = testDirectives(repo, instance.test_patch);
  const testCommand = [found.spec.testCmd, ...directives].join(" ");
  const rules = opts.rules ?? DEFAULT_SPEC_RULES;
  const v41 = rules === "v4.1";
  const built = () =>
    evalScriptLines({
      spec: found.spec,
      baseCommit: instance.base_commit,
      testPatch: instance.test_patch,
      testCommand,
      resetFiles: v41 ? modifiedFiles(instance.test_patch) : touchedFiles(instance.test_patch),
      preTestCommands: v41 ? undefined : INSTANCE_FIXES[instanceId]?.preTestCommands,
    });
  const evalScript =
    rules === "latest"
      ? scriptOf(recordTestExitCode(instance.eval_script ? evalScriptBody(instance.eval_script) : built()))
      : scriptOf(built());
  return {
    instanceId,
    repo,
    version,
    evalScript,
    testDirectives: directives,
    testCommand,
    image: instanceImageName(instanceId, opts.namespace ?? DEFAULT_NAMESPACE),
    logParser: found.logParser,
  };
}

/** A SWE-bench Multilingual instance: fixed test commands, no conda env, no directives. */
function multilingualTestSpec(
  instance: Instance,
  spec: MultilingualVersionSpec,
  logParser: string,
  opts: TestSpecOptions,
): TestSpec {
  const rules = opts.rules ?? DEFAULT_SPEC_RULES;
  const input = {
    spec,
    baseCommit: instance.base_commit,
    testPatch: instance.test_patch,
    stderrAside: Object.hasOwn(STDERR_ASIDE_INSTANCES, instance.instance_id),
  };
  const built = () => (rules === "v4.1" ? v41ScriptLines(input) : datasetScriptLines(input));
  const lines = rules === "latest" && instance.eval_script ? evalScriptBody(instance.eval_script) : built();
  return {
    instanceId: instance.instance_id,
    repo: instance.repo,
    version: instance.version,
    evalScript: scriptOf(rules === "latest" ? recordTestExitCode(lines) : lines),
    testDirectives: [],
    testCommand: spec.test_cmd.join(" && "),
    image: instanceImageName(instance.instance_id, opts.namespace ?? DEFAULT_NAMESPACE),
    logParser,
  };
}
