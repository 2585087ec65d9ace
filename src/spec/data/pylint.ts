// pylint-dev/pylint: 3.x needs a pre-release astroid; some versions get a 2-CPU limit.
import { forVersions, TEST_PYTEST, type RepoSpecs, type RepoVersionSpec } from "./types.js";

const VERSIONS = [
  "2.10",
  "2.11",
  "2.13",
  "2.14",
  "2.15",
  "2.16",
  "2.17",
  "2.8",
  "2.9",
  "3.0",
  "3.1",
  "3.2",
  "3.3",
  "4.0",
];
const TWO_CPUS = ["2.14", "2.15", "2.17", "3.0", "3.1", "3.2", "3.3", "4.0"];

function pylintSpec(version: string): RepoVersionSpec {
  const spec: RepoVersionSpec = {
    python: "3.9",
    packages: "requirements.txt",
    install: "python -m pip install -e .",
    testCmd: TEST_PYTEST,
  };
  if (version === "2.8") {
    Object.assign(spec, {
      pipPackages: ["pyenchant==3.2"],
      preInstall: ["apt-get update && apt-get install -y libenchant-2-dev hunspell-en-us"],
    });
  }
  if (version.startsWith("3.") || version === "4.0") spec.pipPackages = ["astroid==3.0.0a6", "setuptools"];
  if (TWO_CPUS.includes(version)) spec.nanoCpus = 2e9;
  return spec;
}

export const PYLINT: RepoSpecs = { logParser: "parse_log_pylint", versions: forVersions(VERSIONS, pylintSpec) };
