// The pytest-family parsers on logs shaped like `pytest -rA` prints them in the SWE-bench
// images (short test summary at the end, the names cut at the first space as the harness does).
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { loadDataset } from "../dataset/load.js";
import type { Instance } from "../dataset/schema.js";
import { parseTestLog } from "./parsers.js";

const VERIFIED = fileURLToPath(new URL("../../../shared/datasets/swe-bench-verified.test.jsonl", import.meta.url));
let byId: Map<string, Instance>;
beforeAll(async () => {
  byId = new Map((await loadDataset(VERIFIED)).map((i) => [i.instance_id, i]));
});
const row = (id: string): Instance => {
  const inst = byId.get(id);
  if (!inst) throw new Error(`${id} missing from ${VERIFIED}`);
  return inst;
};

const XARRAY_LOG = `============================= test session starts ==============================
platform linux -- Python 3.10.14, pytest-7.4.0, pluggy-1.5.0
rootdir: /testbed
configfile: setup.cfg
plugins: hypothesis-6.108.5, xdist-3.6.1, cov-5.0.0, env-1.1.3
collected 7 items

xarray/tests/test_units.py ..F.sxE                                       [100%]

==================================== ERRORS ====================================
____________________ ERROR at setup of test_with_fixture ______________________
E   RuntimeError: fixture exploded
=================================== FAILURES ===================================
__________________________ test_where[float64-no_unit] _________________________
>       assert_units_equal(expected, actual)
E       AssertionError: assert False
xarray/tests/test_units.py:77: AssertionError
==================================== PASSES ====================================
=========================== short test summary info ============================
PASSED xarray/tests/test_units.py::test_apply_ufunc_dataarray[float64-data]
PASSED xarray/tests/test_units.py::test_align[label with space/and slash]
PASSED xarray/tests/test_units.py::TestVariable::test_aggregation[float64-method_sum]
SKIPPED [1] xarray/tests/test_units.py:412: requires dask
XFAIL xarray/tests/test_units.py::test_bivariate_ufunc[int64] - needs pint>=0.10
FAILED xarray/tests/test_units.py::test_where[float64-no_unit] - AssertionError: assert False
ERROR xarray/tests/test_units.py::test_with_fixture - RuntimeError: fixture exploded
============ 1 failed, 3 passed, 1 skipped, 1 xfailed, 1 error in 2.31s ============`;

describe("parse_log_pytest (xarray, flask, pytest, ...)", () => {
  it("reads every status of the -rA short summary, cutting names at the first space", () => {
    expect(parseTestLog(XARRAY_LOG, "pydata/xarray")).toEqual({
      "xarray/tests/test_units.py::test_apply_ufunc_dataarray[float64-data]": "PASSED",
      "xarray/tests/test_units.py::test_align[label": "PASSED",
      "xarray/tests/test_units.py::TestVariable::test_aggregation[float64-method_sum]": "PASSED",
      "[1]": "SKIPPED",
      "xarray/tests/test_units.py::test_bivariate_ufunc[int64]": "XFAIL",
      "xarray/tests/test_units.py::test_where[float64-no_unit]": "FAILED",
      "xarray/tests/test_units.py::test_with_fixture": "ERROR",
    });
  });

  it("is the parser behind both the repo and its log_parser name, and not the v2 one", () => {
    const viaName = parseTestLog(XARRAY_LOG, "parse_log_xarray");
    expect(viaName).toEqual(parseTestLog(XARRAY_LOG, "pallets/flask"));
    // parse_log_pytest does not read verbose "name STATUS" lines; parse_log_pytest_v2 does.
    const verbose = "xarray/tests/test_units.py::test_align PASSED";
    expect(parseTestLog(verbose, "pydata/xarray")).toEqual({});
    expect(parseTestLog(verbose, "parse_log_pytest_v2")).toEqual({
      "xarray/tests/test_units.py::test_align": "PASSED",
    });
  });

  it("gives the cut names that the dataset's PASS_TO_PASS lists hold", () => {
    const inst = row("astropy__astropy-13236");
    const log =
      "PASSED astropy/table/tests/test_table.py::TestMetaTable::test_non_mapping_init[ceci n'est pas un meta]";
    const [name] = Object.keys(parseTestLog(log, "parse_log_pytest"));
    expect(name).toBe("astropy/table/tests/test_table.py::TestMetaTable::test_non_mapping_init[ceci");
    expect(inst.PASS_TO_PASS).toContain(name);
  });

  it("drops a FAILED line's message and ignores XPASS, headers and bare status words", () => {
    const log = [
      "FAILED tests/test_basic.py::test_session - assert 'a - b' == 'c'",
      "XPASS tests/test_basic.py::test_flaky unexpectedly passed",
      "PASSED",
      "____________________________ test_session _____________________________",
    ].join("\n");
    expect(parseTestLog(log, "pallets/flask")).toEqual({ "tests/test_basic.py::test_session": "FAILED" });
  });
});

