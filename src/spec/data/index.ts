// Which repos we know, and the lookup of one repo/version's spec.
import { ASTROPY } from "./astropy.js";
import { DJANGO } from "./django.js";
import { DEMO_REPO_SPECS } from "./demo.js";
import { MATPLOTLIB } from "./matplotlib.js";
import { PYLINT } from "./pylint.js";
import { PYTEST } from "./pytest.js";
import { SCIKIT_LEARN } from "./scikit-learn.js";
import { ASTROID, MARSHMALLOW, PVLIB, PYDICOM, PYVISTA, SQLFLUFF } from "./lite-dev-repos.js";
import { FLASK, REQUESTS, SEABORN, XARRAY } from "./small-repos.js";
import { SPHINX } from "./sphinx.js";
import { SYMPY } from "./sympy.js";
import type { RepoSpecs, RepoVersionSpec } from "./types.js";

export type { RepoSpecs, RepoVersionSpec } from "./types.js";

export const REPO_SPECS: Readonly<Record<string, RepoSpecs>> = {
  "astropy/astropy": ASTROPY,
  "django/django": DJANGO,
  "matplotlib/matplotlib": MATPLOTLIB,
  "mwaskom/seaborn": SEABORN,
  "pallets/flask": FLASK,
  "psf/requests": REQUESTS,
  "pydata/xarray": XARRAY,
  "pylint-dev/pylint": PYLINT,
  "pytest-dev/pytest": PYTEST,
  "scikit-learn/scikit-learn": SCIKIT_LEARN,
  "sphinx-doc/sphinx": SPHINX,
  "sympy/sympy": SYMPY,
  // Lite dev split only:
  "marshmallow-code/marshmallow": MARSHMALLOW,
  "pvlib/pvlib-python": PVLIB,
  "pydicom/pydicom": PYDICOM,
  "pylint-dev/astroid": ASTROID,
  "pyvista/pyvista": PYVISTA,
  "sqlfluff/sqlfluff": SQLFLUFF,
  // The embedded demo benchmark (src/demo/benchmark):
  ...DEMO_REPO_SPECS,
};

/**
 * The harness's per-repo parser names are aliases of five parsers; this maps each name to
 * the parser it stands for (e.g. "parse_log_xarray" -> "parse_log_pytest").
 */
export const LOG_PARSER_BASE: Readonly<Record<string, string>> = {
  parse_log_pytest: "parse_log_pytest",
  parse_log_astroid: "parse_log_pytest",
  parse_log_flask: "parse_log_pytest",
  parse_log_marshmallow: "parse_log_pytest",
  parse_log_pvlib: "parse_log_pytest",
  parse_log_pyvista: "parse_log_pytest",
  parse_log_sqlfluff: "parse_log_pytest",
  parse_log_xarray: "parse_log_pytest",
  parse_log_pytest_options: "parse_log_pytest_options",
  parse_log_pydicom: "parse_log_pytest_options",
  parse_log_requests: "parse_log_pytest_options",
  parse_log_pylint: "parse_log_pytest_options",
  parse_log_pytest_v2: "parse_log_pytest_v2",
  parse_log_astropy: "parse_log_pytest_v2",
  parse_log_scikit: "parse_log_pytest_v2",
  parse_log_sphinx: "parse_log_pytest_v2",
  parse_log_django: "parse_log_django",
  parse_log_seaborn: "parse_log_seaborn",
  parse_log_sympy: "parse_log_sympy",
  parse_log_matplotlib: "parse_log_matplotlib",
};

/** The spec of repo at version, or undefined when either is unknown. */
export function lookupSpec(repo: string, version: string): { spec: RepoVersionSpec; logParser: string } | undefined {
  const repoSpecs = Object.hasOwn(REPO_SPECS, repo) ? REPO_SPECS[repo] : undefined;
  if (!repoSpecs || !Object.hasOwn(repoSpecs.versions, version)) return undefined;
  return { spec: repoSpecs.versions[version]!, logParser: repoSpecs.logParser };
}
