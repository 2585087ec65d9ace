// One answer through parse → apply → diff → checks → reward: every status the stage records.
import { describe, expect, it } from "vitest";
import { calculateSearchReplaceReward } from "../reward/reward.js";
import { seededRandom } from "../../test/support/verified-cases.js";
import { onlyWhitespaceChanged, processRepairOutput, type ProcessInput } from "./process-output.js";

const A = "def f(x):\n    return x + 1\n\n\ndef g():\n    return 2\n";
const B = "VALUE = 1\n";
const listing = new Map([
  ["pkg/a.py", "100644"],
  ["pkg/b.py", "100644"],
  ["README.rst", "100644"],
]);
const repo: Record<string, string> = { "pkg/a.py": A, "pkg/b.py": B, "README.rst": "Title\n=====\n" };

const fence = (path: string, search: string, replace: string) =>
  `\`\`\`python\n### ${path}\n<<<<<<< SEARCH\n${search}\n=======\n${replace}\n>>>>>>> REPLACE\n\`\`\``;
const answer = (...blocks: string[]) => `<think>\nreasoning\n</think>\n<solution>\n${blocks.join("\n")}\n</solution>`;

function input(output: string, over: Partial<ProcessInput> = {}): ProcessInput & { reads: string[][] } {
  const reads: string[][] = [];
  return {
    output,
    contextFiles: ["pkg/a.py"],
    listing,
    contents: { "pkg/a.py": A },
    readFiles: async (paths) => {
      reads.push(paths);
      return Object.fromEntries(paths.map((p) => [p, repo[p]]));
    },
    oracle: { codeContext: { "pkg/a.py": A }, oracleNewContent: { "pkg/a.py": A.replace("x + 1", "x - 1") } },
    reads,
    ...over,
  };
}

describe("processing one answer", () => {
  it("ok: the gold change scores 1 with a git diff of it", async () => {
    const r = await processRepairOutput(input(answer(fence("pkg/a.py", "    return x + 1", "    return x - 1"))));
    expect(r).toMatchObject({
      status: "ok",
      error: null,
      format_ok: true,
      reward: 1,
      edited_files: ["pkg/a.py"],
      thought_length: 9,
      raw_patch: null,
    });
    expect(r.patch).toBe(
      "diff --git a/pkg/a.py b/pkg/a.py\n--- a/pkg/a.py\n+++ b/pkg/a.py\n@@ -1,5 +1,5 @@\n def f(x):\n-    return x + 1\n+    return x - 1\n \n \n def g():\n",
    );
  });

  it("syntax_error: the patch is emptied, the raw diff and the error kept", async () => {
    const r = await processRepairOutput(input(answer(fence("pkg/a.py", "def f(x):", "def f(x:"))));
    expect(r).toMatchObject({
      status: "syntax_error",
      patch: "",
      syntax_errors: { "pkg/a.py": expect.stringMatching(/^line 1/) },
    });
    expect(r.raw_patch).toContain("+def f(x:");
    expect(r.reward).toBeGreaterThanOrEqual(0); // SWE-RL's reward does not look at syntax
  });

  it("partial_apply: a block that does not match is reported, the others make the patch", async () => {
    const r = await processRepairOutput(
      input(
        answer(
          fence("pkg/a.py", "    return x + 1", "    return x - 1"),
          fence("pkg/a.py", "    return 3", "    return 4"),
        ),
      ),
    );
    expect(r.status).toBe("partial_apply");
    expect(r.error).toMatch(/block at line \d+ \(pkg\/a.py\): not_found/);
    expect(r.patch).toContain("+    return x - 1");
    expect(r.format_ok).toBe(false); // strict SWE-RL: a search not found is a format error
    expect(r.reward).toBe(-1);
  });

  it("apply_error: nothing applied (a path outside the repo, a missing search)", async () => {
    const r = await processRepairOutput(
      input(answer(fence("../etc/x.py", "a", "b"), fence("pkg/a.py", "nope", "yes"))),
    );
    expect(r).toMatchObject({ status: "apply_error", patch: "", edited_files: [] });
    expect(r.blocks.map((b) => [b.status, b.path_problem])).toEqual([
      ["rejected_path", "parent_dir"],
      ["not_found", undefined],
    ]);
  });

  it("no_edits and empty_patch", async () => {
    expect(await processRepairOutput(input(answer("I could not find the bug.")))).toMatchObject({
      status: "no_edits",
      patch: "",
      reward: -1,
    });
    const ws = await processRepairOutput(
      input(answer(fence("pkg/a.py", "def g():\n    return 2", "def g():\n\n    return 2  "))),
    );
    expect(ws).toMatchObject({ status: "empty_patch", patch: "" });
    expect(ws.raw_patch).toMatch(/^diff --git a\/pkg\/a.py/);
  });

  it("reads a repo file outside the prompt when an edit names it, and edits non-Python files without a syntax check", async () => {
    const i = input(
      answer(fence("pkg/b.py", "VALUE = 1", "VALUE = 2"), fence("README.rst", "Title\n=====", "Title (\n=====")),
    );
    const r = await processRepairOutput(i);
    expect(i.reads).toEqual([["pkg/b.py", "README.rst"]]);
    expect(r).toMatchObject({ status: "ok", edited_files: ["pkg/b.py", "README.rst"] });
    expect(r.blocks.map((b) => b.outside_context)).toEqual([true, true]);
    // SWE-RL's reward knows only the files in the prompt: an edit elsewhere is a search not found
    expect(r).toMatchObject({ format_ok: false, reward: -1 });
    const inside = await processRepairOutput(input(answer(fence("pkg/a.py", "def g():", "def h():"))));
    expect(inside.blocks[0].outside_context).toBeUndefined();
    expect(inside.reward).toBeGreaterThan(0); // a change to a.py, not the oracle's: partly similar diffs
    expect(inside.reward).toBeLessThan(1);
  });

  it("without a gold patch: format verdict still given, reward null", async () => {
    const r = await processRepairOutput(
      input(answer(fence("pkg/a.py", "    return x + 1", "    return x - 1")), { oracle: null }),
    );
    expect(r).toMatchObject({ status: "ok", format_ok: true, reward: null });
  });
});

