// Applying blocks (path checks, match fallbacks) and the diffs made of them, checked with the
// real git: every diff must pass `git apply --check` and `git apply` must produce exactly the
// edited contents.
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm, symlink, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyEditBlocks, editablePaths } from "./apply-edits.js";
import type { ParsedBlock } from "./edit-parser.js";
import { checkEditPath } from "./edit-paths.js";
import { fileDiff, patchOf } from "./git-diff.js";
import { listFilesAtCommit, readFilesAtCommit, type RepoListing } from "../repo/files.js";

const sh = (cwd: string, args: string[], input?: string) =>
  execFileSync("git", args, { cwd, input, encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] });

let repo: string;
let listing: RepoListing;
let files: Record<string, string>;
let head: string;

const FILES: Record<string, string> = {
  "pkg/a.py": "import os\n\n\ndef f(x):\n    if x == 1:\n        return 'one'   \n    return 'other'\n",
  "pkg/crlf.py": "def g():\r\n    return 1\r\n",
  "pkg/nonl.py": "A = 1\nB = 2",
  "docs/notes.txt": "hello\n",
  "big.py": Array.from({ length: 600 }, (_, i) => (i % 50 === 0 ? "\n" : `x${i} = ${i}\n`)).join(""),
};

beforeAll(async () => {
  repo = await mkdtemp(join(tmpdir(), "swerl-repair-apply-"));
  sh(repo, ["init", "-q", "-b", "main"]);
  for (const [p, text] of Object.entries(FILES)) {
    await mkdir(join(repo, p, ".."), { recursive: true });
    await writeFile(join(repo, p), text);
  }
  await symlink("/etc/hostname", join(repo, "link.py"));
  sh(repo, ["add", "-A"]);
  sh(repo, ["-c", "user.name=t", "-c", "user.email=t@t", "-c", "core.autocrlf=false", "commit", "-q", "-m", "base"]);
  head = sh(repo, ["rev-parse", "HEAD"]).trim();
  listing = await listFilesAtCommit(repo, head);
  files = await readFilesAtCommit(repo, head, [...listing.keys()]);
});
afterAll(async () => {
  await rm(repo, { recursive: true, force: true });
});

const block = (path: string | null, search: string, replace: string, line = 1): ParsedBlock => ({
  path,
  search,
  replace,
  rules: [],
  line,
});

/** git apply --check, then git apply, then read back and reset. */
async function gitApplied(patch: string, paths: string[]): Promise<Record<string, string>> {
  sh(repo, ["apply", "--check", "-"], patch);
  sh(repo, ["apply", "-"], patch);
  const out: Record<string, string> = {};
  for (const p of paths) out[p] = await readFile(join(repo, p), "utf8");
  sh(repo, ["checkout", "-q", "--", "."]);
  return out;
}

describe("repository files via git", () => {
  it("lists files with modes and reads contents at the commit (byte for byte)", () => {
    expect(listing.get("pkg/a.py")).toBe("100644");
    expect(listing.get("link.py")).toBe("120000");
    expect(files["pkg/crlf.py"]).toBe(FILES["pkg/crlf.py"]);
    expect(files["pkg/nonl.py"]).toBe("A = 1\nB = 2");
    expect(files["big.py"]).toBe(FILES["big.py"]);
  });

  it("leaves out paths that do not exist at the commit", async () => {
    expect(await readFilesAtCommit(repo, head, ["pkg/a.py", "nope.py"])).toEqual({ "pkg/a.py": FILES["pkg/a.py"] });
  });
});

describe("edit paths", () => {
  it("rejects absolute paths, .. segments, paths not in the repo, symlinks, odd characters", () => {
    expect(checkEditPath("/etc/passwd", listing)).toBe("absolute");
    expect(checkEditPath("C:\\x.py", listing)).toBe("absolute");
    expect(checkEditPath("~/x.py", listing)).toBe("absolute");
    expect(checkEditPath("pkg/../pkg/a.py", listing)).toBe("parent_dir");
    expect(checkEditPath("../outside.py", listing)).toBe("parent_dir");
    expect(checkEditPath("pkg/new.py", listing)).toBe("not_in_repo");
    expect(checkEditPath("link.py", listing)).toBe("not_a_regular_file");
    expect(checkEditPath('pkg/"a".py', listing)).toBe("unsupported_characters");
    expect(checkEditPath("pkg/a.py", listing)).toBeNull();
  });

  it("skips rejected blocks, applies the rest, and says why", () => {
    const blocks = [
      block("/etc/passwd", "root", "x"),
      block("../up.py", "a", "b"),
      block("pkg/new.py", "", "X = 1"),
      block("link.py", "a", "b"),
      block("./pkg/a.py", "import os", "import sys"),
    ];
    expect(editablePaths(blocks, listing)).toEqual(["pkg/a.py"]);
    const { newContents, outcomes } = applyEditBlocks(blocks, files, listing);
    expect(outcomes.map((o) => [o.status, o.path_problem])).toEqual([
      ["rejected_path", "absolute"],
      ["rejected_path", "parent_dir"],
      ["rejected_path", "not_in_repo"],
      ["rejected_path", "not_a_regular_file"],
      ["applied", undefined],
    ]);
    expect(Object.keys(newContents)).toEqual(["pkg/a.py"]);
  });
});

