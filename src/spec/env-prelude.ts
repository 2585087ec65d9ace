// The lines that put a shell into an instance's test environment (conda env activated where
// the repo has one, cwd /testbed, the repo's eval-time settings such as locale variables),
// for running anything other than the official eval script there: reproduction tests,
// regression tests, patch validation. Same order as the eval script's own preamble.
import type { Instance } from "../dataset/schema.js";
import { lookupSpec } from "./data/index.js";
import { lookupMultilingualSpec } from "./data/multilingual.js";
import { condaActivateLines, REPO_DIR } from "./eval-script.js";
import { UnknownSpecError } from "./test-spec.js";

type InstanceKey = Pick<Instance, "instance_id" | "repo" | "version">;

const noSpec = (instance: InstanceKey) =>
  new UnknownSpecError(
    `instance ${instance.instance_id}: no test spec for ${instance.repo} version "${instance.version}"`,
  );

export function envPreludeLines(instance: InstanceKey): string[] {
  const safeDirectory = `git config --global --add safe.directory ${REPO_DIR}`;
  // SWE-bench Multilingual images have no conda env; the toolchains are on PATH.
  if (lookupMultilingualSpec(instance.repo, instance.version))
    return [`cd ${REPO_DIR}`, safeDirectory, `cd ${REPO_DIR}`];
  const found = lookupSpec(instance.repo, instance.version);
  if (!found) throw noSpec(instance);
  return [
    ...condaActivateLines(found.spec),
    `cd ${REPO_DIR}`,
    ...(found.spec.evalCommands ?? []),
    safeDirectory,
    `cd ${REPO_DIR}`,
  ];
}

/** The test command of an instance's repo/version without directives (e.g. "pytest -rA"). */
export function baseTestCommand(instance: InstanceKey): string {
  const found = lookupSpec(instance.repo, instance.version);
  if (found) return found.spec.testCmd;
  if (lookupMultilingualSpec(instance.repo, instance.version)) {
    throw new UnknownSpecError(
      `instance ${instance.instance_id}: ${instance.repo} is a SWE-bench Multilingual repo: its spec has fixed per-instance test commands, not a base command that takes test files`,
    );
  }
  throw noSpec(instance);
}

/**
 * A SWE-bench Multilingual (or multilingual demo) instance's test run outside the eval script:
 * the spec's build steps, then its test commands, one a line (each runs whatever the one before
 * gave, so one failing command does not hide the others' results); undefined for other repos.
 */
export function multilingualTestCommand(instance: InstanceKey): string | undefined {
  const found = lookupMultilingualSpec(instance.repo, instance.version);
  return found ? [...(found.spec.build ?? []), ...found.spec.test_cmd].join("\n") : undefined;
}