describe("per-instance work done once", () => {
  it("scores many answers against one oracle exactly as the reward alone does, and a changed contents object is not mistaken for the old one", async () => {
    const i = input("");
    const outputs = [
      answer(fence("pkg/a.py", "    return x + 1", "    return x - 1")),
      answer(fence("pkg/a.py", "    return x + 1", "    return x * 1")),
      answer(fence("pkg/a.py", "def g():", "def h():")),
      answer(fence("pkg/a.py", "nope", "yes")),
    ];
    for (const output of [...outputs, ...outputs]) {
      const r = await processRepairOutput({ ...i, output });
      expect(r.reward).toBe(
        calculateSearchReplaceReward(i.oracle!.codeContext, i.oracle!.oracleNewContent, output).reward,
      );
    }
    // same oracle object, other contents (b.py now in the prompt): the reward sees b.py
    const withB = await processRepairOutput({
      ...i,
      contents: { "pkg/a.py": A, "pkg/b.py": B },
      contextFiles: ["pkg/a.py", "pkg/b.py"],
      output: answer(
        fence("pkg/a.py", "    return x + 1", "    return x - 1"),
        fence("pkg/b.py", "VALUE = 1", "VALUE = 2"),
      ),
    });
    expect(withB.reward).toBe(0.5);
  });

  it("onlyWhitespaceChanged agrees with comparing the whole normalized files", () => {
    const whole = (t: string) =>
      t
        .split(/\r?\n/)
        .map((l) => l.replace(/\s+$/, ""))
        .filter((l) => l !== "")
        .join("\n");
    const rng = seededRandom(11);
    const pieces = ["a", "b", " ", "  ", "\t", "\n", "\n", "\r\n", "\r", "x = 1", "\n\n", " \n"];
    const text = (n: number) => Array.from({ length: n }, () => pieces[Math.floor(rng() * pieces.length)]).join("");
    let equal = 0;
    for (let k = 0; k < 20000; k++) {
      const old = text(Math.floor(rng() * 30));
      let neu = old;
      for (let m = 1 + Math.floor(rng() * 2); m > 0; m--) {
        const at = Math.floor(rng() * (neu.length + 1));
        neu = neu.slice(0, at) + text(Math.floor(rng() * 3)) + neu.slice(at + Math.floor(rng() * 3));
      }
      const want = whole(old) === whole(neu);
      expect(onlyWhitespaceChanged(old, neu), JSON.stringify([old, neu])).toBe(want);
      if (want && old !== neu) equal++;
    }
    expect(equal).toBeGreaterThan(2000);
  });
});
