// The vote's canonical form for other languages: real tree-sitter parses of small files.
import { describe, expect, it } from "vitest";
import { unifiedDiff } from "../reward/unified-diff.js";
import { CodePatchNormalizer } from "./normalize-code.js";
import type { LanguageFamily } from "../treesitter/languages.js";

const diffOf = (path: string, a: string, b: string): string =>
  [
    `diff --git a/${path} b/${path}`,
    ...unifiedDiff(a.split("\n").slice(0, -1), b.split("\n").slice(0, -1), {
      fromfile: `a/${path}`,
      tofile: `b/${path}`,
      lineterm: "",
    }),
  ].join("\n") + "\n";

interface Case {
  family: LanguageFamily;
  path: string;
  original: string;
  fix: string;
  /** The same fix, written differently (comments, spacing, indentation, blank lines). */
  restyled: string;
  /** A fix that differs only inside a string literal's spaces (a different program). */
  otherString: string;
  /** Comments only. */
  commentOnly: string;
}

const CASES: Case[] = [
  {
    family: "go",
    path: "a.go",
    original: 'package a\n\nfunc F(x int) string {\n\treturn "x"\n}\n',
    fix: 'package a\n\nfunc F(x int) string {\n\tif x > 0 {\n\t\treturn "y"\n\t}\n\treturn "x"\n}\n',
    restyled:
      'package a\n\nfunc F(x int) string {\n  // positive numbers\n  if x>0 {\n      return "y"   // why\n  }\n\n  return "x"\n}\n',
    otherString: 'package a\n\nfunc F(x int) string {\n\tif x > 0 {\n\t\treturn "y "\n\t}\n\treturn "x"\n}\n',
    commentOnly: 'package a\n\n// F names x.\nfunc F(x int) string {\n\treturn "x" /* always */\n}\n',
  },
  {
    family: "rust",
    path: "src/lib.rs",
    original: 'pub fn f(x: i32) -> &\'static str {\n    "x"\n}\n',
    fix: 'pub fn f(x: i32) -> &\'static str {\n    if x > 0 {\n        return "y";\n    }\n    "x"\n}\n',
    restyled:
      'pub fn f(x: i32) -> &\'static str {\n    /// doc\n    if x>0 {\n            return "y" ;\n    }\n    // fallback\n    "x"\n}\n',
    otherString: 'pub fn f(x: i32) -> &\'static str {\n    if x > 0 {\n        return "y  ";\n    }\n    "x"\n}\n',
    commentOnly: '/// f says x.\npub fn f(x: i32) -> &\'static str {\n    "x" // yes\n}\n',
  },
  {
    family: "js",
    path: "lib/a.js",
    original: "function f(x) {\n  return `x`;\n}\n",
    fix: "function f(x) {\n  if (x > 0) {\n    return 'y';\n  }\n  return `x`;\n}\n",
    restyled:
      "function f(x) {\n    /* positive */\n    if (x>0) {\n        return 'y'; // y\n    }\n\n    return `x`;\n}\n",
    otherString: "function f(x) {\n  if (x > 0) {\n    return 'y ';\n  }\n  return `x`;\n}\n",
    commentOnly: "/** f */\nfunction f(x) {\n  // x\n  return `x`;\n}\n",
  },
];

describe("CodePatchNormalizer", () => {
  for (const c of CASES) {
    it(`${c.family}: a restyled fix normalizes like the fix; a changed string or a different fix does not; comments alone normalize to ""`, () => {
      const n = new CodePatchNormalizer(c.family);
      const originals = { [c.path]: c.original };
      const key = (text: string) => n.normalizeNow(diffOf(c.path, c.original, text), originals).normalized;
      expect(key(c.fix)).not.toBe("");
      expect(key(c.restyled)).toBe(key(c.fix));
      expect(key(c.otherString)).not.toBe(key(c.fix));
      expect(key(c.commentOnly)).toBe("");
    });
  }

  it("compares a file with a syntax error, or of no grammar, on its raw text", () => {
    const n = new CodePatchNormalizer("go");
    const original = "package a\n\nfunc F() int {\n\treturn 1\n}\n";
    const broken = "package a\n\nfunc F() int {\n\treturn (1\n}\n";
    const brokenSpaced = "package a\n\nfunc F() int {\n\treturn  (1\n}\n";
    const k1 = n.normalizeNow(diffOf("a.go", original, broken), { "a.go": original }).normalized;
    const k2 = n.normalizeNow(diffOf("a.go", original, brokenSpaced), { "a.go": original }).normalized;
    expect(k1).not.toBe(k2);
    const k3 = n.normalizeNow(diffOf("go.mod", "module a\n", "module  a\n"), { "go.mod": "module a\n" }).normalized;
    expect(k3).toContain("+module  a");
  });

  it("a change that only adds a function keeps only its lines (where it is added does not matter)", () => {
    const n = new CodePatchNormalizer("go");
    const original = "package a\n\nfunc F() int {\n\treturn 1\n}\n\nfunc H() int {\n\treturn 3\n}\n";
    const early =
      "package a\n\nfunc G() int {\n\treturn 2\n}\n\nfunc F() int {\n\treturn 1\n}\n\nfunc H() int {\n\treturn 3\n}\n";
    const late =
      "package a\n\nfunc F() int {\n\treturn 1\n}\n\nfunc H() int {\n\treturn 3\n}\n\nfunc G() int {\n\treturn 2\n}\n";
    const key = (t: string) => n.normalizeNow(diffOf("a.go", original, t), { "a.go": original }).normalized;
    expect(key(early)).toBe(key(late));
    expect(key(early)).toContain("+func G ( ) int {");
  });
});
