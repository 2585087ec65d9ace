// parse_log_django on output shaped like `./tests/runtests.py --verbosity 2 --settings=test_sqlite
// --parallel 1` in the SWE-bench images, including the cases the harness special-cases.
import { describe, expect, it } from "vitest";
import { parseTestLog } from "./parsers.js";

const RUN = `Testing against Django installed in '/testbed/django'
Importing application auth_tests
Skipping setup of unused database(s): other.
Operations to perform:
  Synchronize unmigrated apps: auth, contenttypes, messages, sessions, staticfiles
  Apply all migrations: admin, sites
Synchronizing apps without migrations:
  Creating tables...
    Creating table django_content_type
    Running deferred SQL...
Running migrations:
  Applying admin.0001_initial... OK
  Applying sites.0001_initial... OK
System check identified no issues (0 silenced).
test_decimal_numbers (utils_tests.test_numberformat.TestNumberFormat) ... ok
test_decimal_subclass (utils_tests.test_numberformat.TestNumberFormat) ... FAIL
test_float_numbers (utils_tests.test_numberformat.TestNumberFormat) ... ERROR
test_format_number (utils_tests.test_numberformat.TestNumberFormat) ... skipped 'Database has feature(s) supports_x'
test_login (auth_tests.test_views.LoginTest)
Stay on the login page by default. ... ok
test_changepassword_command_changes_joes_password (auth_tests.test_management.ChangepasswordManagementCommandTestCase)
Executing the changepassword management command should change joe's password ... Changing password for user 'joe'
Password changed successfully for user 'joe'
ok
test_large_number (utils_tests.test_numberformat.TestNumberFormat) ... OK

======================================================================
ERROR: test_float_numbers (utils_tests.test_numberformat.TestNumberFormat)
----------------------------------------------------------------------
Traceback (most recent call last):
  File "/testbed/tests/utils_tests/test_numberformat.py", line 60, in test_float_numbers
    self.assertEqual(nformat(0.1, '.'), '0.1')
TypeError: unsupported format string passed to float.__format__

======================================================================
FAIL: test_decimal_subclass (utils_tests.test_numberformat.TestNumberFormat)
----------------------------------------------------------------------
Traceback (most recent call last):
  File "/testbed/tests/utils_tests/test_numberformat.py", line 110, in test_decimal_subclass
    self.assertEqual(nformat(price, ','), '\u20ac 1,23')
AssertionError: '1,23' != '\u20ac 1,23'

----------------------------------------------------------------------
Ran 7 tests in 0.021s

FAILED (failures=1, errors=1, skipped=1)`;

describe("parse_log_django", () => {
  it("reads ok/OK/FAIL/ERROR/skipped, docstring names, and ok pushed to the next line", () => {
    expect(parseTestLog(RUN, "django/django")).toEqual({
      "test_decimal_numbers (utils_tests.test_numberformat.TestNumberFormat)": "PASSED",
      "test_decimal_subclass (utils_tests.test_numberformat.TestNumberFormat)": "FAILED",
      "test_float_numbers (utils_tests.test_numberformat.TestNumberFormat)": "ERROR",
      "test_format_number (utils_tests.test_numberformat.TestNumberFormat)": "SKIPPED",
      "Stay on the login page by default.": "PASSED",
      "Executing the changepassword management command should change joe's password": "PASSED",
      "test_large_number (utils_tests.test_numberformat.TestNumberFormat)": "PASSED",
      // The "ERROR: name (Class)" / "FAIL: name (Class)" headers add the bare method name.
      test_float_numbers: "ERROR",
      test_decimal_subclass: "FAILED",
    });
  });

  it("is selected by parse_log_django too and ignores whitespace around a line", () => {
    const indented = "   test_x (m.T) ... ok   \n\ttest_y (m.T) ...  OK";
    expect(parseTestLog(indented, "parse_log_django")).toEqual({ "test_x (m.T)": "PASSED", "test_y (m.T)": "PASSED" });
  });

  it("passes --version is equivalent to version wherever it appears, unless a later FAIL overrides", () => {
    const interrupted = [
      "test_version_alternative (admin_scripts.tests.CommandTypes)",
      "--version is equivalent to version ... 3.0.dev20190212154052",
      "test_help (admin_scripts.tests.CommandTypes) ... ok",
    ].join("\n");
    expect(parseTestLog(interrupted, "django/django")).toMatchObject({
      "--version is equivalent to version": "PASSED",
    });
    const failed = "--version is equivalent to version ... FAIL";
    expect(parseTestLog(failed, "django/django")).toEqual({ "--version is equivalent to version": "FAILED" });
  });

  it("separates a migration message glued to a test name (django__django-7188)", () => {
    const log =
      "  Applying sites.0002_alter_domain_unique...test_no_migrations (migrations.test_loader.LoaderTests) ... ok";
    expect(parseTestLog(log, "django/django")).toEqual({
      "test_no_migrations (migrations.test_loader.LoaderTests)": "PASSED",
    });
  });

  it("passes a test whose ok follows the runner's start-up text, even when a later ' ... ' line moved prev_test", () => {
    const log = [
      "test_reverse (urlpatterns_reverse.tests.URLPatternReverse) ... Testing against Django installed in '/testbed/django' with up to 2 processes",
      "Cloning test database for alias 'default' ... done",
      "System check identified no issues (0 silenced).",
      "ok",
    ].join("\n");
    const parsed = parseTestLog(log, "django/django");
    expect(parsed["test_reverse (urlpatterns_reverse.tests.URLPatternReverse)"]).toBe("PASSED");
    // The line loop alone credits the last " ... " line it saw; the harness keeps that quirk.
    expect(parsed["Cloning test database for alias 'default'"]).toBe("PASSED");
  });

  it("passes a test interrupted by an Internal Server Error log line", () => {
    const log = [
      "test_exception (view_tests.tests.test_debug.DebugViewTests)",
      "Tests for the exception view ... Internal Server Error: /raises500/",
      "ok",
    ].join("\n");
    expect(parseTestLog(log, "django/django")).toEqual({ "Tests for the exception view": "PASSED" });
  });

  it("fails loudly on a FAIL: header without a name, where the v4.1 harness crashes", () => {
    expect(() => parseTestLog("FAIL:", "django/django")).toThrow(/parse_log_django: no test name after the colon/);
  });
});
