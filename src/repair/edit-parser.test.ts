// The tolerant parser on what models really write, cross-checked with the reward's strict
// parser: a block the strict regex takes has no rules; every departure is named.
import { describe, expect, it } from "vitest";
import { parseSearchReplace } from "../reward/search-replace.js";
import { parseEditBlocks, parsePathLine, solutionText } from "./edit-parser.js";

const strictBlock = (path: string, search: string, replace: string, lang = "python") =>
  `\`\`\`${lang}\n### ${path}\n<<<<<<< SEARCH\n${search}\n=======\n${replace}\n>>>>>>> REPLACE\n\`\`\``;

describe("tolerant SEARCH/REPLACE parser", () => {
  it("reads strict blocks exactly as the strict parser does, with no rules broken", () => {
    const text = [
      strictBlock("a.py", "x = 1", "x = 2"),
      strictBlock("b/c.py", "def f():\n    pass", "def f():\n    return 1", ""),
    ].join("\n\n");
    const blocks = parseEditBlocks(text, ["a.py", "b/c.py"]);
    expect(blocks.map(({ path, search, replace, rules }) => ({ path, search, replace, rules }))).toEqual([
      { path: "a.py", search: "x = 1", replace: "x = 2", rules: [] },
      { path: "b/c.py", search: "def f():\n    pass", replace: "def f():\n    return 1", rules: [] },
    ]);
    const strict = parseSearchReplace(text);
    expect([...strict.entries()].map(([p, l]) => [p, l.map((b) => [b.search, b.replace])])).toEqual(
      blocks.map((b) => [b.path, [[b.search, b.replace]]]),
    );
  });

  it("accepts a missing fence language (strict too)", () => {
    const text = strictBlock("a.py", "a", "b", "");
    expect(parseEditBlocks(text, ["a.py"])[0].rules).toEqual([]);
    expect(parseSearchReplace(text).size).toBe(1);
  });

  it("accepts trailing spaces after the markers and says marker_format", () => {
    const text = "```python\n### a.py\n<<<<<<< SEARCH  \nold\n=======   \nnew\n>>>>>>> REPLACE \n```";
    const [b] = parseEditBlocks(text, ["a.py"]);
    expect(b).toMatchObject({ path: "a.py", search: "old", replace: "new", rules: ["marker_format"] });
    expect(parseSearchReplace(text).size).toBe(0);
  });

  it("accepts CRLF line ends and says crlf", () => {
    const text = strictBlock("a.py", "old\nline", "new\nline").replace(/\n/g, "\r\n");
    const [b] = parseEditBlocks(text, ["a.py"]);
    expect(b).toMatchObject({ path: "a.py", search: "old\nline", replace: "new\nline", rules: ["crlf"] });
    expect(parseSearchReplace(text).size).toBe(0);
  });

  it("takes the only file in the context when the path line is missing", () => {
    const text = "```python\n<<<<<<< SEARCH\nold\n=======\nnew\n>>>>>>> REPLACE\n```";
    expect(parseEditBlocks(text, ["only.py"])[0]).toMatchObject({ path: "only.py", rules: ["missing_path"] });
    expect(parseEditBlocks(text, ["a.py", "b.py"])[0]).toMatchObject({ path: null, error: "no_path", rules: [] });
  });

  it("reads path lines written other ways and says path_line_format / path_line_position", () => {
    const cases: Array<[string, string[]]> = [
      ["```python\n## a/b.py\n<<<<<<< SEARCH\no\n=======\nn\n>>>>>>> REPLACE\n```", ["path_line_format"]],
      ["```python\n### `a/b.py`\n<<<<<<< SEARCH\no\n=======\nn\n>>>>>>> REPLACE\n```", ["path_line_format"]],
      [
        "File: a/b.py\n```python\n<<<<<<< SEARCH\no\n=======\nn\n>>>>>>> REPLACE\n```",
        ["path_line_format", "path_line_position"],
      ],
      ["### a/b.py\n```python\n<<<<<<< SEARCH\no\n=======\nn\n>>>>>>> REPLACE\n```", ["path_line_position"]],
      ["```python\n\n### a/b.py\n\n<<<<<<< SEARCH\no\n=======\nn\n>>>>>>> REPLACE\n```", ["path_line_position"]],
      [
        "**a/b.py**\n```python\n<<<<<<< SEARCH\no\n=======\nn\n>>>>>>> REPLACE\n```",
        ["path_line_format", "path_line_position"],
      ],
    ];
    for (const [text, rules] of cases) {
      const [b] = parseEditBlocks(text, ["a/b.py", "c.py"]);
      expect({ text, path: b.path, rules: b.rules }).toEqual({ text, path: "a/b.py", rules });
      expect(parseSearchReplace(text).get("a/b.py")).toBeUndefined();
    }
  });

  it("reads several blocks in one fence (Aider style) and says shared_fence / path_from_previous_block", () => {
    const text =
      "```python\n### a.py\n<<<<<<< SEARCH\none\n=======\n1\n>>>>>>> REPLACE\n<<<<<<< SEARCH\ntwo\n=======\n2\n>>>>>>> REPLACE\n```";
    const blocks = parseEditBlocks(text, ["a.py", "b.py"]);
    expect(blocks.map((b) => [b.path, b.search, b.replace, b.rules])).toEqual([
      ["a.py", "one", "1", ["shared_fence"]],
      ["a.py", "two", "2", ["path_from_previous_block", "shared_fence"]],
    ]);
  });

  it("reads blocks with no fence at all, and a fence left open", () => {
    const bare = "### a.py\n<<<<<<< SEARCH\nold\n=======\nnew\n>>>>>>> REPLACE\n";
    expect(parseEditBlocks(bare, ["a.py", "b.py"])[0]).toMatchObject({
      path: "a.py",
      search: "old",
      rules: ["path_line_position", "no_fence"],
    });
    const open = "```python\n### a.py\n<<<<<<< SEARCH\nold\n=======\nnew\n>>>>>>> REPLACE\n";
    expect(parseEditBlocks(open, ["a.py", "b.py"])[0]).toMatchObject({ path: "a.py", rules: ["fence_not_closed"] });
  });

  it("reports an unterminated block and stops there", () => {
    const text = "```python\n### a.py\n<<<<<<< SEARCH\nold\n=======\nnew\n```\n";
    const blocks = parseEditBlocks(text, ["a.py"]);
    expect(blocks).toHaveLength(1);
    expect(blocks[0]).toMatchObject({ path: "a.py", error: "unterminated" });
  });

  it("keeps fence lines and marker look-alikes inside a block's body", () => {
    const search = 'doc = """\n```python\nexample()\n```\n"""\nrule = "=========="';
    const text = strictBlock("a.py", search, search.replace("example", "sample"));
    const [b] = parseEditBlocks(text, ["a.py"]);
    expect(b.search).toBe(search);
    expect(b.rules).toEqual([]);
  });

  it("preserves blank lines and whitespace inside search and replace", () => {
    const text = strictBlock("a.py", "def f():\n\n    x = 1  \n", "def f():\n    x = 2\n");
    const [b] = parseEditBlocks(text, ["a.py"]);
    expect(b.search).toBe("def f():\n\n    x = 1  \n");
    expect(b.replace).toBe("def f():\n    x = 2\n");
  });

  it("does not take a line of the previous block as the next block's path", () => {
    const text =
      "```\n### a.py\n<<<<<<< SEARCH\nx\n=======\ny\n>>>>>>> REPLACE\n<<<<<<< SEARCH\nz\n=======\nw\n>>>>>>> REPLACE\n```";
    expect(parseEditBlocks(text, ["a.py", "b.py"]).map((b) => b.path)).toEqual(["a.py", "a.py"]);
  });
});

describe("path lines and the solution part", () => {
  it("parses path lines", () => {
    expect(parsePathLine("### a/b.py")).toEqual({ path: "a/b.py", strict: true });
    expect(parsePathLine("### a/b.py ")).toEqual({ path: "a/b.py", strict: false });
    expect(parsePathLine("# File: src/x.py")).toEqual({ path: "src/x.py", strict: false });
    expect(parsePathLine("Here is the fix:")).toBeNull();
    expect(parsePathLine("### Fix the parser")).toBeNull();
    expect(parsePathLine("setup.cfg")).toEqual({ path: "setup.cfg", strict: false });
  });

  it("takes edits from <solution>, else after </think>, else the whole answer", () => {
    expect(solutionText("<think>draft ```x```</think>\n<solution>\nS\n</solution>")).toBe("\nS\n");
    expect(solutionText("<think>draft</think>\nafter")).toBe("\nafter");
    expect(solutionText("just text")).toBe("just text");
    expect(solutionText("<solution>\nunclosed")).toBe("\nunclosed");
  });
});
