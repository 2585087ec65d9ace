import { describe, expect, it } from "vitest";
import { isEditableInstall, reinstallFor, touchesBuildInputs } from "./reinstall.js";
import { lookupSpec } from "../spec/data/index.js";

const diff = (path: string, extra = "") =>
  `diff --git a/${path} b/${path}\n--- a/${path}\n+++ b/${path}\n@@ -1 +1 @@\n-a\n+b\n${extra}`;

describe("reinstall rule", () => {
  it("tells editable installs from copies, on the specs' own commands", () => {
    const install = (repo: string, version: string) => lookupSpec(repo, version)!.spec.install!;
    expect(isEditableInstall(install("django/django", "4.0"))).toBe(true);
    expect(isEditableInstall(install("scikit-learn/scikit-learn", "1.3"))).toBe(true);
    expect(isEditableInstall(install("astropy/astropy", "5.1"))).toBe(true);
    expect(isEditableInstall(install("django/django", "2.2"))).toBe(false); // python setup.py install
    expect(isEditableInstall(install("psf/requests", "2.26"))).toBe(false); // pip install .
    expect(isEditableInstall("python setup.py develop")).toBe(true);
    expect(isEditableInstall("pip install --editable=.")).toBe(true);
    expect(isEditableInstall("pip install -r requirements-e.txt .")).toBe(false);
  });

  it("reads every file of a patch, new, deleted and renamed ones included", () => {
    const created =
      "diff --git a/pkg/new.pyx b/pkg/new.pyx\nnew file mode 100644\n--- /dev/null\n+++ b/pkg/new.pyx\n@@ -0,0 +1 @@\n+x\n";
    expect(touchesBuildInputs(diff("a/b.py") + created)).toBe(true);
    const deleted =
      "diff --git a/pkg/old.c b/pkg/old.c\ndeleted file mode 100644\n--- a/pkg/old.c\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n";
    expect(touchesBuildInputs(diff("a/b.py") + deleted)).toBe(true);
    const renamed =
      "diff --git a/setup.py b/build_tools/setup_old.py\nsimilarity index 100%\nrename from setup.py\nrename to build_tools/setup_old.py\n";
    expect(touchesBuildInputs(renamed)).toBe(true);
    const garbled = "diff --git a/x.py b/x.py\n--- a/x.py\n+++ b/x.py\n@@ -1,3 +1,3 @@\n-a\nnot a hunk line\n";
    expect(touchesBuildInputs(garbled)).toBe(true); // cannot tell: reinstall to be safe
    expect(touchesBuildInputs(diff("src/x.py"))).toBe(false);
    for (const p of [
      "setup.py",
      "sub/setup.cfg",
      "pyproject.toml",
      "sklearn/tree/_tree.pyx",
      "astropy/wcs/src/x.c",
      "include/y.h",
    ]) {
      expect(touchesBuildInputs(diff("src/x.py") + diff(p)), p).toBe(true);
    }
    expect(touchesBuildInputs(diff("docs/setup.py.rst"))).toBe(false);
    // A new top-level package is not on an editable finder's map; a new module in a known package is found.
    const added = (path: string) =>
      `diff --git a/${path} b/${path}\nnew file mode 100644\n--- /dev/null\n+++ b/${path}\n@@ -0,0 +1 @@\n+x = 1\n`;
    expect(touchesBuildInputs(added("newpkg/__init__.py"))).toBe(true);
    expect(touchesBuildInputs(added("src/newpkg/__init__.py"))).toBe(true);
    expect(touchesBuildInputs(added("pkg/sub/__init__.py"))).toBe(false);
    expect(touchesBuildInputs(added("pkg/helpers.py"))).toBe(false);
    expect(touchesBuildInputs(added("reproduce_issue.py"))).toBe(false);
    expect(touchesBuildInputs(diff("pkg/__init__.py"))).toBe(false); // edited, not new
  });

  it("runs the install always in the strict mode, with reuse only when the installed code would be stale", () => {
    const editable = "python -m pip install -e .";
    expect(reinstallFor(undefined, diff("setup.py"), "container")).toBeUndefined();
    expect(reinstallFor(editable, diff("x.py"), "container")).toBe(editable);
    expect(reinstallFor(editable, diff("x.py"), "reuse")).toBeUndefined();
    expect(reinstallFor(editable, diff("setup.cfg"), "reuse")).toBe(editable);
    expect(reinstallFor("python setup.py install", diff("x.py"), "reuse")).toBe("python setup.py install");
  });
});
