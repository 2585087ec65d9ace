import { describe, expect, it } from "vitest";
import { mapCodeSource } from "./extract-code.js";
import { CODE_FIXTURES } from "../../test/support/repomap/fixture-code.js";
import { isListedSource, isTestPath } from "./code-listing.js";
import { renderCodeListing, codeListingFiles } from "./code-render.js";
import { toAgentlessStructure, type AgentlessPyFile } from "./structure.js";
import type { CodeFileMap, RepoMap } from "./types.js";
import { languageOfPath, ParserSet } from "../treesitter/languages.js";

const parsers = new ParserSet();

/** "kind name start-end" per definition; methods indented under their class. */
function summary(map: CodeFileMap): string[] {
  const out: string[] = [];
  for (const c of map.classes) {
    out.push(`${c.kind} ${c.name} ${c.start_line}-${c.end_line}`);
    for (const m of c.methods) out.push(`  ${m.kind} ${m.name} ${m.start_line}-${m.end_line}`);
  }
  for (const f of map.functions) out.push(`${f.kind} ${f.name} ${f.start_line}-${f.end_line}`);
  return out;
}

describe("mapCodeSource", () => {
  for (const fx of CODE_FIXTURES) {
    it(`${fx.path}: names, kinds and line ranges`, () => {
      const lang = languageOfPath(fx.path, fx.family)!;
      expect(lang).toBe(fx.language);
      const map = mapCodeSource(parsers.get(lang), lang, fx.source);
      expect(summary(map)).toEqual(fx.expected);
      expect(map.syntax_error).toBe(false);
    });
  }

  it("C: braces that balance only across #ifdef branches do not swallow the next function", () => {
    const src = [
      "int f(int a) {",
      "#ifdef X",
      "  if (a) {",
      "  } else {",
      "#endif",
      "    a++;",
      "#ifdef X",
      "  }",
      "#endif",
      "  return a;",
      "}",
      "int g(void) {",
      "  return 1;",
      "}",
      "",
    ].join("\n");
    expect(summary(mapCodeSource(parsers.get("c"), "c", src))).toEqual(["function f 1-11", "function g 12-14"]);
  });

  it("CRLF line ends give the same lines", () => {
    const fx = CODE_FIXTURES.find((f) => f.language === "go")!;
    const map = mapCodeSource(parsers.get("go"), "go", fx.source.replace(/\n/g, "\r\n"));
    expect(summary(map)).toEqual(fx.expected);
  });
});

describe("listing rules", () => {
  const cases: Array<[string, Parameters<typeof isTestPath>[1], boolean]> = [
    ["context_test.go", "go", true],
    ["context.go", "go", false],
    ["binding/testdata/a.go", "go", true],
    ["tests/integration.rs", "rust", true],
    ["src/lib/tests.rs", "rust", true],
    ["src/lib.rs", "rust", false],
    ["src/test/java/a/FooTest.java", "java", true],
    ["src/main/java/a/Foo.java", "java", false],
    ["src/main/java/a/FooTest.java", "java", true],
    ["lib/__tests__/a.js", "js", true],
    ["lib/a.test.ts", "ts", true],
    ["lib/a.spec.js", "js", true],
    ["lib/latest.js", "js", false],
    ["tests/Unit/FooTest.php", "php", true],
    ["src/Foo.php", "php", false],
    ["spec/foo_spec.rb", "ruby", true],
    ["test/test_foo.rb", "ruby", true],
    ["lib/foo.rb", "ruby", false],
    ["tests/jq.test.c", "c", true],
    ["testing/a.c", "c", true],
    ["src/test_utils.c", "c", true],
    ["src/attest.c", "c", false],
  ];
  for (const [path, family, test] of cases) {
    it(`${family} ${path}: ${test ? "test" : "not a test"}`, () => expect(isTestPath(path, family)).toBe(test));
  }

  it("non-source and vendored files are not listed", () => {
    expect(isListedSource("README.md", "go")).toBe(false);
    expect(isListedSource("vendor/x/y.go", "go")).toBe(false);
    expect(isListedSource("dist/axios.min.js", "js")).toBe(false);
    expect(isListedSource("src/a.cpp", "c")).toBe(false);
    expect(isListedSource("src/a.h", "cpp")).toBe(true);
    expect(languageOfPath("src/a.h", "cpp")).toBe("cpp");
    expect(languageOfPath("src/a.h")).toBe("c");
  });
});

describe("multilingual listing and Agentless structure", () => {
  const fx = CODE_FIXTURES.find((f) => f.language === "go")!;
  const code = mapCodeSource(parsers.get("go"), "go", fx.source);
  const map: RepoMap = {
    commit: null,
    files: [
      { path: "README.md", blob: "1" },
      { path: "context.go", blob: "2", code },
      { path: "context_test.go", blob: "3", code },
      { path: "internal/json/json.go", blob: "4", code },
      { path: "testdata/x.go", blob: "5", code },
    ],
    stats: {
      files: 5,
      py_files: 0,
      cache_hits: 0,
      parsed: 4,
      workers: 0,
      ms: { list: 0, cache: 0, parse: 0, store: 0, total: 0 },
    },
  };

  it("leaves test and non-source files out", () => {
    expect(codeListingFiles(map, { family: "go" })).toEqual(["context.go", "internal/json/json.go"]);
    expect(renderCodeListing(map, { family: "go", indent: 2 })).toBe("context.go\ninternal\n  json\n    json.go\n");
    expect(codeListingFiles(map, { family: "go", tests: true })).toContain("context_test.go");
  });

  it("gives Agentless's shape: classes with methods, functions, text", () => {
    const s = toAgentlessStructure(map, new Map([["context.go", fx.source]]));
    const file = s["context.go"] as AgentlessPyFile;
    expect(Object.keys(file)).toEqual(["classes", "functions", "text"]);
    expect(Object.keys(file.classes[0]!)).toEqual(["name", "start_line", "end_line", "text", "methods"]);
    const cls = code.classes[0]!;
    expect(file.classes[0]!.text).toEqual(fx.source.split("\n").slice(cls.start_line - 1, cls.end_line));
    expect(s["README.md"]).toEqual({});
  });
});
