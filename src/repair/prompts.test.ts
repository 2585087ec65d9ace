// The repair prompt, character for character, against the text SWE-RL sends (written out here
// in full, not built from our template), and the file context's budget and shuffle rules.
import { describe, expect, it } from "vitest";
import { buildFileContext, countTokens, displayContent, shuffleInPlace, TokenCounter } from "./context.js";
import { repairMessages, repairUserPrompt, THINKING_SYSTEM } from "./prompts.js";

const EXPECTED_USER = `We are currently solving the following issue within our repository. Here is the issue text:
--- BEGIN ISSUE ---
parse() fails on "{x}"
--- END ISSUE ---

Below are some code segments, each from a relevant file. One or more of these files may contain bugs.

--- BEGIN FILE ---
\`\`\`
### pkg/a.py
def f():
    return {"k": 1}

### pkg/b.py
X = 1
\`\`\`
--- END FILE ---

Please first localize the bug based on the issue statement, and then generate *SEARCH/REPLACE* edits to fix the issue.

Every *SEARCH/REPLACE* edit must use this format:
1. The file path
2. The start of search block: <<<<<<< SEARCH
3. A contiguous chunk of lines to search for in the existing source code
4. The dividing line: =======
5. The lines to replace into the source code
6. The end of the replace block: >>>>>>> REPLACE

Here is an example:

\`\`\`python
### mathweb/flask/app.py
<<<<<<< SEARCH
from flask import Flask
=======
import math
from flask import Flask
>>>>>>> REPLACE
\`\`\`

Please note that the *SEARCH/REPLACE* edit REQUIRES PROPER INDENTATION. If you would like to add the line '        print(x)', you must fully write that out, with all those spaces before the code!
Wrap each *SEARCH/REPLACE* edit in a code block as shown in the example above. If you have multiple *SEARCH/REPLACE* edits, use a separate code block for each one.`;

const EXPECTED_SYSTEM =
  "A user will ask you to solve a task. You should first draft your thinking process (inner monologue). Then, generate the solution.\n\n" +
  "Your response format must follow the template below:\n<think>\n" +
  "Your thoughts or/and draft, like working through an exercise on scratch paper. Be as casual and as long as you want until you are confident to generate a correct solution.\n" +
  "</think>\n<solution>\nFinal solution presented to the user.\n</solution>";

describe("repair prompt", () => {
  const contents = { "pkg/a.py": 'def f():\n    return {"k": 1}\n', "pkg/b.py": "X = 1\n" };

  it("is SWE-RL's system prompt and repair template, exactly", () => {
    const ctx = buildFileContext({ key: "i", paths: ["pkg/a.py", "pkg/b.py"], contents, maxTokens: 60_000 });
    const messages = repairMessages('parse() fails on "{x}"', ctx.text);
    expect(messages).toEqual([
      { role: "system", content: EXPECTED_SYSTEM },
      { role: "user", content: EXPECTED_USER },
    ]);
    expect(THINKING_SYSTEM).toBe(EXPECTED_SYSTEM);
  });

  it("keeps braces and template-like text of the issue and code verbatim (one-pass format)", () => {
    const user = repairUserPrompt(
      "use {content} and {problem_statement} literally {0}",
      "### x.py\nprint('{content}')",
    );
    expect(user).toContain(
      "--- BEGIN ISSUE ---\nuse {content} and {problem_statement} literally {0}\n--- END ISSUE ---",
    );
    expect(user).toContain("--- BEGIN FILE ---\n```\n### x.py\nprint('{content}')\n```\n--- END FILE ---");
  });

  it("strips the filled template like Python's str.strip() (leading whitespace of the issue stays inside)", () => {
    const user = repairUserPrompt("\n  indented issue\n\n", "### x.py\nX = 1");
    expect(user.startsWith("We are currently")).toBe(true);
    expect(user).toContain("--- BEGIN ISSUE ---\n\n  indented issue\n\n\n--- END ISSUE ---");
  });

  it("shows files as SWE-RL's structure does: lines re-joined with \\n, no trailing newline, CRLF folded", () => {
    expect(displayContent("a\r\nb\r\n")).toBe("a\nb");
    expect(displayContent("a\nb")).toBe("a\nb");
    expect(displayContent("")).toBe("");
  });
});

