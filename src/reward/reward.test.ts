// The SWE-RL reward: SWE-RL's own test scenarios, then a differential check against an
// independent Python statement of the reward (test/support/reward/reference.py, real CPython difflib)
// on realistic cases built from SWE-bench Verified gold patches.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadDataset } from "../dataset/load.js";
import {
  calculateReward,
  calculateSearchReplaceReward,
  calculateUnifiedDiffReward,
  type RewardResult,
} from "./reward.js";
import { runPythonReference } from "../../test/support/reward/run-python.js";
import { editsFromPatch } from "./patch-to-edits.js";
import { replaceAtLineStarts } from "./search-replace.js";
import { linePool, searchReplaceCases, seededRandom, unifiedDiffCases } from "../../test/support/verified-cases.js";

const verified = join(import.meta.dirname, "..", "..", "..", "shared", "datasets", "swe-bench-verified.test.jsonl");
const rows = await loadDataset(verified);
const pool = linePool(rows);
// Python's difflib is slow on big diffs: compare on the rows with smaller gold patches.
const sample = rows.filter((r, i) => i % 3 === 0 && r.patch.length < 2500).slice(0, 70);

const FILE_A = "def add(a, b):\n    return a + b\n\ndef subtract(a, b):\n    return a - b";
const FILE_A_NEW =
  "def add(a: int, b: int) -> int:\n    return a + b\n\ndef subtract(a: float, b: float) -> float:\n    return a - b";
const FILE_B = "def sort_list(lst):\n    return sorted(lst)";
const FILE_B_NEW = "def sort_list(lst: list[int]) -> list[int]:\n    return sorted(lst)";
const context = { "a.py": FILE_A, "b.py": FILE_B };
const oracle = { "a.py": FILE_A_NEW, "b.py": FILE_B_NEW };
const block = (path: string, search: string, replace: string, fence = "```python") =>
  `${fence}\n### ${path}\n<<<<<<< SEARCH\n${search}\n=======\n${replace}\n>>>>>>> REPLACE\n\`\`\``;
const answer = (...blocks: string[]) => `\n<think>\ndummy\n</think>\n<solution>\n${blocks.join("\n\n")}\n</solution>\n`;

