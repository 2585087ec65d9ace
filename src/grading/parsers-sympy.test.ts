// parse_log_sympy on output shaped like `bin/test -C --verbose <file>` in the SWE-bench
// images (not a terminal, so 80 columns and no colours).
import { describe, expect, it } from "vitest";
import { parseTestLog } from "./parsers.js";

const pad = (left: string, right: string): string =>
  left + " ".repeat(Math.max(1, 80 - left.length - right.length)) + right;
const header = (text: string): string => {
  const t = ` ${text} `;
  const idx = Math.floor((80 - t.length) / 2);
  return "_".repeat(Math.max(0, idx)) + t + "_".repeat(Math.max(0, 80 - idx - t.length));
};

const RUN = [
  "============================= test process starts ==============================",
  "executable:         /opt/miniconda3/envs/testbed/bin/python  (3.9.19-final-0) [CPython]",
  "architecture:       64-bit",
  "cache:              no",
  "ground types:       python ",
  "numpy:              None",
  "random seed:        41712905",
  "hash randomization: on (PYTHONHASHSEED=1549832706)",
  "",
  "sympy/geometry/tests/test_point.py[6] ",
  "test_point ok",
  "test_point3D F",
  "test_Point2D ok",
  "test_issue_9214 E",
  "test_concyclic_doctest_bug f",
  pad("test_direction_cosine ok ", "[FAIL]"),
  "",
  "________________________________________________________________________________",
  header("sympy/geometry/tests/test_point.py:test_issue_9214"),
  "Traceback (most recent call last):",
  '  File "/testbed/sympy/geometry/tests/test_point.py", line 281, in test_issue_9214',
  "    p1 = Point3D(4, -2, 6)",
  "TypeError: unsupported operand type(s) for -: 'Point3D' and 'tuple'",
  "",
  "________________________________________________________________________________",
  header("sympy/geometry/tests/test_point.py:test_point3D"),
  "Traceback (most recent call last):",
  '  File "/testbed/sympy/geometry/tests/test_point.py", line 140, in test_point3D',
  "    assert p4*5 == Point3D(5, 5, 5)",
  "AssertionError",
  "",
  "= tests finished: 3 passed, 1 failed, 1 expected to fail, 1 exceptions, in 0.98 seconds =",
  "DO *NOT* COMMIT!",
].join("\n");

describe("parse_log_sympy", () => {
  it("reads ok/F/E lines and records each failure header under its path:name key", () => {
    expect(parseTestLog(RUN, "sympy/sympy")).toEqual({
      test_point: "PASSED",
      test_point3D: "FAILED",
      test_Point2D: "PASSED",
      test_issue_9214: "ERROR",
      "sympy/geometry/tests/test_point.py:test_issue_9214": "FAILED",
      "sympy/geometry/tests/test_point.py:test_point3D": "FAILED",
    });
  });

  it("misses the last test of a file, whose line ends in [OK]/[FAIL], exactly as v4.1 does", () => {
    // That is why the dataset's lists never name the last test of a sympy test file.
    const parsed = parseTestLog(RUN, "parse_log_sympy");
    expect(parsed).not.toHaveProperty("test_direction_cosine");
    // xfail ("f") and skips are not recorded either.
    expect(parsed).not.toHaveProperty("test_concyclic_doctest_bug");
  });

  it("reads a header of a name too long for the 80-column underline", () => {
    const long =
      "sympy/functions/combinatorial/tests/test_comb_numbers.py:test_bell_limit_infinity_and_a_much_longer_name";
    expect(parseTestLog(header(long), "sympy/sympy")).toEqual({ [long]: "FAILED" });
  });

  it("accepts indentation around a test line and reads the first token as the name", () => {
    expect(parseTestLog("  test_Min   ok  \ntest_Max E\ntest_root", "sympy/sympy")).toEqual({
      test_Min: "PASSED",
      test_Max: "ERROR",
    });
  });
});