describe("parse_log_pytest_options (requests, pylint, pydicom)", () => {
  it("shortens an absolute-path parameter to its last component, as the dataset does", () => {
    const requests = row("psf__requests-6028");
    const log = [
      "PASSED tests/test_utils.py::TestExtractZippedPaths::test_unzipped_paths_unchanged[/testbed/requests/__init__.py]",
      "PASSED tests/test_utils.py::TestExtractZippedPaths::test_unzipped_paths_unchanged[/]",
      "PASSED tests/test_utils.py::test_urldefragauth[//example.com/path-//example.com/path]",
      "FAILED tests/test_utils.py::TestExtractZippedPaths::test_unzipped_paths_unchanged[/tmp/pytest-of-root/pytest-0/location] - OSError",
    ].join("\n");
    const parsed = parseTestLog(log, "psf/requests");
    expect(parsed).toEqual({
      "tests/test_utils.py::TestExtractZippedPaths::test_unzipped_paths_unchanged[/__init__.py]": "PASSED",
      "tests/test_utils.py::TestExtractZippedPaths::test_unzipped_paths_unchanged[/]": "PASSED",
      "tests/test_utils.py::test_urldefragauth[//example.com/path-//example.com/path]": "PASSED",
      "tests/test_utils.py::TestExtractZippedPaths::test_unzipped_paths_unchanged[/location]": "FAILED",
    });
    const lists = [...requests.FAIL_TO_PASS, ...requests.PASS_TO_PASS];
    for (const name of Object.keys(parsed)) expect(lists).toContain(name);
  });

  it("keeps glob parameters whole and matches pylint's test_stdin id", () => {
    const log = [
      "PASSED tests/test_self.py::TestRunTC::test_stdin[/testbed/tests/mymodule.py]",
      "PASSED tests/test_self.py::TestRunTC::test_glob[/testbed/*/x.py]",
    ].join("\n");
    const parsed = parseTestLog(log, "parse_log_pylint");
    expect(parsed).toEqual({
      "tests/test_self.py::TestRunTC::test_stdin[/mymodule.py]": "PASSED",
      "tests/test_self.py::TestRunTC::test_glob[/testbed/*/x.py]": "PASSED",
    });
    expect(row("pylint-dev__pylint-7080").PASS_TO_PASS).toContain(
      "tests/test_self.py::TestRunTC::test_stdin[/mymodule.py]",
    );
  });
});

describe("parse_log_pytest_v2 (astropy, scikit-learn, sphinx)", () => {
  it("strips colour codes and control characters before reading the summary", () => {
    const esc = "\x1b";
    const log = [
      `${esc}[32mPASSED${esc}[0m sklearn/linear_model/tests/test_ridge.py::test_ridge_shapes`,
      `${esc}[31mFAILED${esc}[0m sklearn/linear_model/tests/test_ridge.py::test_ridge_cv[svd] - ${esc}[31mAssertionError${esc}[0m`,
      `${esc}[33mSKIPPED${esc}[0m [2] sklearn/linear_model/tests/test_ridge.py:88: no pandas`,
      `${esc}[1m${esc}[31mERROR${esc}[0m sklearn/linear_model/tests/test_ridge.py::test_fixture_broken`,
    ].join("\n");
    expect(parseTestLog(log, "scikit-learn/scikit-learn")).toEqual({
      "sklearn/linear_model/tests/test_ridge.py::test_ridge_shapes": "PASSED",
      "sklearn/linear_model/tests/test_ridge.py::test_ridge_cv[svd]": "FAILED",
      "[2]": "SKIPPED",
      "sklearn/linear_model/tests/test_ridge.py::test_fixture_broken": "ERROR",
    });
  });

  it("leaves multi-parameter colour codes in place, as the harness does", () => {
    const log = "\x1b[1;31mFAILED\x1b[0m tests/test_build_linkcheck.py::test_defaults";
    expect(parseTestLog(log, "parse_log_sphinx")).toEqual({});
  });

  it("reads older pytest's verbose 'name STATUS' lines (tox -v in sphinx)", () => {
    const inst = row("sphinx-doc__sphinx-7985");
    const log = [
      "py39 run-test: commands[0] | python -X dev -m pytest -rA --durations 25 tests/test_build_linkcheck.py",
      "tests/test_build_linkcheck.py::test_defaults PASSED",
      "tests/test_build_linkcheck.py::test_anchors_ignored FAILED",
      "tests/test_build_linkcheck.py::test_auth PASSED                          [ 60%]",
    ].join("\n");
    const parsed = parseTestLog(log, inst.log_parser!);
    expect(parsed).toEqual({
      "tests/test_build_linkcheck.py::test_defaults": "PASSED",
      "tests/test_build_linkcheck.py::test_anchors_ignored": "FAILED",
    });
    expect(inst.FAIL_TO_PASS).toEqual(Object.keys(parsed));
  });
});

