// pytest-dev/pytest: tests itself; each version pins the plugin stack of its time.
import { forVersions, TEST_PYTEST, type RepoSpecs } from "./types.js";

const PINS: Record<string, readonly string[]> = {
  "4.4": [
    "atomicwrites==1.4.1",
    "attrs==23.1.0",
    "more-itertools==10.1.0",
    "pluggy==0.13.1",
    "py==1.11.0",
    "setuptools==68.0.0",
    "six==1.16.0",
  ],
  "4.5": [
    "atomicwrites==1.4.1",
    "attrs==23.1.0",
    "more-itertools==10.1.0",
    "pluggy==0.11.0",
    "py==1.11.0",
    "setuptools==68.0.0",
    "six==1.16.0",
    "wcwidth==0.2.6",
  ],
  "4.6": [
    "atomicwrites==1.4.1",
    "attrs==23.1.0",
    "more-itertools==10.1.0",
    "packaging==23.1",
    "pluggy==0.13.1",
    "py==1.11.0",
    "six==1.16.0",
    "wcwidth==0.2.6",
  ],
  "5.3": [
    "attrs==23.1.0",
    "more-itertools==10.1.0",
    "packaging==23.1",
    "pluggy==0.13.1",
    "py==1.11.0",
    "wcwidth==0.2.6",
  ],
  "5.4": ["py==1.11.0", "packaging==23.1", "attrs==23.1.0", "more-itertools==10.1.0", "pluggy==0.13.1"],
  "6.0": [
    "attrs==23.1.0",
    "iniconfig==2.0.0",
    "more-itertools==10.1.0",
    "packaging==23.1",
    "pluggy==0.13.1",
    "py==1.11.0",
    "toml==0.10.2",
  ],
  "7.0": ["attrs==23.1.0", "iniconfig==2.0.0", "packaging==23.1", "pluggy==0.13.1", "py==1.11.0"],
};
const shared = (versions: string[], pins: readonly string[]) => {
  for (const v of versions) PINS[v] = pins;
};
shared(
  ["5.0", "5.1", "5.2"],
  [
    "atomicwrites==1.4.1",
    "attrs==23.1.0",
    "more-itertools==10.1.0",
    "packaging==23.1",
    "pluggy==0.13.1",
    "py==1.11.0",
    "wcwidth==0.2.6",
  ],
);
shared(
  ["6.2", "6.3"],
  ["attrs==23.1.0", "iniconfig==2.0.0", "packaging==23.1", "pluggy==0.13.1", "py==1.11.0", "toml==0.10.2"],
);
shared(
  ["7.1", "7.2"],
  ["attrs==23.1.0", "iniconfig==2.0.0", "packaging==23.1", "pluggy==0.13.1", "py==1.11.0", "tomli==2.0.1"],
);
shared(
  ["7.4", "8.0", "8.1", "8.2", "8.3", "8.4"],
  ["iniconfig==2.0.0", "packaging==23.1", "pluggy==1.3.0", "exceptiongroup==1.1.3", "tomli==2.0.1"],
);

const VERSIONS = [
  "4.4",
  "4.5",
  "4.6",
  "5.0",
  "5.1",
  "5.2",
  "5.3",
  "5.4",
  "6.0",
  "6.2",
  "6.3",
  "7.0",
  "7.1",
  "7.2",
  "7.4",
  "8.0",
  "8.1",
  "8.2",
  "8.3",
  "8.4",
];

export const PYTEST: RepoSpecs = {
  logParser: "parse_log_pytest",
  versions: forVersions(VERSIONS, (v) => ({
    python: "3.9",
    install: "python -m pip install -e .",
    pipPackages: PINS[v],
    // 6.3's setup.cfg has a doubled ">=>=" that pip rejects.
    ...(v === "6.3" ? { preInstall: ["sed -i 's/>=>=/>=/' setup.cfg"] } : {}),
    testCmd: TEST_PYTEST,
  })),
};
