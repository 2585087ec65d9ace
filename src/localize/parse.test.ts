// Parsing localization answers: every failure with its status and reason, paths normalized,
// only files of the listing kept, duplicates dropped, at most n.
import { describe, expect, it } from "vitest";
import { answerPart, parseLocalizationOutput, pathOfLine, resolvePath, type ParseContext } from "./parse.js";

// The demo's durations repo: package durations/ inside the repo named durations.
const listed = new Set(["conftest.py", "durations/__init__.py", "durations/format.py", "durations/parse.py"]);
const repoFiles = new Set([
  ...listed,
  "README.rst",
  "tests/__init__.py",
  "tests/test_parse.py",
  "tests/test_format.py",
]);
const ctx: ParseContext = { listed, repoFiles, repo: "swerl-demo/durations", maxFiles: 5 };
const parse = (output: string, over: Partial<ParseContext> = {}) =>
  parseLocalizationOutput(output, { ...ctx, ...over });
const think = (solution: string) =>
  `<think>\nThe parser is at fault; maybe durations/format.py too.\n</think>\n<solution>\n${solution}\n</solution>`;

describe("localization answers that give files", () => {
  it("reads the <solution> of a thinking answer, not the thought", () => {
    const r = parse(think("```\ndurations/parse.py\n```"));
    expect(r).toEqual({
      found_files: ["durations/parse.py"],
      status: "ok",
      error: null,
      thinking: true,
      fenced: true,
      dropped: [],
      notes: [],
    });
  });

  it("reads a plain answer's fenced block, in the order named, any language tag", () => {
    const r = parse(
      "Here they are:\n```text\ndurations/parse.py\ndurations/__init__.py\n```\nAlso durations/format.py maybe.",
    );
    expect(r.found_files).toEqual(["durations/parse.py", "durations/__init__.py"]);
    expect(r).toMatchObject({ status: "ok", thinking: false, fenced: true });
  });

  it("strips line numbers and descriptions after a path, list markers and markdown before it", () => {
    const r = parse(
      think(
        [
          "```",
          "durations/parse.py:12",
          "- durations/format.py - formats a number of seconds",
          "1. `durations/__init__.py` (line 3)",
          "conftest.py#L1-L9",
          "```",
        ].join("\n"),
      ),
    );
    expect(r.found_files).toEqual([
      "durations/parse.py",
      "durations/format.py",
      "durations/__init__.py",
      "conftest.py",
    ]);
    expect(r.dropped).toEqual([]);
  });

  it("normalizes ./, a/, /testbed/ and a leading repo-name folder, but keeps a path that exists as written", () => {
    const r = parse(
      think(
        "```\n./durations/parse.py\na/durations/format.py\ndurations/durations/__init__.py\n/testbed/conftest.py\n```",
      ),
    );
    expect(r.found_files).toEqual([
      "durations/parse.py",
      "durations/format.py",
      "durations/__init__.py",
      "conftest.py",
    ]);
    // "durations/parse.py" starts with the repo name yet is a file as written: never stripped to "parse.py"
    expect(resolvePath("durations/parse.py", ctx)).toEqual({ path: "durations/parse.py" });
    expect(resolvePath("swerl-demo/durations/durations/parse.py", ctx)).toEqual({ path: "durations/parse.py" });
    expect(resolvePath(".\\durations\\format.py", ctx)).toEqual({ path: "durations/format.py" });
  });

  it("drops duplicates (after normalization) and keeps at most n, saying so", () => {
    const r = parse("```\ndurations/parse.py\n./durations/parse.py\ndurations/format.py\ndurations/__init__.py\n```", {
      maxFiles: 2,
    });
    expect(r.found_files).toEqual(["durations/parse.py", "durations/format.py"]);
    expect(r.dropped).toEqual([
      { path: "./durations/parse.py", reason: "duplicate" },
      { path: "durations/__init__.py", reason: "over_limit" },
    ]);
    expect(r.status).toBe("ok");
  });

  it("keeps the files of the listing when some named paths do not exist, recording the others", () => {
    const r = parse("```\ndurations/missing.py\ndurations/parse.py\ntests/test_parse.py\n```");
    expect(r.found_files).toEqual(["durations/parse.py"]);
    expect(r.dropped).toEqual([
      { path: "durations/missing.py", reason: "not_in_repo" },
      { path: "tests/test_parse.py", reason: "not_listed" },
    ]);
  });

  it("with no fenced block, reads paths from every line (as SWE-RL does) and notes it", () => {
    const r = parse("durations/parse.py\ndurations/format.py");
    expect(r.found_files).toEqual(["durations/parse.py", "durations/format.py"]);
    expect(r).toMatchObject({
      status: "ok",
      fenced: false,
      notes: ["no fenced block: paths read from every line of the answer"],
    });
  });

  it("handles CRLF and an unclosed fence (runs to the end)", () => {
    expect(parse("```\r\ndurations/parse.py\r\ndurations/format.py").found_files).toEqual([
      "durations/parse.py",
      "durations/format.py",
    ]);
  });
});

