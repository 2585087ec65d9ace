// sympy/sympy: its own test runner (bin/test) on file paths.
import { forVersions, TEST_SYMPY, type RepoSpecs } from "./types.js";

export const SYMPY: RepoSpecs = {
  logParser: "parse_log_sympy",
  versions: {
    ...forVersions(
      ["0.7", "1.0", "1.1", "1.2", "1.4", "1.5", "1.6", "1.7", "1.8", "1.9", "1.10", "1.11", "1.12"],
      () => ({
        python: "3.9",
        packages: "mpmath flake8",
        pipPackages: ["mpmath==1.3.0", "flake8-comprehensions"],
        install: "python -m pip install -e .",
        testCmd: TEST_SYMPY,
      }),
    ),
    ...forVersions(["1.13", "1.14"], () => ({
      python: "3.9",
      packages: "requirements.txt",
      install: "python -m pip install -e .",
      pipPackages: ["mpmath==1.3.0"],
      testCmd: TEST_SYMPY,
    })),
  },
};
