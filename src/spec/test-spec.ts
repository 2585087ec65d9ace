// makeTestSpec: everything needed to grade one instance in its official image.
import type { Instance } from "../dataset/schema.js";
import { officialImageName } from "../docker/images.js";
import { lookupSpec, REPO_SPECS } from "./data/index.js";
import { INSTANCE_FIXES } from "./data/instance-fixes.js";
import { testDirectives } from "./directives.js";
import { buildEvalScript } from "./eval-script.js";
import { modifiedFiles, touchedFiles } from "./patch-files.js";

export interface TestSpec {
  instanceId: string;
  repo: string;
  version: string;
  evalScript: string;
  testDirectives: string[];
  /** The full test command line (test_cmd + directives), as it appears in evalScript. */
  testCommand: string;
  /** Docker image, e.g. "swebench/sweb.eval.x86_64.django_1776_django-11099:latest". */
  image: string;
  /** Name of the harness log parser, e.g. "parse_log_pytest". */
  logParser: string;
}

/**
 * Which harness rules build the eval script.
 * - "v4.1": the harness's own make_eval_script_list_py: only files that exist before the test
 *   patch are reset (git checkout), nothing runs between the patch and the tests.
 * - "latest" (default): what the published `eval_script` column holds today: every file the
 *   test patch touches is named in the checkout lines (new files and rename targets included),
 *   and a few instances get a fix-up command before the tests (data/instance-fixes.ts).
 * Both give the same script for all but 20 of the 500 Verified instances.
 */
export type SpecRules = "v4.1" | "latest";
export const SPEC_RULES: readonly SpecRules[] = ["v4.1", "latest"];

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

export function makeTestSpec(instance: Instance, opts: TestSpecOptions = {}): TestSpec {
  const { instance_id: instanceId, repo, version } = instance;
  const found = lookupSpec(repo, version);
  if (!found) {
    const known = Object.hasOwn(REPO_SPECS, repo)
      ? `version "${version}" is not one of ${repo}'s known versions (${Object.keys(REPO_SPECS[repo]!.versions).join(", ")})`
      : `repo "${repo}" is not one of the known repos (${Object.keys(REPO_SPECS).join(", ")})`;
    throw new UnknownSpecError(`instance ${instanceId}: no test spec: ${known}`);
  }
  const directives = testDirectives(repo, instance.test_patch);
  const testCommand = [found.spec.testCmd, ...directives].join(" ");
  const latest = (opts.rules ?? "latest") === "latest";
  const evalScript = buildEvalScript({
    spec: found.spec,
    baseCommit: instance.base_commit,
    testPatch: instance.test_patch,
    testCommand,
    resetFiles: latest ? touchedFiles(instance.test_patch) : modifiedFiles(instance.test_patch),
    preTestCommands: latest ? INSTANCE_FIXES[instanceId]?.preTestCommands : undefined,
  });
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