describe("localization answers that give no file, each with a reason", () => {
  it("no fenced block and no path: no_fenced_block", () => {
    const r = parse(think("The bug is in how durations are parsed; I would look at the parser."));
    expect(r).toMatchObject({
      found_files: [],
      status: "no_fenced_block",
      fenced: false,
      error: "no fenced block, and no line of the answer names a file",
    });
  });

  it("paths that do not exist (or are not in the listing): nonexistent_paths, naming them", () => {
    const r = parse("```\ndurations/parsing.py\nREADME.rst\ntests/test_parse.py\n```");
    expect(r.status).toBe("nonexistent_paths");
    expect(r.found_files).toEqual([]);
    expect(r.error).toBe(
      'none of the paths named is a file of the listing: not in the repository at base_commit: "durations/parsing.py"; ' +
        'not in the listing (tests and non-.py files are left out): "README.rst", "tests/test_parse.py"',
    );
    const unfenced = parse("src/durations/parse.py");
    expect(unfenced).toMatchObject({ status: "nonexistent_paths", fenced: false });
    expect(unfenced.error).toMatch(/"src\/durations\/parse\.py" \(and no fenced block\)$/);
  });

  it("an empty answer: empty_answer, for each way of being empty", () => {
    expect(parse("")).toMatchObject({ status: "empty_answer", error: "empty answer", found_files: [] });
    expect(parse(" \n\t ")).toMatchObject({ status: "empty_answer", error: "empty answer" });
    expect(parse(think(""))).toMatchObject({
      status: "empty_answer",
      error: "empty answer: nothing after the thought",
    });
    expect(parse("<think>\nstill thinking about durations/parse.py")).toMatchObject({
      status: "empty_answer",
      thinking: true,
      error: "empty answer: the thought never ends (<think> without </think> or <solution>)",
    });
    expect(parse("```\n```")).toMatchObject({
      status: "empty_answer",
      error: "empty answer: the fenced block names no file",
    });
    expect(parse("```\nI am not sure which files.\n```")).toMatchObject({ status: "empty_answer" });
  });

  it("takes the answer after </think> when there is no <solution> tag", () => {
    expect(answerPart("<think>a</think>\nb")).toEqual({ text: "\nb", thinking: true, unfinished: false });
    expect(parse("<think>durations/format.py?</think>\n```\ndurations/parse.py\n```").found_files).toEqual([
      "durations/parse.py",
    ]);
  });
});

describe("path lines", () => {
  it("takes the leading path token, or nothing when the line is prose", () => {
    expect(pathOfLine("  * **durations/parse.py**: the parser")).toBe("durations/parse.py");
    expect(pathOfLine("durations/parse.py.")).toBe("durations/parse.py");
    expect(pathOfLine("setup.py, line 4")).toBe("setup.py");
    expect(pathOfLine("The parser, e.g. parse_duration")).toBeNull();
    expect(pathOfLine("3.14")).toBeNull();
    expect(pathOfLine("```")).toBeNull();
    expect(pathOfLine("")).toBeNull();
  });
});
