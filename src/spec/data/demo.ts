// The embedded demo benchmark's repos (src/demo/benchmark): plain pytest projects whose
// images are the offline base image plus the repo, with no conda env. textkit is installed
// editable in its image, as most SWE-bench repos are (so the eval script reinstalls it, and
// validation's strict mode does too); offline, hence no build isolation and no index.
import { TEST_PYTEST, type RepoSpecs } from "./types.js";

const demoRepo = (versions: string[], install?: string): RepoSpecs => ({
  logParser: "parse_log_pytest",
  versions: Object.fromEntries(
    versions.map((v) => [
      v,
      { python: "3.11", testCmd: TEST_PYTEST, condaEnv: false, ...(install ? { install } : {}) },
    ]),
  ),
});

export const DEMO_REPO_SPECS: Readonly<Record<string, RepoSpecs>> = {
  "swerl-demo/textkit": demoRepo(["1.0"], "python -m pip install --no-build-isolation --no-index -e ."),
  "swerl-demo/durations": demoRepo(["0.3"]),
  "swerl-demo/ledger": demoRepo(["2.1"]),
};
