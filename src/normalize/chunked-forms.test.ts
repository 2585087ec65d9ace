// Chunked forms (chunked-forms.ts) give the keys whole-file parses give, and are what runs: the
// cases below are the edits where parsing a span alone could go wrong (a span that must start
// earlier, a line continuation at its end, a member that leaves its class), then random edits.
import { describe, expect, it } from "vitest";
import { patchOfFiles } from "../../test/support/noisy-patches.js";
import { readGzipJson, type RealFilesRow } from "../../test/support/grouping-cases.js";
import { seededRandom } from "../util/seeded-random.js";
import { InstanceNormalizer } from "./instance-normalizer.js";

const ORIGINAL = `import os

a = 1
b = 2


def f(x):
    if x:
        return 1
    return 2


@decorate
class A(Base):
    """Doc."""

    x = 1

    def g(self):
        return self.x

    # between
    @property
    def h(self):
        class Inner:
            def g(self):
                return 0
        return Inner


class Docs:
    """only a docstring"""


c = 3
`;

const PATH = "m.py";

/** Keys of each new text, chunked and whole, and the chunked normalizer's stats. */
function keys(original: string, texts: readonly string[]) {
  const chunked = new InstanceNormalizer({ [PATH]: original });
  const whole = new InstanceNormalizer({ [PATH]: original }, { chunked: false });
  const pairs = texts.map((t) => {
    const patch = patchOfFiles({ [PATH]: original }, { [PATH]: t });
    return [chunked.normalize(patch).normalized, whole.normalize(patch).normalized];
  });
  return { pairs, stats: chunked.chunked!.stats, parses: chunked.stats.parses };
}

const replaceLine = (text: string, from: string, to: string): string => {
  expect(text).toContain(from);
  return text.replace(from, to);
};

describe("chunked forms", () => {
  it("re-parse only the members a change touched, with the keys of whole parses", () => {
    const edits = [
      replaceLine(ORIGINAL, "        return self.x\n", "        return self.x + 1\n"),
      replaceLine(ORIGINAL, "                return 0\n", "                return 1\n"),
      replaceLine(ORIGINAL, "    # between\n", "    # between\n    y = 2\n"),
      replaceLine(ORIGINAL, "c = 3\n", "c = 3\n\n\ndef _helper(x):\n    return x\n"),
    ];
    const { pairs, stats, parses } = keys(ORIGINAL, edits);
    for (const [chunked, whole] of pairs) expect(chunked).toBe(whole);
    expect(pairs.every(([chunked]) => chunked !== "")).toBe(true);
    expect(stats.memberSpansParsed).toBe(3);
    expect(stats.spansParsed).toBe(1);
    expect(stats.fallbacks).toBe(0);
    expect(parses).toBe(1); // the original alone
  });

  it("give the whole parse's keys where a span alone could parse otherwise", () => {
    const edits = [
      // indented: joins the function above (a span starting at the changed line would not see it)
      replaceLine(ORIGINAL, "\nc = 3\n", "\n    c = 3\n"),
      replaceLine(ORIGINAL, "b = 2\n", "    b = 2\n"),
      // a line continuation at the end of a span joins the next statement (a syntax error)
      replaceLine(ORIGINAL, "a = 1\n", "a = 1 \\\n"),
      replaceLine(ORIGINAL, "    x = 1\n", "    x = 1 + \\\n"),
      // a member that leaves its class, a clause that continues the statement before it
      replaceLine(ORIGINAL, "    def g(self):\n        return self.x\n", "def g(self):\n    return 1\n"),
      replaceLine(ORIGINAL, "    return 2\n", "    return 2\nelse:\n    pass\n"),
      replaceLine(ORIGINAL, "import os\n", "import os, \\\n"),
      replaceLine(ORIGINAL, "class A(Base):\n", "class A(Base, Mixin):\n"),
      replaceLine(ORIGINAL, '    """Doc."""\n', "    'other doc'\n"),
      replaceLine(ORIGINAL, '    """only a docstring"""\n', '    """changed"""\n'),
      replaceLine(ORIGINAL, "        class Inner:\n", "        class Inner(object):\n"),
      replaceLine(ORIGINAL, "                return 0\n", "                return (0,\n"),
      `x = 0\n${ORIGINAL}`,
      `${ORIGINAL}    d = 4\n`,
      "",
    ];
    const { pairs } = keys(ORIGINAL, edits);
    pairs.forEach(([chunked, whole], i) => expect(chunked, `edit ${i}`).toBe(whole));
  });

  it("give the whole parse's keys on random line edits of a real file", () => {
    const rows = readGzipJson<RealFilesRow[]>(new URL("testdata/sympy-files.json.gz", import.meta.url));
    const original = Object.values(rows.find((r) => r.instance_id === "sympy__sympy-12096")!.files)[0]!;
    const lines = original.split("\n");
    const random = seededRandom(17);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const texts = Array.from({ length: 80 }, () => {
      const ls = [...lines];
      for (let e = 1 + Math.floor(random() * 3); e > 0; e--) {
        const at = Math.floor(random() * ls.length);
        const line = ls[at]!;
        const change = pick([
          () => ls.splice(at, 1),
          () => ls.splice(at, 0, `${/^\s*/.exec(line)![0]}y = ${at}`),
          () => ls.splice(at, 0, pick(["", "# c", "    # c", "else:", "    pass", "def g():", "@dec", ")"])),
          () => (ls[at] = `    ${line}`),
          () => (ls[at] = line.replace(/^ {4}/, "")),
          () => (ls[at] = `${line} \\`),
          () => (ls[at] = line.replace(/\b(\w+)\b/, "$1_b")),
        ]);
        change();
      }
      return ls.join("\n");
    });
    const { pairs, stats } = keys(original, texts);
    pairs.forEach(([chunked, whole], i) => expect(chunked, `text ${i}`).toBe(whole));
    // most edits leave a span that parses alone
    expect(stats.fallbacks).toBeLessThan(texts.length / 2);
  }, 120_000);
});