describe("parse_log_matplotlib", () => {
  it("writes MouseButton.LEFT/RIGHT as 1/3 before reading the summary", () => {
    const log = [
      "PASSED lib/matplotlib/tests/test_backend_bases.py::test_interactive_zoom[MouseButton.LEFT-x]",
      "FAILED lib/matplotlib/tests/test_widgets.py::test_span_selector_drag[MouseButton.RIGHT] - assert 0",
      "PASSED lib/matplotlib/tests/test_axes.py::test_stem[png-w/ line collection]",
    ].join("\n");
    expect(parseTestLog(log, "matplotlib/matplotlib")).toEqual({
      "lib/matplotlib/tests/test_backend_bases.py::test_interactive_zoom[1-x]": "PASSED",
      "lib/matplotlib/tests/test_widgets.py::test_span_selector_drag[3]": "FAILED",
      "lib/matplotlib/tests/test_axes.py::test_stem[png-w/": "PASSED",
    });
    expect(row("matplotlib__matplotlib-13989").PASS_TO_PASS).toContain(
      "lib/matplotlib/tests/test_axes.py::test_stem[png-w/",
    );
  });
});

describe("parse_log_seaborn", () => {
  it("reads PASSED/FAILED in summary and verbose form and nothing else", () => {
    const log = [
      "tests/_core/test_plot.py::TestInit::test_empty PASSED                   [ 12%]",
      "PASSED tests/_core/test_plot.py::TestScaling::test_inference",
      "FAILED tests/_core/test_plot.py::TestScaling::test_log_scale_name - AssertionError",
      "XFAIL tests/_core/test_plot.py::TestPlotting::test_on_disables_layout_algo - reason",
      "SKIPPED [1] tests/_core/test_plot.py:1201: no scipy",
      "ERROR tests/_core/test_plot.py::TestInit::test_data_only",
    ].join("\n");
    expect(parseTestLog(log, "mwaskom/seaborn")).toEqual({
      "tests/_core/test_plot.py::TestInit::test_empty": "PASSED",
      "tests/_core/test_plot.py::TestScaling::test_inference": "PASSED",
      "tests/_core/test_plot.py::TestScaling::test_log_scale_name": "FAILED",
    });
  });

  it("fails loudly on a bare status word, where the v4.1 harness crashes", () => {
    expect(() => parseTestLog("tests/test_a.py::test_x PASSED [ 50%]\nFAILED\n", "parse_log_seaborn")).toThrow(
      /parse_log_seaborn: no test name after the status in log line "FAILED"/,
    );
  });
});

describe("parser selection", () => {
  // A log on which the seven parser families all disagree.
  const PROBE = [
    "PASSED t.py::test_opt[/tmp/x/file.txt]",
    "PASSED t.py::test_btn[MouseButton.LEFT]",
    "\x1b[32mPASSED\x1b[0m t.py::test_colour",
    "t.py::test_verbose PASSED",
    "t.py::test_progress PASSED [ 50%]",
    "test_sym ok",
    "test_dj (m.T) ... ok",
  ].join("\n");
  // The aliases in swebench/harness/log_parsers/python.py (v4.1).
  const FAMILIES: Record<string, string[]> = {
    parse_log_pytest: [
      "parse_log_astroid",
      "parse_log_flask",
      "parse_log_marshmallow",
      "parse_log_pvlib",
      "parse_log_pyvista",
      "parse_log_sqlfluff",
      "parse_log_xarray",
    ],
    parse_log_pytest_options: ["parse_log_pydicom", "parse_log_requests", "parse_log_pylint"],
    parse_log_pytest_v2: ["parse_log_astropy", "parse_log_scikit", "parse_log_sphinx"],
    parse_log_django: [],
    parse_log_sympy: [],
    parse_log_seaborn: [],
    parse_log_matplotlib: [],
  };

  it("tells the families apart and maps each alias to its family", () => {
    const outputs = Object.keys(FAMILIES).map((base) => JSON.stringify(parseTestLog(PROBE, base)));
    expect(new Set(outputs).size).toBe(outputs.length);
    for (const [base, aliases] of Object.entries(FAMILIES)) {
      for (const alias of aliases) expect(parseTestLog(PROBE, alias), alias).toEqual(parseTestLog(PROBE, base));
    }
  });

  it("picks for each repo of Verified and Lite the parser its log_parser column names", async () => {
    const lite = await Promise.all(
      ["test", "dev"].map((s) =>
        loadDataset(fileURLToPath(new URL(`../../../shared/datasets/swe-bench-lite.${s}.parquet`, import.meta.url))),
      ),
    );
    const rows = [...byId.values(), ...lite.flat()];
    expect(new Set(rows.map((r) => r.repo)).size).toBe(18);
    for (const inst of rows)
      expect(parseTestLog(PROBE, inst.repo), inst.repo).toEqual(parseTestLog(PROBE, inst.log_parser!));
  });

  it("rejects an unknown repo or parser name", () => {
    expect(() => parseTestLog("", "octo/cat")).toThrow(/no SWE-bench log parser for "octo\/cat"/);
  });
});
