import { describe, expect, it } from "vitest";
import { filterMessages, parseFilterAnswer, regressOracleAnswers } from "./filter.js";
import { directivesFor, localizedTestFiles, touchedTestFiles } from "./select.js";

const testPatch = [
  "diff --git a/tests/test_slug.py b/tests/test_slug.py",
  "--- a/tests/test_slug.py",
  "+++ b/tests/test_slug.py",
  "@@ -1 +1,3 @@",
  " import x",
  "+def test_digits():",
  "+    assert x",
  "diff --git a/tests/test_new.py b/tests/test_new.py",
  "new file mode 100644",
  "diff --git a/tests/data.json b/tests/data.json",
].join("\n");

describe("regression test selection", () => {
  it("touched: the test patch's test files that exist at base_commit, data files left out", () => {
    expect(
      touchedTestFiles({ test_patch: testPatch }, new Set(["tests/test_slug.py", "tests/data.json", "src/x.py"])),
    ).toEqual(["tests/test_slug.py"]);
  });

  it("localized: test files named after or importing a localized module", () => {
    const contents = {
      "tests/test_other.py": "from textkit.slug import slugify\n",
      "tests/test_misc.py": "import os\nfrom textkit import words\n",
      "tests/test_unrelated.py": "import json\n",
    };
    const files = ["tests/test_slug.py", ...Object.keys(contents)];
    expect(localizedTestFiles(["src/textkit/slug.py"], files, contents).sort()).toEqual([
      "tests/test_other.py",
      "tests/test_slug.py",
    ]);
    expect(localizedTestFiles(["textkit/words.py"], files, contents)).toEqual(["tests/test_misc.py"]);
  });

  it("names django tests as dotted modules, the rest as paths", () => {
    expect(directivesFor("django/django", ["tests/utils_tests/test_html.py"])).toEqual(["utils_tests.test_html"]);
    expect(directivesFor("psf/requests", ["tests/test_requests.py"])).toEqual(["tests/test_requests.py"]);
  });

  it("parses the model filter's answer as the reference: its lines as they are, compared exactly", () => {
    const passing = ["tests/test_slug.py::test_digits", "tests/test_slug.py::test_plain"];
    expect(
      parseFilterAnswer(
        "<think>\ntests/test_slug.py::test_plain\n</think>\n```\n- tests/test_slug.py::test_digits\nmade_up\n```",
        passing,
      ),
    ).toEqual({ drop: [], unknown: ["- tests/test_slug.py::test_digits", "made_up"] });
    expect(
      parseFilterAnswer("```\ntests/test_slug.py::test_digits\n  tests/test_slug.py::test_plain\n```\n", passing),
    ).toEqual({ drop: ["tests/test_slug.py::test_digits"], unknown: [] });
    expect(parseFilterAnswer("  tests/test_slug.py::test_plain  ", passing)).toEqual({
      drop: ["tests/test_slug.py::test_plain"],
      unknown: [],
    });
    expect(parseFilterAnswer("", passing)).toEqual({ drop: [], unknown: [] });
  });

  it("the filter prompt is the reference's template, formatted and stripped", () => {
    const [m] = filterMessages("  Slugs keep dashes.\n", ["a::t1", "b::t2"]);
    expect(m!.content).toBe(
      [
        "We are currently solving the following issue within our repository. Here is the issue text:",
        "--- BEGIN ISSUE ---",
        "  Slugs keep dashes.",
        "",
        "--- END ISSUE ---",
        "",
        "Below are a list of existing tests in the repository.",
        "```",
        "a::t1",
        "b::t2",
        "```",
        "",
        "Please identify the tests that should not be run after applying the patch to fix the issue.",
        "These tests should be excluded as the original functionality may change due to the patch.",
        "",
        "### Example",
        "```",
        "test1",
        "test2",
        "test5",
        "```",
        "Return only the selected tests.",
      ].join("\n"),
    );
  });

  it("the oracle names the passing tests whose function the test patch edits", () => {
    const build = regressOracleAnswers([{ instance_id: "i", test_patch: testPatch } as never]).regress_filter!;
    const listed = filterMessages("issue", ["tests/test_slug.py::test_digits", "tests/test_slug.py::test_plain"])[0]!
      .content;
    const answers = Array.from({ length: 20 }, (_, k) =>
      build({
        req: { instanceId: "i", messages: [{ role: "user", content: listed }] } as never,
        random: () => (k + 0.5) / 20,
      } as never),
    );
    const parsed = answers.map((a) =>
      parseFilterAnswer(a, ["tests/test_slug.py::test_digits", "tests/test_slug.py::test_plain"]),
    );
    expect(parsed.filter((p) => p.drop.join() === "tests/test_slug.py::test_digits").length).toBeGreaterThan(10);
    expect(parsed.every((p) => !p.drop.includes("tests/test_slug.py::test_plain"))).toBe(true);
  });

  it("the oracle knows other languages' test definitions: Go funcs, Rust fns, JS test(…) calls", () => {
    const cases: { patch: string; edited: string; kept: string }[] = [
      {
        patch: "-func TestCompare(t *testing.T) {\n+func TestCompare(t *testing.T) { // x\n",
        edited: "TestCompare/prerelease",
        kept: "TestParse",
      },
      {
        patch: "-fn parses_quotes() {\n+fn parses_quotes() { // x\n",
        edited: "tests::parses_quotes",
        kept: "tests::parses_plain",
      },
      {
        patch: "-test('parses a=1', () => {\n+test('parses a=1', async () => {\n",
        edited: "parses a=1",
        kept: "parses b=2",
      },
    ];
    for (const c of cases) {
      const build = regressOracleAnswers([{ instance_id: "i", test_patch: c.patch } as never]).regress_filter!;
      const listed = filterMessages("issue", [c.edited, c.kept])[0]!.content;
      const answer = build({
        req: { instanceId: "i", messages: [{ role: "user", content: listed }] } as never,
        random: () => 0.5,
      } as never);
      expect(parseFilterAnswer(answer, [c.edited, c.kept]).drop).toEqual([c.edited]);
    }
  });
});