describe("SWE-RL's reward scenarios", () => {
  it("rewards an exact multi-file edit with 1.0 and keeps the thought", () => {
    const out = answer(
      block("a.py", "def add(a, b):", "def add(a: int, b: int) -> int:", "```"),
      block("a.py", "def subtract(a, b):", "def subtract(a: float, b: float) -> float:"),
      block("b.py", "def sort_list(lst):", "def sort_list(lst: list[int]) -> list[int]:"),
    );
    const r = calculateSearchReplaceReward(context, oracle, out);
    expect(r.reward).toBe(1.0);
    expect(r.thought).toBe("dummy");
    expect(r.similarities?.map((s) => s.path)).toEqual(["a.py", "b.py"]);
  });

  it("gives 0 for an edit of an unrelated new file and 1/3 when one of three files is right", () => {
    expect(calculateSearchReplaceReward(context, oracle, answer(block("c.py", "", "# dummy"))).reward).toBe(0);
    const r = calculateSearchReplaceReward(
      context,
      oracle,
      answer(
        block("c.py", "", "# dummy"),
        block("c.py", "# dummy", 'print("hello")'),
        block("b.py", "def sort_list(lst):", "def sort_list(lst: list[int]) -> list[int]:"),
      ),
    );
    expect(r.reward).toBe(1 / 3);
  });

  it("gives -1 with a reason on every kind of format error", () => {
    const good = block("a.py", "def add(a, b):", "def add(a: int, b: int) -> int:");
    const cases: [string, string][] = [
      ["\n<think>\ndummy\n</think>\n<solution>\n", "count of </solution> is not 1"],
      [
        answer("```\n### a.py\n<<<<<<< SEARCH\nreturn a + b\n=======\nreturn a - b\n```"),
        "No valid search blocks found",
      ],
      [`<think> \n\t</think><solution>${good}</solution>`, "Thought is empty"],
      [`<think>x</think><think></think><solution>${good}</solution>`, "count of <think> is not 1"],
      [answer(block("a.py", "def add(a, b):", "def add(a, b):")), "Search and replace blocks are identical"],
      [answer(block("a.py", "add(a, b):", "add(a, b, c):")), "Search block not found in the code: \nadd(a, b):"],
    ];
    for (const [output, error] of cases) {
      expect(calculateSearchReplaceReward(context, oracle, output)).toEqual({ reward: -1, error });
    }
  });

  it("gives 1.0 when neither side changes anything", () => {
    expect(calculateReward(context, context, { "a.py": FILE_A })).toEqual({ reward: 1, similarities: [] });
    expect(calculateUnifiedDiffReward([], [])).toEqual({ reward: 1, similarities: [] });
    // an oracle change the prediction lacks scores 0 for that file
    expect(calculateReward(context, oracle, { "b.py": FILE_B_NEW }).reward).toBe(0.5);
  });

  const diff = (path: string, last: string) =>
    `diff --git a/${path} b/${path}\nindex 83db48f..f73504f 100644\n--- a/${path}\n+++ b/${path}\n` +
    `@@ -1,4 +1,4 @@\n-Hello world\n+Hello World\n This is a file\n-With some lines\n+${last}\n End\n`;
  it("compares unified diffs per file", () => {
    const d1 = diff("foo.txt", "With some changed lines");
    const d2 = diff("foo.txt", "With some changed");
    const d3 = diff("bar.txt", "With some changed");
    expect(calculateUnifiedDiffReward([d1], [d2]).reward).toBeGreaterThan(0.9);
    expect(calculateUnifiedDiffReward([d1], [d2]).reward).toBeLessThan(1);
    expect(calculateUnifiedDiffReward([d1], [d1]).reward).toBe(1.0);
    expect(calculateUnifiedDiffReward([d1], [d3]).reward).toBe(0.0);
    expect(calculateUnifiedDiffReward([d1], [d1, d3]).reward).toBe(0.5);
  });
});

describe("SWE-RL's reference cases, one by one", () => {
  const typed = block("b.py", "def sort_list(lst):", "def sort_list(lst: list[int]) -> list[int]:");

  it("exact match: 1.0, every file of the union at similarity 1", () => {
    const r = calculateSearchReplaceReward(
      context,
      oracle,
      answer(
        block(
          "a.py",
          "def add(a, b):\n    return a + b\n\ndef subtract(a, b):",
          "def add(a: int, b: int) -> int:\n    return a + b\n\ndef subtract(a: float, b: float) -> float:",
        ),
        typed,
      ),
    );
    expect(r.reward).toBe(1.0);
    expect(r.similarities?.map((x) => [x.path, x.similarity])).toEqual([
      ["a.py", 1],
      ["b.py", 1],
    ]);
  });

  it("new file + correct edit + missed file: 1/3 (the new file and the missed one score 0)", () => {
    const r = calculateSearchReplaceReward(context, oracle, answer(block("c.py", "", "# notes"), typed));
    expect(r.reward).toBe(1 / 3);
    expect(r.similarities?.map((x) => [x.path, x.similarity])).toEqual([
      ["a.py", 0],
      ["b.py", 1],
      ["c.py", 0],
    ]);
    expect(r.similarities?.find((x) => x.path === "a.py")?.predChange).toBe(""); // missed: no predicted change
  });

  it("unterminated block: -1; next to a good block it swallows that block instead", () => {
    const open = "```python\n### a.py\n<<<<<<< SEARCH\n    return a + b\n=======\n    return a - b\n```";
    expect(calculateSearchReplaceReward(context, oracle, answer(open))).toEqual({
      reward: -1,
      error: "No valid search blocks found",
    });
    const noFence =
      "```python\n### b.py\n<<<<<<< SEARCH\ndef sort_list(lst):\n=======\ndef sort_list(lst: list):\n>>>>>>> REPLACE";
    expect(calculateSearchReplaceReward(context, oracle, answer(noFence))).toEqual({
      reward: -1,
      error: "No valid search blocks found",
    });
    // SWE-RL's regex runs the open block's REPLACE on to the next block's end marker: the good
    // block becomes replacement text in a.py, and b.py's correct edit is lost (python3's
    // difflib gives the same 0.22025316455696203)
    const r = calculateSearchReplaceReward(context, oracle, answer(open, typed));
    expect(r.error).toBeUndefined();
    expect(r.similarities?.map((x) => x.path)).toEqual(["a.py", "b.py"]);
    expect(r.similarities?.[0].predChange).toContain("+### b.py");
    expect(r.similarities?.[1].similarity).toBe(0);
    expect(r.reward).toBe(0.22025316455696203);
  });

  it("search starting mid-line: -1 (a search must begin at a line start), while the same line in full scores", () => {
    const midLine = calculateSearchReplaceReward(
      context,
      oracle,
      answer(block("a.py", "return a + b", "return a - b")),
    );
    expect(midLine).toEqual({ reward: -1, error: "Search block not found in the code: \nreturn a + b" });
    const sub = calculateSearchReplaceReward(
      context,
      oracle,
      answer(block("b.py", "sort_list(lst):", "sort_list(lst: list[int]) -> list[int]:")),
    );
    expect(sub.reward).toBe(-1);
    const whole = calculateSearchReplaceReward(
      context,
      oracle,
      answer(block("a.py", "    return a + b", "    return a - b")),
    );
    expect(whole.error).toBeUndefined();
    expect(whole.reward).toBeGreaterThan(0);
    expect(whole.reward).toBeLessThan(1);
  });
});

