// getFileLevelDiff follows python-unidiff 0.7.5 + SWE-RL's get_filelevel_diff, quirks included.
// Expected values are what SWE-RL's code with unidiff 0.7.5 returns for the same text.
import { describe, expect, it } from "vitest";
import { getFileLevelDiff } from "./reward.js";

const H = "diff --git a/x.py b/x.py\nindex 1111111..2222222 100644\n--- a/x.py\n+++ b/x.py\n";
const files = (patch: string) => Object.fromEntries(getFileLevelDiff(patch));

describe("per-file hunk text of a unified diff (unidiff 0.7.5 semantics)", () => {
  it("normalizes hunk headers and keeps section headers and no-newline markers", () => {
    expect(files(H + "@@ -1 +1 @@\n-a\n+b\n")).toEqual({ "x.py": "@@ -1,1 +1,1 @@\n-a\n+b" });
    expect(files(H + "@@ -3,2 +3,2 @@ def f():\n x = 1\n-y = 2\n+y = 3\n")).toEqual({
      "x.py": "@@ -3,2 +3,2 @@ def f():\n x = 1\n-y = 2\n+y = 3",
    });
    expect(files(H + "@@ -1,1 +1,1 @@\n-a\n\\ No newline at end of file\n+b\n\\ No newline at end of file\n")).toEqual({
      "x.py": "@@ -1,1 +1,1 @@\n-a\n\\ No newline at end of file\n+b\n\\ No newline at end of file",
    });
  });

  it("keys new files by target, deleted files by source, renames by source with a header", () => {
    expect(
      files(
        "diff --git a/n.py b/n.py\nnew file mode 100644\nindex 0000000..1111111\n--- /dev/null\n+++ b/n.py\n@@ -0,0 +1,2 @@\n+a\n+b\n",
      ),
    ).toEqual({ "n.py": "@@ -0,0 +1,2 @@\n+a\n+b" });
    expect(
      files("diff --git a/d.py b/d.py\ndeleted file mode 100644\n--- a/d.py\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-a\n-b\n"),
    ).toEqual({ "d.py": "@@ -1,2 +0,0 @@\n-a\n-b" });
    expect(
      files(
        "diff --git a/old.py b/new.py\nsimilarity index 90%\nrename from old.py\nrename to new.py\n--- a/old.py\n+++ b/new.py\n@@ -1 +1 @@\n-a\n+b\n",
      ),
    ).toEqual({ "old.py": "rename from old.py to new.py\n@@ -1,1 +1,1 @@\n-a\n+b" });
    expect(
      files("diff --git a/old.py b/new.py\nsimilarity index 100%\nrename from old.py\nrename to new.py\n"),
    ).toEqual({ "old.py": "rename from old.py to new.py" });
    // a plain diff whose names differ beyond their first two characters counts as a rename
    expect(files("--- x.py.orig\t2024-01-01 00:00:00\n+++ x.py\t2024-01-02 00:00:00\n@@ -1 +1 @@\n-a\n+b\n")).toEqual({
      "x.py.orig": "rename from x.py.orig to x.py\n@@ -1,1 +1,1 @@\n-a\n+b",
    });
  });

  it("skips binary files and keeps an empty entry for a mode-only change", () => {
    const text = H + "@@ -1 +1 @@\n-a\n+b\n";
    expect(
      files("diff --git a/x.png b/x.png\nindex 1..2 100644\nBinary files a/x.png and b/x.png differ\n" + text),
    ).toEqual({ "x.py": "@@ -1,1 +1,1 @@\n-a\n+b" });
    expect(
      files(
        "diff --git a/y.bin b/y.bin\nindex 1..2 100644\nGIT binary patch\nliteral 5\nMcmZ?wbYx%v00031M*si-\n\n" + text,
      ),
    ).toEqual({ "x.py": "@@ -1,1 +1,1 @@\n-a\n+b" });
    expect(files("diff --git a/s.sh b/s.sh\nold mode 100644\nnew mode 100755\n")).toEqual({ "s.sh": "" });
  });

  it("returns nothing at all when any hunk is malformed", () => {
    for (const bad of [
      H + "@@ -1,3 +1,3 @@\n a\n-b\n+c\n", // shorter than its header says
      H + "@@ -1,2 +1,1 @@\n+a\n+b\n", // longer
      H + "@@ -1,2 +1,2 @@\n a\nxb\n", // not a diff line
      "+++ b/x.py\n@@ -1 +1 @@\n-a\n+b\n", // target before any source (an UnboundLocalError in unidiff)
      H + "\\ No newline at end of file\n",
      H + "@@ -1 +1 @@\n-a\n+b\n" + "diff --git a/z.py b/z.py\n--- a/z.py\n+++ b/z.py\n@@ -1,2 +1,2 @@\n-a\n",
    ]) {
      expect(files(bad), bad).toEqual({});
    }
    expect(files("this is not a diff\n")).toEqual({});
    expect(files("")).toEqual({});
  });

  it("handles blank context lines, trailing blank lines, mail headers and paths with spaces", () => {
    expect(files(H + "@@ -1,3 +1,3 @@\n a\n\n-b\n+c\n")).toEqual({ "x.py": "@@ -1,3 +1,3 @@\n a\n \n-b\n+c" });
    expect(files(H + "@@ -1 +1 @@\n-a\n+b\n\n\n")).toEqual({ "x.py": "@@ -1,1 +1,1 @@\n-a\n+b" });
    expect(
      files(
        "From 123 Mon Sep 17 00:00:00 2001\nSubject: [PATCH] fix\n\n---\n x.py | 2 +-\n\n" +
          H +
          "@@ -1 +1 @@\n-a\n+b\n-- \n2.39.0\n",
      ),
    ).toEqual({ "x.py": "@@ -1,1 +1,1 @@\n-a\n+b" });
    expect(
      files("diff --git a/my dir/f.py b/my dir/f.py\n--- a/my dir/f.py\n+++ b/my dir/f.py\n@@ -1 +1 @@\n-a\n+b\n"),
    ).toEqual({ "my dir/f.py": "@@ -1,1 +1,1 @@\n-a\n+b" });
  });

  it("keeps the last of two entries for one path, in first-seen position", () => {
    const twice =
      H +
      "@@ -1 +1 @@\n-a\n+b\n" +
      "diff --git a/z.py b/z.py\n--- a/z.py\n+++ b/z.py\n@@ -1 +1 @@\n-c\n+d\n" +
      H +
      "@@ -5 +5 @@\n-c\n+d\n";
    expect([...getFileLevelDiff(twice)]).toEqual([
      ["x.py", "@@ -5,1 +5,1 @@\n-c\n+d"],
      ["z.py", "@@ -1,1 +1,1 @@\n-c\n+d"],
    ]);
  });

  it("reproduces unidiff on CRLF patches (the \\r stays in names and lines)", () => {
    expect(files(H.replace(/\n/g, "\r\n") + "@@ -1 +1 @@\r\n-a\r\n+b\r\n")).toEqual({
      "x.py": "rename from x.py to x.py",
      "x.py\r": "@@ -1,1 +1,1 @@ \r\n-a\r\n+b",
    });
  });
});
