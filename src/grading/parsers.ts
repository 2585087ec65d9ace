// Which parser reads which repo's test log: the harness's MAP_REPO_TO_PARSER (v4.1) and the
// parser names found in the datasets' `log_parser` column.
import { parseLogDjango } from "./parsers-django.js";
import {
  parseLogMatplotlib,
  parseLogPytest,
  parseLogPytestOptions,
  parseLogPytestV2,
  parseLogSeaborn,
} from "./parsers-pytest.js";
import { parseLogSympy } from "./parsers-sympy.js";
import {
  parseLogDoctest,
  parseLogGoogletest,
  parseLogJq,
  parseLogMicropythonTest,
  parseLogRedis,
} from "./parsers-c.js";
import { parseLogGotest } from "./parsers-go.js";
import { parseLogAnt, parseLogGradleCustom, parseLogMaven } from "./parsers-java.js";
import {
  immutableJsParserFor,
  parseLogJest,
  parseLogJestJson,
  parseLogKarma,
  parseLogTap,
  parseLogVitest,
} from "./parsers-js.js";
import { parseLogPhpunit } from "./parsers-php.js";
import {
  jekyllParserFor,
  parseLogCucumber,
  parseLogMinitest,
  parseLogRspecTransformedJson,
  parseLogRubyUnit,
} from "./parsers-ruby.js";
import { parseLogCargo } from "./parsers-rust.js";
import type { StatusMap } from "./status.js";

export type LogParser = (log: string) => StatusMap;

const PYTHON_PARSERS_BY_NAME: Readonly<Record<string, LogParser>> = {
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

/** SWE-bench Multilingual's parsers: new after v4.1, so both rule sets use them unchanged. */
const MULTILINGUAL_PARSERS_BY_NAME: Readonly<Record<string, LogParser>> = {
  parse_log_cargo: parseLogCargo,
  parse_log_gotest: parseLogGotest,
  parse_log_maven: parseLogMaven,
  parse_log_ant: parseLogAnt,
  parse_log_gradle_custom: parseLogGradleCustom,
  parse_log_phpunit: parseLogPhpunit,
  parse_log_jest: parseLogJest,
  parse_log_jest_json: parseLogJestJson,
  parse_log_vitest: parseLogVitest,
  parse_log_karma: parseLogKarma,
  parse_log_tap: parseLogTap,
  parse_log_redis: parseLogRedis,
  parse_log_jq: parseLogJq,
  parse_log_doctest: parseLogDoctest,
  parse_log_micropython_test: parseLogMicropythonTest,
  parse_log_googletest: parseLogGoogletest,
  parse_log_minitest: parseLogMinitest,
  parse_log_cucumber: parseLogCucumber,
  parse_log_ruby_unit: parseLogRubyUnit,
  parse_log_rspec_transformed_json: parseLogRspecTransformedJson,
};

/** Parsers that choose a log format by instance id (the harness reads test_spec.instance_id). */
export const PARSERS_BY_INSTANCE: Readonly<Record<string, (instanceId: string) => LogParser>> = {
  parse_log_jekyll: jekyllParserFor,
  parse_log_immutable_js: immutableJsParserFor,
};

/** Parser function name (as in the harness and the `log_parser` column) → parser. */
export const PARSERS_BY_NAME: Readonly<Record<string, LogParser>> = {
  ...PYTHON_PARSERS_BY_NAME,
  ...MULTILINGUAL_PARSERS_BY_NAME,
};

/** The harness's current release (`latest` rules): the same names, the pytest family's later fixes on. */
export const LATEST_PARSERS_BY_NAME: Readonly<Record<string, LogParser>> = {
  ...Object.fromEntries(
    Object.entries(PYTHON_PARSERS_BY_NAME).map(([name, parse]) => [
      name,
      (log: string) => (parse as (l: string, latest?: boolean) => StatusMap)(log, true),
    ]),
  ),
  ...MULTILINGUAL_PARSERS_BY_NAME,
};

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

const has = (o: object, k: string): boolean => Object.hasOwn(o, k);

/** The parser name for a repo ("django/django") or a parser name ("parse_log_django"). */
export function resolveParserName(repoOrParser: string): string {
  if (has(PARSERS_BY_NAME, repoOrParser) || has(PARSERS_BY_INSTANCE, repoOrParser)) return repoOrParser;
  if (has(PARSER_NAME_BY_REPO, repoOrParser)) return PARSER_NAME_BY_REPO[repoOrParser];
  throw new Error(
    `no SWE-bench log parser for "${repoOrParser}": expected a repo (${Object.keys(PARSER_NAME_BY_REPO).join(", ")}) ` +
      `or a parser name (${[...Object.keys(PARSERS_BY_NAME), ...Object.keys(PARSERS_BY_INSTANCE)].join(", ")})`,
  );
}

/** The parser for a repo or parser name; instance-dependent parsers need the instance id. */
export function parserFor(repoOrParser: string, latest: boolean, instanceId?: string): LogParser {
  const name = resolveParserName(repoOrParser);
  if (has(PARSERS_BY_INSTANCE, name)) {
    if (instanceId === undefined) throw new Error(`log parser ${name} depends on the instance: give its instance id`);
    return PARSERS_BY_INSTANCE[name](instanceId);
  }
  return (latest ? LATEST_PARSERS_BY_NAME : PARSERS_BY_NAME)[name];
}

/** Parse a test log the way the harness does for that repo or parser name. */
export function parseTestLog(logText: string, repoOrParser: string, instanceId?: string): StatusMap {
  return parserFor(repoOrParser, false, instanceId)(logText);
}
