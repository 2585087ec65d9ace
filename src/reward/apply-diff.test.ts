// applyUnifiedDiff against real `git apply` on the gold patches of SWE-bench Verified: same
// result at the stated lines, same result when every hunk is off by some lines, and both refuse
// a patch whose context is not in the file.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadDataset } from "../dataset/load.js";
import { applyUnifiedDiff, oracleFromPatch, PatchApplyError } from "./apply-diff.js";
import { oracleFromRepo } from "./oracle.js";
import { linePool, preImagesFromPatch, seededRandom } from "../../test/support/verified-cases.js";

const verified = join(import.meta.dirname, "..", "..", "..", "shared", "datasets", "swe-bench-verified.test.jsonl");
const rows = await loadDataset(verified);
const pool = linePool(rows);
const work = mkdtempSync(join(tmpdir(), "swerl-apply-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Write `files` into a fresh directory, run `git apply` there; the touched files after, or null if it refused. */
function gitApply(
  name: string,
  files: Record<string, string>,
  patch: string,
  paths: string[],
): Record<string, string | null> | null {
  const dir = join(work, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  writeFileSync(join(work, `${name}.diff`), patch);
  const run = spawnSync("git", ["apply", join(work, `${name}.diff`)], { cwd: dir, encoding: "utf8" });
  if (run.error) throw new Error(`git could not be started: ${run.error.message}`);
  if (run.status !== 0) return null;
  const out: Record<string, string | null> = {};
  for (const path of paths) {
    try {
      out[path] = readFileSync(join(dir, path), "utf8");
    } catch {
      out[path] = null;
    }
  }
  return out;
}

describe("applyUnifiedDiff vs git apply on SWE-bench Verified gold patches", () => {
  const rng = seededRandom(99);
  const sample = rows.filter((_, i) => i % 2 === 0);

  it("gives git's result for every patch, at the stated lines and shifted", () => {
    const outcomes = { exact: 0, shifted: 0, refusedAnchored: 0, edited: 0 };
    sample.forEach((row, r) => {
      const files = preImagesFromPatch(row, rng, pool);
      const shift = r % 2 === 0 ? 0 : 1 + (r % 9);
      // shifted: extra lines on top, so every hunk applies `shift` lines below where it says;
      // a hunk anchored at line 1 then fits nowhere, for git as for us
      const input = Object.fromEntries(Object.entries(files).map(([p, t]) => [p, "# pad\n".repeat(shift) + t]));
      const paths = [...Object.keys(files), ...row.patch.matchAll(/^\+\+\+ b\/(.*)$/gm)].map((p) =>
        typeof p === "string" ? p : p[1],
      );
      const git = gitApply(`r${r}`, input, row.patch, [...new Set(paths)]);
      let ours;
      try {
        ours = applyUnifiedDiff(input, row.patch, { edits: true });
      } catch (err) {
        expect(err, row.instance_id).toBeInstanceOf(PatchApplyError);
        expect(git, `${row.instance_id}: git applied what we refused`).toBeNull();
        expect(shift).toBeGreaterThan(0);
        outcomes.refusedAnchored++;
        return;
      }
      expect(git, `${row.instance_id}: git refused what we applied`).not.toBeNull();
      expect({ ...ours.after }, row.instance_id).toEqual(git);
      expect({ ...ours.before }, row.instance_id).toEqual(input);
      // the edits of a file changed in place make its new text from its old one
      for (const [path, edits] of Object.entries(ours.edits)) {
        let text = "";
        let at = 0;
        for (const [start, end, replacement] of edits) {
          expect(start).toBeGreaterThanOrEqual(at);
          text += input[path]!.slice(at, start) + replacement;
          at = end;
        }
        expect(text + input[path]!.slice(at), `${row.instance_id} ${path}`).toBe(ours.after[path]);
        outcomes.edited++;
      }
      outcomes[shift ? "shifted" : "exact"]++;
    });
    expect(outcomes.exact).toBe(Math.ceil(sample.length / 2));
    expect(outcomes.shifted).toBeGreaterThan(100);
    expect(outcomes.refusedAnchored).toBeGreaterThan(0);
    expect(outcomes.edited).toBeGreaterThan(200);
  });

  it("refuses, like git, a patch whose context lines are not in the file", () => {
    let refused = 0;
    sample.slice(0, 60).forEach((row, r) => {
      const files = preImagesFromPatch(row, rng, pool);
      const [path, text] = Object.entries(files)[0] ?? [];
      if (!path) return;
      const firstContext = row.patch.split("\n").find((l) => l.startsWith(" ") && l.trim().length > 3);
      if (!firstContext) return;
      const broken = { ...files, [path]: text.split(firstContext.slice(1)).join(firstContext.slice(1) + "  # moved") };
      expect(gitApply(`bad${r}`, broken, row.patch, [path]), row.instance_id).toBeNull();
      expect(() => applyUnifiedDiff(broken, row.patch), row.instance_id).toThrow(PatchApplyError);
      refused++;
    });
    expect(refused).toBeGreaterThan(40);
  });
});

describe("applyUnifiedDiff edits", () => {
  const first = "diff --git a/m.py b/m.py\n--- a/m.py\n+++ b/m.py\n@@ -1,3 +1,3 @@\n a = 1\n-b = 2\n+b = 3\n c = 4\n";
  const twice =
    first +
    "diff --git a/m.py b/m.py\n--- a/m.py\n+++ b/m.py\n@@ -1,3 +1,3 @@\n-a = 1\n+a = 0\n b = 3\n c = 4\n" +
    "diff --git a/n.py b/n.py\nnew file mode 100644\n--- /dev/null\n+++ b/n.py\n@@ -0,0 +1 @@\n+x = 1\n";

  it("are given for a file changed in place once, not for one patched twice or created", () => {
    const r = applyUnifiedDiff({ "m.py": "a = 1\nb = 2\nc = 4\n", "k.py": "k = 1\n" }, twice, { edits: true });
    expect(r.after["m.py"]).toBe("a = 0\nb = 3\nc = 4\n");
    expect(r.edits).toEqual({});
    const once = applyUnifiedDiff({ "m.py": "a = 1\nb = 2\nc = 4\n" }, first, { edits: true });
    expect(applyUnifiedDiff({ "m.py": "a = 1\nb = 2\nc = 4\n" }, first).edits).toEqual({});
    // a hunk, context included, replaces its old lines
    expect(once.edits).toEqual({ "m.py": [[0, 18, "a = 1\nb = 3\nc = 4\n"]] });
  });
});

describe("oracleFromPatch", () => {
  const patch =
    "diff --git a/m.py b/m.py\n--- a/m.py\n+++ b/m.py\n@@ -1,3 +1,3 @@\n a = 1\n-b = 2\n+b = 3\n c = 4\n" +
    "diff --git a/n.py b/n.py\nnew file mode 100644\n--- /dev/null\n+++ b/n.py\n@@ -0,0 +1 @@\n+x = 1\n" +
    "diff --git a/gone.py b/gone.py\ndeleted file mode 100644\n--- a/gone.py\n+++ /dev/null\n@@ -1 +0,0 @@\n-y = 2\n";

  it("gives the touched files before and after, new files only after, deleted ones empty", () => {
    const repo = { "m.py": "a = 1\nb = 2\nc = 4\n", "gone.py": "y = 2\n", "other.py": "z\n" };
    expect(oracleFromPatch(repo, patch)).toEqual({
      codeContext: { "m.py": "a = 1\nb = 2\nc = 4\n", "gone.py": "y = 2\n" },
      oracleNewContent: { "m.py": "a = 1\nb = 3\nc = 4\n", "n.py": "x = 1\n", "gone.py": "" },
    });
  });

  it("names the file and hunk that fail, and a missing file", () => {
    expect(() => oracleFromPatch({ "m.py": "a = 1\nb = 9\nc = 4\n", "gone.py": "y = 2\n" }, patch)).toThrow(
      /m\.py: hunk 1 .* does not apply/,
    );
    expect(() => oracleFromPatch({ "gone.py": "y = 2\n" }, patch)).toThrow(
      /m\.py: the patch modifies a file that does not exist/,
    );
    expect(() => oracleFromPatch({ "m.py": "a = 1\nb = 2\nc = 4\n", "n.py": "", "gone.py": "y = 2\n" }, patch)).toThrow(
      /n\.py: the patch creates a file that already exists/,
    );
  });

  it("honours 'No newline at end of file' on either side", () => {
    const p = "--- a/e.txt\n+++ b/e.txt\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n";
    expect(applyUnifiedDiff({ "e.txt": "a\nb" }, p).after).toEqual({ "e.txt": "a\nc\n" });
    const q = "--- a/e.txt\n+++ b/e.txt\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n\\ No newline at end of file\n";
    expect(applyUnifiedDiff({ "e.txt": "a\nb\n" }, q).after).toEqual({ "e.txt": "a\nc" });
  });
});

describe("oracleFromRepo", () => {
  it("reads the touched files of a checkout and applies the gold patch, new files included", async () => {
    const rng = seededRandom(7);
    const withNewFile = rows.find((r) => r.patch.includes("new file mode"))!;
    for (const row of [rows[0], withNewFile]) {
      const files = preImagesFromPatch(row, rng, pool);
      const dir = join(work, `repo-${row.instance_id}`);
      for (const [path, text] of Object.entries({ ...files, "README.md": "unrelated\n" })) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), text);
      }
      const got = await oracleFromRepo(dir, row.patch);
      expect(got, row.instance_id).toEqual(oracleFromPatch(files, row.patch));
      expect(Object.keys(got.codeContext)).toEqual(Object.keys(files));
    }
  });

  it("refuses paths that leave the repository", async () => {
    const patch = "--- a/../outside.py\n+++ b/../outside.py\n@@ -1 +1 @@\n-a\n+b\n";
    await expect(oracleFromRepo(work, patch)).rejects.toThrow(/leaves the repository/);
  });
});
