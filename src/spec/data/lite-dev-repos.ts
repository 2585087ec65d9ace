// The six repos that only SWE-bench Lite's dev split (and full SWE-bench) use: all pytest.
import { forVersions, TEST_PYTEST, type RepoSpecs, type RepoVersionSpec } from "./types.js";

export const SQLFLUFF: RepoSpecs = {
  logParser: "parse_log_sqlfluff",
  versions: forVersions(
    [
      "0.10",
      "0.11",
      "0.12",
      "0.13",
      "0.4",
      "0.5",
      "0.6",
      "0.8",
      "0.9",
      "1.0",
      "1.1",
      "1.2",
      "1.3",
      "1.4",
      "2.0",
      "2.1",
      "2.2",
    ],
    () => ({
      python: "3.9",
      packages: "requirements.txt",
      install: "python -m pip install -e .",
      testCmd: TEST_PYTEST,
    }),
  ),
};

export const PYVISTA: RepoSpecs = {
  logParser: "parse_log_pyvista",
  versions: {
    ...forVersions(["0.20", "0.21", "0.22", "0.23"], () => ({
      python: "3.9",
      install: "python -m pip install -e .",
      pipPackages: ["pytest"],
      testCmd: TEST_PYTEST,
    })),
    ...forVersions(
      [
        "0.24",
        "0.25",
        "0.26",
        "0.27",
        "0.28",
        "0.29",
        "0.30",
        "0.31",
        "0.32",
        "0.33",
        "0.34",
        "0.35",
        "0.36",
        "0.37",
        "0.38",
        "0.39",
        "0.40",
        "0.41",
        "0.42",
        "0.43",
      ],
      () => ({
        python: "3.9",
        packages: "requirements.txt",
        install: "python -m pip install -e .",
        pipPackages: ["pytest"],
        testCmd: TEST_PYTEST,
        preInstall: ["apt-get update && apt-get install -y ffmpeg libsm6 libxext6 libxrender1"],
      }),
    ),
  },
};

export const ASTROID: RepoSpecs = {
  logParser: "parse_log_astroid",
  versions: forVersions(
    ["2.10", "2.12", "2.13", "2.14", "2.15", "2.16", "2.5", "2.6", "2.7", "2.8", "2.9", "3.0"],
    () => ({ python: "3.9", install: "python -m pip install -e .", pipPackages: ["pytest"], testCmd: TEST_PYTEST }),
  ),
};

export const MARSHMALLOW: RepoSpecs = {
  logParser: "parse_log_marshmallow",
  versions: forVersions(
    [
      "2.18",
      "2.19",
      "2.20",
      "3.0",
      "3.1",
      "3.10",
      "3.11",
      "3.12",
      "3.13",
      "3.15",
      "3.16",
      "3.19",
      "3.2",
      "3.4",
      "3.8",
      "3.9",
    ],
    () => ({ python: "3.9", install: "python -m pip install -e '.[dev]'", testCmd: TEST_PYTEST }),
  ),
};

export const PVLIB: RepoSpecs = {
  logParser: "parse_log_pvlib",
  versions: forVersions(["0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9"], () => ({
    python: "3.9",
    install: "python -m pip install -e .[all]",
    packages: "pandas scipy",
    pipPackages: ["jupyter", "ipython", "matplotlib", "pytest", "flake8"],
    testCmd: TEST_PYTEST,
  })),
};

const PYDICOM_PYTHON: Record<string, string> = {
  "1.4": "3.8",
  "2.0": "3.8",
  "2.1": "3.9",
  "2.2": "3.9",
  "2.3": "3.10",
  "2.4": "3.11",
  "3.0": "3.11",
};

export const PYDICOM: RepoSpecs = {
  logParser: "parse_log_pydicom",
  versions: forVersions(
    ["1.0", "1.1", "1.2", "1.3", "1.4", "2.0", "2.1", "2.2", "2.3", "2.4", "3.0"],
    (v): RepoVersionSpec => ({
      python: PYDICOM_PYTHON[v] ?? "3.6",
      install: "python -m pip install -e .",
      packages: "numpy",
      pipPackages: ["pytest"],
      testCmd: TEST_PYTEST,
    }),
  ),
};
