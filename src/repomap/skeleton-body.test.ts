// Blanking function bodies in the skeleton (skeleton-body.ts) must change nothing in the map:
// on real sympy files and on copies of them broken in the ways that change how tree-sitter
// recovers (a missing colon, a stray dedent, a clause out of place, a nested class...), the
// skeleton's map equals the full parse's.
import { describe, expect, it } from "vitest";
import { mapPythonSource, mapTree } from "./extract.js";
import type { PyFileMap } from "./types.js";
import { pythonSkeleton } from "./skeleton.js";
import { canBlankBody, type BodyLine } from "./skeleton-body.js";
import { createPythonParser } from "../treesitter/python.js";
import { readGzipJson, type RealFilesRow } from "../../test/support/grouping-cases.js";
import { mutatePython } from "../../test/support/repomap/mutate-python.js";

const parser = createPythonParser();
const rows = readGzipJson<RealFilesRow[]>(new URL("../normalize/testdata/sympy-files.json.gz", import.meta.url));
const files = rows.flatMap((r) => Object.values(r.files));

/** mapPythonSource's skeleton path, with every function body kept. */
function unblanked(text: string): PyFileMap {
  const skeleton = pythonSkeleton(text, { blankBodies: false });
  if (skeleton.clean) {
    const tree = parser.parse(skeleton.text);
    if (!tree.rootNode.hasError) return mapTree(tree.rootNode, { comments: false });
  }
  return mapPythonSource(parser, text, "full");
}

const line = (indent: number, text: string, short = ""): BodyLine => ({
  indent: " ".repeat(indent),
  text,
  short,
});

describe("canBlankBody", () => {
  it("accepts bodies of simple statements, nested defs and well-placed clauses", () => {
    expect(canBlankBody("", [line(4, "x = f(_)"), line(4, "return x")])).toBe(true);
    const tryExcept = [
      line(4, "try:"),
      line(8, "_"),
      line(4, "except ValueError:", "except _:"),
      line(8, "_"),
      line(4, "else:"),
      line(8, "_"),
      line(4, "finally:"),
      line(8, "_"),
    ];
    expect(canBlankBody("", tryExcept)).toBe(true);
    const nested = [line(4, "@wraps(_)"), line(4, "def inner(_):"), line(8, "return 1"), line(4, "return inner")];
    expect(canBlankBody("", nested)).toBe(true);
  });

  it("refuses a nested class, a header without its block, clauses out of place, odd indentation", () => {
    expect(canBlankBody("", [line(4, "class K:"), line(8, "pass")])).toBe(false);
    expect(canBlankBody("", [line(4, "if x:", "if _:"), line(4, "y")])).toBe(false);
    expect(canBlankBody("", [line(4, "x"), line(4, "else:"), line(8, "y")])).toBe(false);
    expect(canBlankBody("", [line(4, "try:"), line(8, "x"), line(4, "y")])).toBe(false);
    const innerTry = [line(4, "if x:", "if _:"), line(8, "try:"), line(12, "a"), line(4, "b")];
    expect(canBlankBody("", innerTry)).toBe(false);
    expect(canBlankBody("", [line(4, "x"), line(8, "y")])).toBe(false); // unexpected indent
    expect(canBlankBody("", [line(8, "if x:", "if _:"), line(12, "y"), line(6, "z")])).toBe(false); // dedent to no level
    expect(canBlankBody("", [{ indent: "\t", text: "x", short: "" }])).toBe(false);
    expect(canBlankBody("", [line(4, "x = 1 + \\")])).toBe(false);
    expect(canBlankBody("", [line(4, "@dec"), line(4, "x = 1")])).toBe(false);
    expect(canBlankBody("", [line(4, "match _:", "match _:"), line(8, "x")])).toBe(false);
  });
});

describe("the skeleton with blanked bodies", () => {
  it("blanks most function bodies of real sympy files and maps them as a full parse does", () => {
    let before = 0;
    let after = 0;
    for (const text of files) {
      expect(mapPythonSource(parser, text, "skeleton")).toEqual(mapPythonSource(parser, text, "full"));
      before += text.split("\n").filter((l) => l.trim() && !l.trim().startsWith("#")).length;
      after += pythonSkeleton(text)
        .text.split("\n")
        .filter((l) => l.trim()).length;
    }
    // what is left: def/class lines, decorators, one statement per body, module-level code
    expect(after).toBeLessThan(before * 0.3);
  });

  // The skeleton never promised the full parse's map of a damaged file: errors inside brackets,
  // strings and simple statements are not looked for (types.ts). Blanking must keep the map the
  // skeleton gave before it; and where the file parses cleanly, the full parse's.
  it("maps broken copies of them as the skeleton without blanking does (1,200 seeded mutations)", () => {
    let random = 20261206;
    const next = (n: number): number => {
      random = (random * 1103515245 + 12345) % 2147483648;
      return random % n;
    };
    let damaged = 0;
    for (let round = 0; round < 1200; round++) {
      // 250 lines from a top-level def or class of a real file (small files: a quicker full parse)
      const lines = files[round % files.length]!.split("\n");
      const tops = lines.flatMap((l, i) => (/^(def|class|@)/.test(l) ? [i] : []));
      const from = tops[next(tops.length)]!;
      const src = lines.slice(from, from + 250);
      for (let m = 0; m < 3; m++) mutatePython(src, next);
      const text = src.join("\n");
      const full = mapPythonSource(parser, text, "full");
      const skeleton = mapPythonSource(parser, text, "skeleton");
      if (full.syntax_error) damaged++;
      else expect(skeleton, `round ${round}`).toEqual(full);
      expect(skeleton, `round ${round}`).toEqual(unblanked(text));
    }
    expect(damaged).toBeGreaterThan(300); // most mutations do break the file
  });
});
