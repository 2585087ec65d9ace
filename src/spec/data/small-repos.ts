// The small pytest-run repos: xarray, seaborn, flask, requests.
import { forVersions, TEST_PYTEST, TEST_SEABORN, type RepoSpecs } from "./types.js";

export const XARRAY: RepoSpecs = {
  logParser: "parse_log_xarray",
  versions: forVersions(
    ["0.12", "0.18", "0.19", "0.20", "2022.03", "2022.06", "2022.09", "2023.07", "2024.05"],
    () => ({
      python: "3.10",
      packages: "environment.yml",
      install: "python -m pip install -e .",
      pipPackages: [
        "numpy==1.23.0",
        "packaging==23.1",
        "pandas==1.5.3",
        "pytest==7.4.0",
        "python-dateutil==2.8.2",
        "pytz==2023.3",
        "six==1.16.0",
        "scipy==1.11.1",
        "setuptools==68.0.0",
        "dask==2022.8.1",
      ],
      noUseEnv: true,
      testCmd: TEST_PYTEST,
    }),
  ),
};

const seabornPins = (pandas: string) => [
  "contourpy==1.1.0",
  "cycler==0.11.0",
  "fonttools==4.42.1",
  "importlib-resources==6.0.1",
  "kiwisolver==1.4.5",
  "matplotlib==3.7.2",
  "numpy==1.25.2",
  "packaging==23.1",
  `pandas==${pandas}`,
  "pillow==10.0.0",
  "pyparsing==3.0.9",
  "pytest",
  "python-dateutil==2.8.2",
  "pytz==2023.3.post1",
  "scipy==1.11.2",
  "six==1.16.0",
  "tzdata==2023.1",
  "zipp==3.16.2",
];

export const SEABORN: RepoSpecs = {
  logParser: "parse_log_seaborn",
  versions: {
    ...forVersions(["0.11"], () => ({
      python: "3.9",
      install: "python -m pip install -e .",
      pipPackages: seabornPins("1.3.5"),
      testCmd: TEST_SEABORN,
    })),
    ...forVersions(["0.12", "0.13", "0.14"], () => ({
      python: "3.9",
      install: "python -m pip install -e .[dev]",
      pipPackages: seabornPins("2.0.0"),
      testCmd: TEST_SEABORN,
    })),
  },
};

const flask = (python: string, pins: string[]) => () => ({
  python,
  packages: "requirements.txt",
  install: "python -m pip install -e .",
  pipPackages: ["setuptools==70.0.0", ...pins],
  testCmd: TEST_PYTEST,
});
const FLASK_LATE_PINS = [
  "click==8.1.3",
  "itsdangerous==2.1.2",
  "Jinja2==3.1.2",
  "MarkupSafe==2.1.1",
  "Werkzeug==2.3.7",
];

export const FLASK: RepoSpecs = {
  logParser: "parse_log_flask",
  versions: {
    ...forVersions(
      ["2.0"],
      flask("3.9", ["Werkzeug==2.3.7", "Jinja2==3.0.1", "itsdangerous==2.1.2", "click==8.0.1", "MarkupSafe==2.1.3"]),
    ),
    ...forVersions(["2.1"], flask("3.10", FLASK_LATE_PINS)),
    ...forVersions(["2.2", "2.3", "3.0", "3.1"], flask("3.11", FLASK_LATE_PINS)),
  },
};

export const REQUESTS: RepoSpecs = {
  logParser: "parse_log_requests",
  versions: forVersions(
    [
      "0.7",
      "0.8",
      "0.9",
      "0.11",
      "0.13",
      "0.14",
      "1.1",
      "1.2",
      "2.0",
      "2.2",
      "2.3",
      "2.4",
      "2.5",
      "2.7",
      "2.8",
      "2.9",
      "2.10",
      "2.11",
      "2.12",
      "2.17",
      "2.18",
      "2.19",
      "2.22",
      "2.26",
      "2.25",
      "2.27",
      "2.31",
      "3.0",
    ],
    () => ({ python: "3.9", packages: "pytest", install: "python -m pip install .", testCmd: TEST_PYTEST }),
  ),
};
