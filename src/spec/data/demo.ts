// The embedded demo benchmark's repos (src/demo/benchmark): plain pytest projects whose
// images are the offline base image plus the repo, with no conda env and no install step.
import { TEST_PYTEST, type RepoSpecs } from "./types.js";

const demoRepo = (versions: string[]): RepoSpecs => ({
  logParser: "parse_log_pytest",
  versions: Object.fromEntries(versions.map((v) => [v, { python: "3.11", testCmd: TEST_PYTEST, condaEnv: false }])),
});

export const DEMO_REPO_SPECS: Readonly<Record<string, RepoSpecs>> = {
  "swerl-demo/textkit": demoRepo(["1.0"]),
  "swerl-demo/durations": demoRepo(["0.3"]),
  "swerl-demo/ledger": demoRepo(["2.1"]),
};
