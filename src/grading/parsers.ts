// Which parser reads which repo's test log: the harness's MAP_REPO_TO_PARSER (v4.1) and the
// parser names found in the datasets' `log_parser` column.
import { parseLogDjango } from "./parsers-django.js";
import { parseLogMatplotlib, parseLogPytest, parseLogPytestOptions, parseLogPytestV2, parseLogSeaborn } from "./parsers-pytest.js";
import { parseLogSympy } from "./parsers-sympy.js";
import type { StatusMap } from "./status.js";

export type LogParser = (log: string) => StatusMap;

/** Parser function name (as in the harness and the `log_parser` column) → parser. */
export const PARSERS_BY_NAME: Readonly<Record<string, LogParser>> = {
  parse_log_pytest: parseLogPytest,
  parse_log_pytest_options: parseLogPytestOptions,
  parse_log_pytest_v2: parseLogPytestV2,
  parse_log_django: parseLogDjango,
  parse_log_seaborn: parseLogSeaborn,
  parse_log_sympy: parseLogSympy,
  parse_log_matplotlib: parseLogMatplotlib,
  // The harness's per-repo aliases.
  parse_log_astroid: parseLogPytest,
  parse_log_flask: parseLogPytest,
  parse_log_marshmallow: parseLogPytest,
  parse_log_pvlib: parseLogPytest,
  parse_log_pyvista: parseLogPytest,
  parse_log_sqlfluff: parseLogPytest,
  parse_log_xarray: parseLogPytest,
  parse_log_pydicom: parseLogPytestOptions,
  parse_log_requests: parseLogPytestOptions,
  parse_log_pylint: parseLogPytestOptions,
  parse_log_astropy: parseLogPytestV2,
  parse_log_scikit: parseLogPytestV2,
  parse_log_sphinx: parseLogPytestV2,
};

/** The harness's current release (`latest` rules): the same names, the pytest family's later fixes on. */
export const LATEST_PARSERS_BY_NAME: Readonly<Record<string, LogParser>> = Object.fromEntries(
  Object.entries(PARSERS_BY_NAME).map(([name, parse]) => [name, (log: string) => (parse as (l: string, latest?: boolean) => StatusMap)(log, true)]),
);

/** Repo (owner/name) → parser name, for every repo of SWE-bench, Lite and Verified. */
export const PARSER_NAME_BY_REPO: Readonly<Record<string, string>> = {
  "astropy/astropy": "parse_log_astropy",
  "django/django": "parse_log_django",
  "marshmallow-code/marshmallow": "parse_log_marshmallow",
  "matplotlib/matplotlib": "parse_log_matplotlib",
  "mwaskom/seaborn": "parse_log_seaborn",
  "pallets/flask": "parse_log_flask",
  "psf/requests": "parse_log_requests",
  "pvlib/pvlib-python": "parse_log_pvlib",
  "pydata/xarray": "parse_log_xarray",
  "pydicom/pydicom": "parse_log_pydicom",
  "pylint-dev/astroid": "parse_log_astroid",
  "pylint-dev/pylint": "parse_log_pylint",
  "pytest-dev/pytest": "parse_log_pytest",
  "pyvista/pyvista": "parse_log_pyvista",
  "scikit-learn/scikit-learn": "parse_log_scikit",
  "sqlfluff/sqlfluff": "parse_log_sqlfluff",
  "sphinx-doc/sphinx": "parse_log_sphinx",
  "sympy/sympy": "parse_log_sympy",
};

const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** The parser name for a repo ("django/django") or a parser name ("parse_log_django"). */
export function resolveParserName(repoOrParser: string): string {
  if (has(PARSERS_BY_NAME, repoOrParser)) return repoOrParser;
  if (has(PARSER_NAME_BY_REPO, repoOrParser)) return PARSER_NAME_BY_REPO[repoOrParser];
  throw new Error(
    `no SWE-bench log parser for "${repoOrParser}": expected a repo (${Object.keys(PARSER_NAME_BY_REPO).join(", ")}) ` +
      `or a parser name (${Object.keys(PARSERS_BY_NAME).join(", ")})`,
  );
}

/** Parse a test log the way the harness does for that repo or parser name. */
export function parseTestLog(logText: string, repoOrParser: string): StatusMap {
  return PARSERS_BY_NAME[resolveParserName(repoOrParser)](logText);
}