describe("Python str semantics in the reward", () => {
  it("replaces every occurrence literally, at line starts only", () => {
    const ctx = { "m.py": "x = 1\ny = x = 1\nx = 1\n" };
    const want = { "m.py": "x = $&2\ny = x = 1\nx = $&2\n" };
    const r = calculateSearchReplaceReward(ctx, want, answer(block("m.py", "x = 1", "x = $&2")));
    expect(r.reward).toBe(1.0);
  });

  it("replaces at line starts as str.replace on the \\n-prefixed text does (random texts, empty searches, overlaps)", () => {
    const rng = seededRandom(3);
    const text = (n: number) =>
      Array.from({ length: n }, () => ["a", "b", "\n", "ab", "\n\n"][Math.floor(rng() * 5)]).join("");
    let replaced = 0;
    for (let k = 0; k < 20000; k++) {
      const [content, search, replace] = [
        text(Math.floor(rng() * 12)),
        text(Math.floor(rng() * 3)),
        text(Math.floor(rng() * 3)),
      ];
      const pieces = ("\n" + content).split("\n" + search);
      const want = { text: pieces.join("\n" + replace).slice(1), count: pieces.length - 1 };
      expect(replaceAtLineStarts(content, search, replace), JSON.stringify([content, search, replace])).toEqual(want);
      if (want.count > 1) replaced++;
    }
    expect(replaced).toBeGreaterThan(1000);
  });

  it("strips with Python's whitespace set (U+001F yes, U+FEFF no)", () => {
    const r = calculateSearchReplaceReward(
      context,
      oracle,
      `<think>\u001f\u3000</think><solution>${block("b.py", "def sort_list(lst):", "def sort_list(lst: list[int]) -> list[int]:")}</solution>`,
    );
    expect(r.error).toBe("Thought is empty");
    const bom = calculateSearchReplaceReward(
      context,
      oracle,
      `<think>\ufeff</think><solution>${block("b.py", "def sort_list(lst):", "def sort_list(lst: list[int]) -> list[int]:")}</solution>`,
    );
    expect(bom.reward).toBe(0.5);
  });

  it("splits lines like str.splitlines (\\r\\n, \\r and form feed are line breaks)", () => {
    const ctx = { "w.py": "a = 1\r\nb = 2\x0cc = 3\nd = 4" };
    const r = calculateSearchReplaceReward(
      ctx,
      { "w.py": "a = 1\nb = 2\nc = 3\nd = 5" },
      answer(block("w.py", "d = 4", "d = 5")),
    );
    // same lines apart from the last: the two line diffs are equal
    expect(r.reward).toBe(1.0);
  });
});