describe("applying blocks", () => {
  it("completes a path that is the end of exactly one prompt file's path, and says so", () => {
    const blocks = [block("a.py", "import os", "import sys")];
    expect(editablePaths(blocks, listing, ["pkg/a.py", "pkg/crlf.py"])).toEqual(["pkg/a.py"]);
    const { newContents, outcomes } = applyEditBlocks(blocks, files, listing, ["pkg/a.py", "pkg/crlf.py"]);
    expect(outcomes[0]).toMatchObject({ path: "pkg/a.py", status: "applied", rules: ["path_completed"] });
    expect(Object.keys(newContents)).toEqual(["pkg/a.py"]);
    // not in the prompt, or ambiguous: rejected
    expect(applyEditBlocks(blocks, files, listing, ["pkg/crlf.py"]).outcomes[0]).toMatchObject({
      status: "rejected_path",
      path_problem: "not_in_repo",
    });
    expect(
      applyEditBlocks([block("py", "a", "b")], files, listing, ["pkg/a.py", "pkg/crlf.py"]).outcomes[0].status,
    ).toBe("rejected_path");
  });

  it("matches at line starts first and replaces every occurrence (SWE-RL semantics)", () => {
    const { newContents, outcomes } = applyEditBlocks(
      [block("pkg/a.py", "    return 'other'", "    return None")],
      files,
      listing,
    );
    expect(outcomes[0]).toMatchObject({ status: "applied", match: "exact", occurrences: 1 });
    expect(newContents["pkg/a.py"]).toContain("    return None\n");
  });

  it("falls back to a mid-line match, then to lines equal up to trailing whitespace, and names the fallback", () => {
    const midLine = applyEditBlocks([block("pkg/a.py", "x == 1", "x == 2")], files, listing);
    expect(midLine.outcomes[0]).toMatchObject({ status: "applied", match: "mid_line", occurrences: 1 });
    expect(midLine.newContents["pkg/a.py"]).toContain("    if x == 2:\n");
    const loose = applyEditBlocks(
      [block("pkg/a.py", "        return 'one'\n    return 'other'", "        return 1\n    return 0")],
      files,
      listing,
    );
    expect(loose.outcomes[0]).toMatchObject({ status: "applied", match: "trailing_whitespace" });
    expect(loose.newContents["pkg/a.py"]).toContain("        return 1\n    return 0\n");
    const none = applyEditBlocks([block("pkg/a.py", "def h():", "def k():")], files, listing);
    expect(none.outcomes[0].status).toBe("not_found");
    expect(none.newContents).toEqual({});
  });

  it("flags identical search/replace, an empty search on a non-empty file, unterminated and pathless blocks", () => {
    const { outcomes, newContents } = applyEditBlocks(
      [
        block("pkg/a.py", "import os", "import os"),
        block("pkg/a.py", "", "X = 1"),
        { ...block("pkg/a.py", "a", ""), error: "unterminated" },
        { ...block(null, "a", "b"), error: "no_path" },
      ],
      files,
      listing,
    );
    expect(outcomes.map((o) => o.status)).toEqual(["identical", "empty_search", "unterminated", "no_path"]);
    expect(newContents).toEqual({});
  });

  it("applies later blocks to the result of earlier ones", () => {
    const { newContents } = applyEditBlocks(
      [block("pkg/a.py", "import os", "import re"), block("pkg/a.py", "import re", "import re, os")],
      files,
      listing,
    );
    expect(newContents["pkg/a.py"].startsWith("import re, os\n")).toBe(true);
  });

  it("matches a CRLF file with \\n and writes \\r\\n back", () => {
    const { newContents, outcomes } = applyEditBlocks(
      [block("pkg/crlf.py", "def g():\n    return 1", "def g():\n    return 2")],
      files,
      listing,
    );
    expect(outcomes[0].status).toBe("applied");
    expect(newContents["pkg/crlf.py"]).toBe("def g():\r\n    return 2\r\n");
  });
});

describe("diffs that git apply accepts", () => {
  it("edits in the middle, at the end of a file without a final newline, in a CRLF file", async () => {
    const { newContents } = applyEditBlocks(
      [
        block("pkg/a.py", "def f(x):", "def f(x, y=None):"),
        block("pkg/nonl.py", "B = 2", "B = 3\nC = 4"),
        block("pkg/crlf.py", "    return 1", "    return 2"),
        block("docs/notes.txt", "hello", "hello\nworld"),
      ],
      files,
      listing,
    );
    const patch = patchOf(files, newContents);
    expect(patch).toContain("\\ No newline at end of file\n");
    expect(await gitApplied(patch, Object.keys(newContents))).toEqual(newContents);
  });

  it("matches what git diff itself says for a simple edit", () => {
    const neu = FILES["pkg/a.py"].replace("import os", "import sys");
    expect(fileDiff("pkg/a.py", FILES["pkg/a.py"], neu)).toBe(
      "diff --git a/pkg/a.py b/pkg/a.py\n--- a/pkg/a.py\n+++ b/pkg/a.py\n@@ -1,4 +1,4 @@\n-import os\n+import sys\n \n \n def f(x):\n",
    );
    expect(fileDiff("x.py", "same\n", "same\n")).toBe("");
  });

  it("random edits on a big file: every diff applies with git and gives exactly the edited text", async () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const base = FILES["big.py"].split("\n");
    for (let round = 0; round < 25; round++) {
      const lines = [...base];
      for (let e = 0, edits = 1 + rand(5); e < edits; e++) {
        const at = rand(lines.length);
        const kind = rand(3);
        if (kind === 0) lines.splice(at, 1 + rand(3));
        else if (kind === 1) lines.splice(at, 0, `inserted_${round}_${e} = True`);
        else lines[at] = `changed_${round}_${e} = 0`;
      }
      let text = lines.join("\n");
      if (rand(4) === 0) text = text.replace(/\n+$/, ""); // sometimes drop the final newline
      if (text === FILES["big.py"]) continue;
      const patch = fileDiff("big.py", FILES["big.py"], text);
      expect((await gitApplied(patch, ["big.py"]))["big.py"]).toBe(text);
    }
  });
});
