// The per-repo, per-version environment facts of the SWE-bench harness (v4.1 rules),
// kept as plain data. Only testCmd, evalCommands and install reach the eval script; the
// rest describes how the official images were built and is kept for reference and for
// anyone building images themselves.

export interface RepoVersionSpec {
  /** Python version of the conda env `testbed`. */
  python: string;
  /** Conda packages, or "requirements.txt" / "environment.yml" (read from the repo). */
  packages?: string;
  /** Run in the image before `install`. */
  preInstall?: readonly string[];
  /** Installs the repo itself; the eval script runs it again before the tests. */
  install?: string;
  pipPackages?: readonly string[];
  /** Run at the top of the eval script (e.g. locale setup for django). */
  evalCommands?: readonly string[];
  /** Test command; the test directives are appended to it. */
  testCmd: string;
  /** xarray: `conda create` then `conda env update` instead of `conda env create`. */
  noUseEnv?: boolean;
  /** CPU limit the harness gives the container (nano CPUs). */
  nanoCpus?: number;
  executeTestAsNonroot?: boolean;
  /**
   * false for images without conda (the embedded demo's, built on the offline base image):
   * the eval script then leaves out the two `conda activate` steps. Default true.
   */
  condaEnv?: boolean;
}

export interface RepoSpecs {
  /** Name of the harness log parser for this repo, e.g. "parse_log_pytest". */
  logParser: string;
  versions: Readonly<Record<string, RepoVersionSpec>>;
}

/** One spec per version, built fresh for each (so later per-version edits stay local). */
export function forVersions(
  versions: readonly string[],
  make: (version: string) => RepoVersionSpec,
): Record<string, RepoVersionSpec> {
  return Object.fromEntries(versions.map((v) => [v, make(v)]));
}

// Test commands, as the harness spells them.
export const TEST_PYTEST = "pytest -rA";
export const TEST_PYTEST_NO_HEADER = "pytest --no-header -rA --tb=no -p no:cacheprovider";
export const TEST_ASTROPY_PYTEST = "pytest -rA -vv -o console_output_style=classic --tb=no";
export const TEST_DJANGO = "./tests/runtests.py --verbosity 2 --settings=test_sqlite --parallel 1";
export const TEST_DJANGO_NO_PARALLEL = "./tests/runtests.py --verbosity 2";
export const TEST_SEABORN = "pytest --no-header -rA";
export const TEST_SPHINX = "tox --current-env -epy39 -v --";
export const TEST_SYMPY = "PYTHONWARNINGS='ignore::UserWarning,ignore::SyntaxWarning' bin/test -C --verbose";
