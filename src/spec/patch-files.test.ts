// Reading which files a diff touches, with python-unidiff's rules.
import { describe, expect, it } from "vitest";
import { modifiedFiles, newFiles, parsePatchFiles, touchedFiles } from "./patch-files.js";

const modified = [
  "diff --git a/pkg/tests/test_a.py b/pkg/tests/test_a.py",
  "index 1111111..2222222 100644",
  "--- a/pkg/tests/test_a.py",
  "+++ b/pkg/tests/test_a.py",
  "@@ -1,3 +1,3 @@",
  " import x",
  "--- this removed line looks like a file header",
  "+++ and this added one too",
  " end",
].join("\n");

const created = [
  "diff --git a/pkg/tests/test_new.py b/pkg/tests/test_new.py",
  "new file mode 100644",
  "index 0000000..3333333",
  "--- /dev/null",
  "+++ b/pkg/tests/test_new.py",
  "@@ -0,0 +1,2 @@",
  "+def test_it():",
  "+    pass",
].join("\n");

const deleted = [
  "diff --git a/pkg/tests/old.py b/pkg/tests/old.py",
  "deleted file mode 100644",
  "index 4444444..0000000",
  "--- a/pkg/tests/old.py",
  "+++ /dev/null",
  "@@ -1 +0,0 @@",
  "-x = 1",
].join("\n");

const pureRename = [
  "diff --git a/pkg/tests/py3_test_b.py b/pkg/tests/test_b.py",
  "similarity index 100%",
  "rename from pkg/tests/py3_test_b.py",
  "rename to pkg/tests/test_b.py",
].join("\n");

describe("parsePatchFiles", () => {
  it("skips hunk bodies by their counts, so '--- '/'+++ ' lines inside hunks are content", () => {
    expect(parsePatchFiles(modified)).toEqual([{ source: "a/pkg/tests/test_a.py", target: "b/pkg/tests/test_a.py" }]);
  });

  it("marks new and deleted files with /dev/null", () => {
    expect(parsePatchFiles(created + "\n" + deleted)).toEqual([
      { source: "/dev/null", target: "b/pkg/tests/test_new.py" },
      { source: "a/pkg/tests/old.py", target: "/dev/null" },
    ]);
  });

  it("takes a rename without hunks from its git header", () => {
    expect(parsePatchFiles(pureRename)).toEqual([
      { source: "a/pkg/tests/py3_test_b.py", target: "b/pkg/tests/test_b.py" },
    ]);
  });

  it("reads plain (non-git) unified diffs from their ---/+++ headers", () => {
    const plain = "--- a/x.py\n+++ b/x.py\n@@ -1 +1 @@\n-a\n+b\n";
    expect(parsePatchFiles(plain)).toEqual([{ source: "a/x.py", target: "b/x.py" }]);
  });

  it("rejects a hunk line that is not context, +, - or a no-newline marker", () => {
    expect(() => parsePatchFiles("--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n a\n?b\n")).toThrow(/hunk body line expected/);
  });
});

describe("file lists", () => {
  const all = [modified, created, deleted, pureRename].join("\n");
  it("v4.1: modified files exist before the patch (old names for renames)", () => {
    expect(modifiedFiles(all)).toEqual(["pkg/tests/test_a.py", "pkg/tests/old.py", "pkg/tests/py3_test_b.py"]);
  });
  it("new files", () => {
    expect(newFiles(all)).toEqual(["pkg/tests/test_new.py"]);
  });
  it("latest: every touched file by its post-patch name, deleted ones by their old name", () => {
    expect(touchedFiles(all)).toEqual([
      "pkg/tests/test_a.py",
      "pkg/tests/test_new.py",
      "pkg/tests/old.py",
      "pkg/tests/test_b.py",
    ]);
  });
});