type PyReward = { reward: number; paths?: string[]; similarities?: number[]; error?: string };
const PY_ERROR: Record<string, RegExp> = {
  "tag count": /^count of <\/?(think|solution)> is not 1$/,
  "empty thought": /^Thought is empty$/,
  "no blocks": /^No valid search blocks found$/,
  identical: /^Search and replace blocks are identical$/,
  "not found": /^Search block not found in the code: \n/,
};

function expectSame(ours: RewardResult, py: PyReward, where: string): void {
  expect(ours.reward, where).toBe(py.reward);
  if (py.error) {
    expect(ours.error, where).toMatch(PY_ERROR[py.error]);
    return;
  }
  expect(
    ours.similarities?.map((s) => s.path),
    where,
  ).toEqual(py.paths);
  expect(
    ours.similarities?.map((s) => s.similarity),
    where,
  ).toEqual(py.similarities);
}

describe("reward vs the Python reference on SWE-bench Verified gold patches", () => {
  it("agrees on search/replace answers: exact, partial, noisy, wrong file, format errors, search not found", () => {
    const cases = searchReplaceCases(sample, 1, pool);
    const py = runPythonReference<PyReward>(
      cases.map((c) => ({
        op: "search_replace_reward",
        code_context: c.codeContext,
        oracle_new_content: c.oracleNewContent,
        output: c.output,
      })),
    );
    const rewards: Record<string, number[]> = {};
    cases.forEach((c, i) => {
      const ours = calculateSearchReplaceReward(c.codeContext, c.oracleNewContent, c.output);
      expectSame(ours, py[i], `${c.instanceId} ${c.variant}`);
      (rewards[c.variant] ??= []).push(ours.reward);
    });
    expect(sample.length).toBeGreaterThan(50);
    expect(rewards.exact.every((r) => r === 1)).toBe(true);
    expect(rewards.wrong_file.every((r) => r === 0)).toBe(true);
    for (const v of ["format_error", "search_not_found", "identical"])
      expect(rewards[v].every((r) => r === -1)).toBe(true);
    const partial = rewards.partial.filter((r) => r > 0 && r < 1).length;
    expect(partial).toBeGreaterThan(sample.length * 0.8);
  });

  it("agrees on unified-diff predictions: same, re-diffed, noisy, other files, truncated", () => {
    const cases = unifiedDiffCases(sample, 2, pool);
    const py = runPythonReference<PyReward>(
      cases.map((c) => ({
        op: "unified_diff_reward",
        oracle_patches: c.oraclePatches,
        pred_patches: c.predPatches,
      })),
    );
    cases.forEach((c, i) => {
      expectSame(calculateUnifiedDiffReward(c.oraclePatches, c.predPatches), py[i], `${c.instanceId} ${c.variant}`);
    });
    expect(
      cases.filter((c, i) => c.variant === "noisy" && py[i].reward > 0 && py[i].reward < 1).length,
    ).toBeGreaterThan(50);
  });

  it("rewards the gold answer of every Verified row with 1.0 unless a SEARCH block is ambiguous", () => {
    const cases = searchReplaceCases(rows, 3, pool).filter(
      (c) => c.variant === "exact" || c.variant === "prose_around",
    );
    const ambiguous = (c: (typeof cases)[number]) => {
      const row = rows.find((r) => r.instance_id === c.instanceId)!;
      return editsFromPatch(row.patch).some((b) => ("\n" + c.codeContext[b.path]).split("\n" + b.search).length > 2);
    };
    const notOne = cases.filter(
      (c) => calculateSearchReplaceReward(c.codeContext, c.oracleNewContent, c.output).reward !== 1,
    );
    expect(cases.length).toBe(1000);
    // replace-all semantics: an old side that occurs twice is replaced twice (SWE-RL does the same)
    expect(notOne.filter((c) => !ambiguous(c)).map((c) => `${c.instanceId} ${c.variant}`)).toEqual([]);
    expect(notOne.length).toBeLessThan(10);
  });
});
