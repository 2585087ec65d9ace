// The grammar's syntax check of edits in other languages: real tree-sitter parses.
import { describe, expect, it } from "vitest";
import { CodeSyntaxChecker } from "./syntax-code.js";
import type { LanguageFamily } from "../treesitter/languages.js";

interface Case {
  family: LanguageFamily;
  path: string;
  original: string;
  fine: string;
  broken: string;
}

const CASES: Case[] = [
  {
    family: "go",
    path: "a.go",
    original: "package a\n\nfunc F(x int) int {\n\treturn x + 1\n}\n",
    fine: "package a\n\nfunc F(x int) int {\n\treturn x + 2\n}\n",
    broken: "package a\n\nfunc F(x int) int {\n\treturn x +\n",
  },
  {
    family: "rust",
    path: "src/lib.rs",
    original: "pub fn f(x: i32) -> i32 {\n    x + 1\n}\n",
    fine: "pub fn f(x: i32) -> i32 {\n    x.saturating_add(1)\n}\n",
    broken: "pub fn f(x: i32) -> i32 {\n    let y = ;\n    x + 1\n}\n",
  },
  {
    family: "js",
    path: "lib/a.js",
    original: "function f(x) {\n  return x + 1;\n}\nmodule.exports = { f };\n",
    fine: "function f(x) {\n  return x + 2;\n}\nmodule.exports = { f };\n",
    broken: "function f(x) {\n  return x + ;\n}\nmodule.exports = { f };\n",
  },
  {
    family: "ts",
    path: "src/a.ts",
    original: "export function f(x: number): number {\n  return x + 1;\n}\n",
    fine: "export function f(x: number): number {\n  return x * 2;\n}\n",
    broken: "export function f(x: number): number {\n  return (x + 1;\n}\n",
  },
  {
    family: "java",
    path: "A.java",
    original: "class A {\n  int f(int x) { return x + 1; }\n}\n",
    fine: "class A {\n  int f(int x) { return x + 2; }\n}\n",
    broken: "class A {\n  int f(int x) { return x + ; }\n}\n",
  },
  {
    family: "c",
    path: "a.c",
    original: "int f(int x) {\n  return x + 1;\n}\n",
    fine: "int f(int x) {\n  return x + 2;\n}\n",
    broken: "int f(int x) {\n  return x + ;\n}\n",
  },
  {
    family: "php",
    path: "A.php",
    original: "<?php\nfunction f($x) {\n  return $x + 1;\n}\n",
    fine: "<?php\nfunction f($x) {\n  return $x + 2;\n}\n",
    broken: "<?php\nfunction f($x) {\n  return $x + ;\n}\n",
  },
  {
    family: "ruby",
    path: "lib/a.rb",
    original: "def f(x)\n  x + 1\nend\n",
    fine: "def f(x)\n  x + 2\nend\n",
    broken: "def f(x)\n  x + (\nend\n",
  },
];

describe("CodeSyntaxChecker (lenient: a new ERROR/MISSING node)", () => {
  for (const c of CASES) {
    it(`${c.family}: a good edit passes, a broken one is reported with its line`, () => {
      const checker = new CodeSyntaxChecker(c.family);
      expect(checker.introducedError(c.path, c.original, c.fine)).toBeNull();
      expect(checker.introducedError(c.path, c.original, c.broken)).toMatch(
        /^line \d+, column \d+: (missing|unexpected)/,
      );
      expect(checker.newErrors({ [c.path]: c.original }, { [c.path]: c.broken })).toHaveProperty([c.path]);
      expect(checker.strictErrors({ [c.path]: c.fine })).toEqual({});
      expect(checker.strictErrors({ [c.path]: c.broken })).toHaveProperty([c.path]);
    });
  }

  it("does not blame an edit for errors the file already had, but does for one more", () => {
    const checker = new CodeSyntaxChecker("go");
    const already = "package a\n\nfunc F() {\n\tx := \n}\n\nfunc G() int {\n\treturn 1\n}\n";
    expect(checker.introducedError("a.go", already, already.replace("return 1", "return 2"))).toBeNull();
    expect(checker.introducedError("a.go", already, already.replace("return 1", "return ]"))).not.toBeNull();
    expect(checker.strictErrors({ "a.go": already })).toHaveProperty(["a.go"]);
  });

  it("leaves files of no grammar of the family alone; an empty file fails the strict check", () => {
    const checker = new CodeSyntaxChecker("rust");
    expect(checker.introducedError("Cargo.toml", "a = 1\n", "a = [\n")).toBeNull();
    expect(checker.introducedError("lib.go", "package a\n", "package\n")).toBeNull(); // a Go file in a Rust repo
    expect(checker.strictErrors({ "src/lib.rs": "  \n" })).toHaveProperty(["src/lib.rs"]);
  });
});
