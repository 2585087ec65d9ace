// Test directives on real Verified rows: django's module names, sympy's file paths, data
// files dropped; and for every row, the test command line the published eval_script runs.
import { beforeAll, describe, expect, it } from "vitest";
import { verifiedJsonl } from "../../test/helpers/paths.js";
import { loadDataset } from "../dataset/load.js";
import type { Instance } from "../dataset/schema.js";
import { djangoModuleName, testDirectives } from "./directives.js";
import { START_TEST_OUTPUT } from "./eval-script.js";
import { makeTestSpec } from "./test-spec.js";

let byId: Map<string, Instance>;
beforeAll(async () => {
  byId = new Map((await loadDataset(verifiedJsonl)).map((i) => [i.instance_id, i]));
});
const directivesOf = (id: string) => {
  const row = byId.get(id);
  if (!row) throw new Error(`${id} is not in Verified`);
  return testDirectives(row.repo, row.test_patch);
};

describe("django directives", () => {
  it("turn tests/<app>/<module>.py into dotted module names", () => {
    expect(directivesOf("django__django-13128")).toEqual(["expressions.tests"]);
    expect(directivesOf("django__django-16938")).toEqual([
      "serializers.models.base",
      "serializers.test_json",
      "serializers.test_jsonl",
      "serializers.test_xml",
      "serializers.test_yaml",
      "serializers.tests",
    ]);
  });

  it("keep __init__ modules and a top-level tests/runtests.py", () => {
    expect(directivesOf("django__django-13551")).toEqual([
      "auth_tests.models.__init__",
      "auth_tests.models.with_custom_email_field",
      "auth_tests.test_models",
      "auth_tests.test_tokens",
    ]);
    expect(directivesOf("django__django-13344")).toEqual([
      "cache.tests",
      "deprecation.test_middleware_mixin",
      "runtests",
    ]);
  });

  it("drop fixture and data files (.json, .txt)", () => {
    expect(directivesOf("django__django-15525")).toEqual([
      "backends.sqlite.test_features",
      "fixtures_regress.models",
      "fixtures_regress.tests",
    ]);
    // Only .txt files changed: no directive, so runtests.py runs the whole suite.
    expect(directivesOf("django__django-10097")).toEqual([]);
  });

  it("include test modules the patch creates", () => {
    expect(directivesOf("django__django-16256")).toEqual([
      "async.models",
      "async.test_async_related_managers",
      "generic_relations.tests",
    ]);
  });

  it("djangoModuleName only strips a leading tests/ and a trailing .py", () => {
    expect(djangoModuleName("tests/a/tests/b.py")).toBe("a.tests.b");
    expect(djangoModuleName("django/contrib/x.py")).toBe("django.contrib.x");
    expect(djangoModuleName("tests/a/b.pyx")).toBe("a.b.pyx");
  });
});

describe("sympy directives", () => {
  it("stay file paths for bin/test", () => {
    expect(directivesOf("sympy__sympy-22080")).toEqual([
      "sympy/codegen/tests/test_rewriting.py",
      "sympy/printing/tests/test_pycode.py",
      "sympy/utilities/tests/test_lambdify.py",
    ]);
    const printing = directivesOf("sympy__sympy-14248");
    expect(printing).toHaveLength(9);
    expect(printing[0]).toBe("sympy/printing/pretty/tests/test_pretty.py");
    expect(printing.every((d) => d.startsWith("sympy/") && d.endsWith(".py"))).toBe(true);
  });

  it("make the sympy test command with its warning filters", () => {
    const spec = makeTestSpec(byId.get("sympy__sympy-22080")!);
    expect(spec.testCommand).toBe(
      "PYTHONWARNINGS='ignore::UserWarning,ignore::SyntaxWarning' bin/test -C --verbose " +
        "sympy/codegen/tests/test_rewriting.py sympy/printing/tests/test_pycode.py sympy/utilities/tests/test_lambdify.py",
    );
  });
});

describe("every Verified row", () => {
  it("runs exactly the test command line its published eval_script runs", () => {
    const wrong: string[] = [];
    for (const row of byId.values()) {
      const lines = row.eval_script!.split("\n");
      const published = lines[lines.indexOf(`: '${START_TEST_OUTPUT}'`) + 1];
      if (makeTestSpec(row).testCommand !== published) wrong.push(row.instance_id);
    }
    expect(byId.size).toBe(500);
    expect(wrong).toEqual([]);
  });
});
