// The lines that put a shell into an instance's test environment (conda env activated where
// the repo has one, cwd /testbed, the repo's eval-time settings such as locale variables),
// for running anything other than the official eval script there: reproduction tests,
// regression tests, patch validation. Same order as the eval script's own preamble.
import type { Instance } from "../dataset/schema.js";
import { lookupSpec } from "./data/index.js";
import { condaActivateLines, REPO_DIR } from "./eval-script.js";
import { UnknownSpecError } from "./test-spec.js";

export function envPreludeLines(instance: Pick<Instance, "instance_id" | "repo" | "version">): string[] {
  const found = lookupSpec(instance.repo, instance.version);
  if (!found) throw new UnknownSpecError(`instance ${instance.instance_id}: no test spec for ${instance.repo} version "${instance.version}"`);
  return [...condaActivateLines(found.spec), `cd ${REPO_DIR}`, ...(found.spec.evalCommands ?? []), `git config --global --add safe.directory ${REPO_DIR}`, `cd ${REPO_DIR}`];
}

/** The test command of an instance's repo/version without directives (e.g. "pytest -rA"). */
export function baseTestCommand(instance: Pick<Instance, "instance_id" | "repo" | "version">): string {
  const found = lookupSpec(instance.repo, instance.version);
  if (!found) throw new UnknownSpecError(`instance ${instance.instance_id}: no test spec for ${instance.repo} version "${instance.version}"`);
  return found.spec.testCmd;
}