describe("file context", () => {
  it("counts Llama 3 tokens as Hugging Face's encode does (with <|begin_of_text|>)", () => {
    expect(countTokens("hello world")).toBe(3);
    expect(countTokens("")).toBe(1);
  });

  it("leaves out a file over the budget, keeps later ones that fit, and says so", () => {
    const big = "def big():\n" + "    x = 'some long line of python code here'\n".repeat(400);
    const contents = { "small.py": "A = 1\n", "big.py": big, "tail.py": "B = 2\n" };
    const budget = 200;
    const ctx = buildFileContext({ key: "k", paths: ["small.py", "big.py", "tail.py"], contents, maxTokens: budget });
    expect(ctx.included).toEqual(["small.py", "tail.py"]);
    expect(ctx.omitted).toEqual([
      { path: "big.py", tokens: countTokens(`### big.py\n${displayContent(big)}`), reason: "over_budget" },
    ]);
    expect(ctx.omitted[0].tokens!).toBeGreaterThan(budget);
    expect(ctx.tokens).toBe(countTokens("### small.py\nA = 1") + countTokens("### tail.py\nB = 2"));
    expect(ctx.text).toBe("### small.py\nA = 1\n\n### tail.py\nB = 2");
    expect(ctx.overBudget).toBe(false);
  });

  it("puts the first file in alone when none fits (SWE-RL's fallback) and flags it", () => {
    const contents = { "a.py": "x = 1\n".repeat(100), "b.py": "y = 2\n".repeat(100) };
    const ctx = buildFileContext({ key: "k2", paths: ["a.py", "b.py"], contents, maxTokens: 10 });
    expect(ctx.included).toEqual(["a.py"]);
    expect(ctx.overBudget).toBe(true);
    expect(ctx.omitted.map((o) => o.path)).toEqual(["b.py"]);
  });

  it("records location files missing from the repo", () => {
    const ctx = buildFileContext({
      key: "k3",
      paths: ["gone.py", "a.py"],
      contents: { "a.py": "x\n" },
      maxTokens: 100,
    });
    expect(ctx.included).toEqual(["a.py"]);
    expect(ctx.omitted).toEqual([{ path: "gone.py", tokens: null, reason: "not_in_repo" }]);
  });

  it("shuffles the kept files reproducibly from the seeded random, and differently for other seeds", () => {
    const paths = Array.from({ length: 8 }, (_, i) => `m${i}.py`);
    const contents = Object.fromEntries(paths.map((p) => [p, `# ${p}\n`]));
    const counter = new TokenCounter();
    const lcg = (seed: number) => () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const order = (seed: number) =>
      buildFileContext({ key: "s", paths, contents, maxTokens: 10_000, counter, random: lcg(seed) }).included;
    expect(order(1)).toEqual(order(1));
    expect([...order(1)].sort()).toEqual(paths);
    const orders = new Set([1, 2, 3, 4, 5].map((s) => order(s).join(",")));
    expect(orders.size).toBeGreaterThan(1);
    expect(buildFileContext({ key: "s", paths, contents, maxTokens: 10_000, counter }).included).toEqual(paths);
  });

  it("shuffles with random.shuffle's loop (Fisher–Yates from the end)", () => {
    // for i in reversed(range(1, n)): j = floor(random() * (i + 1)); swap items i and j
    const draws = [0.9, 0.1, 0.5];
    let k = 0;
    expect(shuffleInPlace(["a", "b", "c", "d"], () => draws[k++])).toEqual(["c", "b", "a", "d"]);
  });
});
