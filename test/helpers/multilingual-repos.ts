// Test support: three small repos of other languages (Go, Rust, JavaScript), each a real git
// repo made in a temp dir (base commit, then an instance row with a gold patch and a test patch
// made by git itself), in SWE-bench's row format. Unknown to the spec tables on purpose: their
// language is found from their files, as for any repo no table knows.
import { execFileSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Instance } from "../../src/dataset/schema.js";
import { makeFixtureRepo } from "../support/fixture-repo.js";

export interface MlRepoFixture {
  repo: string;
  family: "go" | "rust" | "js";
  base: Record<string, string>;
  gold: Record<string, string>;
  tests: Record<string, string>;
  problem: string;
}

const lines = (...l: string[]): string => l.join("\n") + "\n";

export const ML_FIXTURES: MlRepoFixture[] = [
  {
    repo: "fixture/semver-go",
    family: "go",
    base: {
      "go.mod": "module example.com/semver\n\ngo 1.19\n",
      "README.md": "# semver\n",
      "version.go": lines(
        "package semver",
        "",
        "import (",
        '\t"fmt"',
        '\t"strconv"',
        '\t"strings"',
        ")",
        "",
        "// Version is a parsed semantic version.",
        "type Version struct {",
        "\tMajor, Minor, Patch int",
        "}",
        "",
        '// Parse reads "1.2.3".',
        "func Parse(s string) (Version, error) {",
        '\tparts := strings.Split(s, ".")',
        "\tif len(parts) != 3 {",
        '\t\treturn Version{}, fmt.Errorf("bad version %q", s)',
        "\t}",
        "\tvar v Version",
        "\tvar err error",
        "\tif v.Major, err = strconv.Atoi(parts[0]); err != nil {",
        "\t\treturn Version{}, err",
        "\t}",
        "\tif v.Minor, err = strconv.Atoi(parts[1]); err != nil {",
        "\t\treturn Version{}, err",
        "\t}",
        "\tif v.Patch, err = strconv.Atoi(parts[2]); err != nil {",
        "\t\treturn Version{}, err",
        "\t}",
        "\treturn v, nil",
        "}",
        "",
        "// Less orders versions.",
        "func (v Version) Less(o Version) bool {",
        "\tif v.Major != o.Major {",
        "\t\treturn v.Major < o.Major",
        "\t}",
        "\treturn v.Minor < o.Minor",
        "}",
      ),
      "version_test.go": lines(
        "package semver",
        "",
        'import "testing"',
        "",
        "func TestParse(t *testing.T) {",
        '\tif _, err := Parse("1.2.3"); err != nil {',
        "\t\tt.Fatal(err)",
        "\t}",
        "}",
      ),
      "internal/cmp/cmp.go": lines(
        "package cmp",
        "",
        "// Int compares two ints.",
        "func Int(a, b int) int {",
        "\tif a < b {",
        "\t\treturn -1",
        "\t}",
        "\tif a > b {",
        "\t\treturn 1",
        "\t}",
        "\treturn 0",
        "}",
      ),
    },
    gold: {
      "version.go": "",
    },
    tests: {
      "version_test.go": lines(
        "package semver",
        "",
        'import "testing"',
        "",
        "func TestParse(t *testing.T) {",
        '\tif _, err := Parse("1.2.3"); err != nil {',
        "\t\tt.Fatal(err)",
        "\t}",
        "}",
        "",
        "func TestLessPatch(t *testing.T) {",
        "\tif !(Version{1, 2, 3}).Less(Version{1, 2, 4}) {",
        '\t\tt.Fatal("1.2.3 < 1.2.4")',
        "\t}",
        "}",
      ),
    },
    problem: "Version.Less ignores the patch number: 1.2.3 is not less than 1.2.4.",
  },
  {
    repo: "fixture/tinycsv-rs",
    family: "rust",
    base: {
      "Cargo.toml": '[package]\nname = "tinycsv"\nversion = "0.2.0"\nedition = "2021"\n',
      "src/lib.rs": lines(
        "//! A tiny CSV reader.",
        "",
        "pub mod field;",
        "",
        "/// One parsed record.",
        "pub struct Record {",
        "    pub fields: Vec<String>,",
        "}",
        "",
        "impl Record {",
        "    /// Splits a line on commas.",
        "    pub fn parse(line: &str) -> Record {",
        "        Record { fields: line.split(',').map(|f| f.to_string()).collect() }",
        "    }",
        "",
        "    pub fn len(&self) -> usize {",
        "        self.fields.len()",
        "    }",
        "}",
        "",
        "#[cfg(test)]",
        "mod tests {",
        "    use super::*;",
        "    #[test]",
        "    fn parses() {",
        '        assert_eq!(Record::parse("a,b").len(), 2);',
        "    }",
        "}",
      ),
      "src/field.rs": lines("/// Trims a field.", "pub fn trim(f: &str) -> &str {", "    f.trim()", "}"),
      "tests/records.rs": lines(
        "use tinycsv::Record;",
        "",
        "#[test]",
        "fn two_fields() {",
        '    assert_eq!(Record::parse("x,y").len(), 2);',
        "}",
      ),
    },
    gold: { "src/lib.rs": "" },
    tests: {
      "tests/records.rs": lines(
        "use tinycsv::Record;",
        "",
        "#[test]",
        "fn two_fields() {",
        '    assert_eq!(Record::parse("x,y").len(), 2);',
        "}",
        "",
        "#[test]",
        "fn trims_fields() {",
        '    assert_eq!(Record::parse("x, y").fields[1], "y");',
        "}",
      ),
    },
    problem: 'Record::parse keeps the spaces around fields: "x, y" gives " y".',
  },
  {
    repo: "fixture/querystr-js",
    family: "js",
    base: {
      "package.json": '{\n  "name": "querystr",\n  "version": "1.3.0",\n  "main": "lib/index.js"\n}\n',
      "lib/index.js": lines(
        "'use strict';",
        "",
        "const { decode } = require('./decode');",
        "",
        "/** Parses a query string into an object. */",
        "function parse(qs) {",
        "  const out = {};",
        "  for (const pair of qs.split('&')) {",
        "    const [k, v] = pair.split('=');",
        "    out[decode(k)] = decode(v);",
        "  }",
        "  return out;",
        "}",
        "",
        "class Query {",
        "  constructor(qs) {",
        "    this.params = parse(qs);",
        "  }",
        "",
        "  get(name) {",
        "    return this.params[name];",
        "  }",
        "}",
        "",
        "module.exports = { parse, Query };",
      ),
      "lib/decode.js": lines(
        "'use strict';",
        "",
        "// Percent-decoding.",
        "const decode = (s) => decodeURIComponent(s);",
        "",
        "module.exports = { decode };",
      ),
      "test/parse.test.js": lines(
        "const assert = require('assert');",
        "const { parse } = require('../lib');",
        "assert.deepStrictEqual(parse('a=1'), { a: '1' });",
      ),
      "dist/querystr.min.js": "var a=1;\n",
    },
    gold: { "lib/index.js": "" },
    tests: {
      "test/parse.test.js": lines(
        "const assert = require('assert');",
        "const { parse } = require('../lib');",
        "assert.deepStrictEqual(parse('a=1'), { a: '1' });",
        "assert.deepStrictEqual(parse(''), {});",
      ),
    },
    problem: "parse('') returns { '': 'undefined' } instead of an empty object.",
  },
];

// The gold changes, applied to the base text.
const GOLD_EDITS: Record<string, Array<[string, string]>> = {
  "fixture/semver-go": [
    [
      "\treturn v.Minor < o.Minor\n",
      "\tif v.Minor != o.Minor {\n\t\treturn v.Minor < o.Minor\n\t}\n\treturn v.Patch < o.Patch\n",
    ],
  ],
  "fixture/tinycsv-rs": [["line.split(',').map(|f| f.to_string())", "line.split(',').map(|f| f.trim().to_string())"]],
  "fixture/querystr-js": [
    [
      "  for (const pair of qs.split('&')) {\n",
      "  for (const pair of qs.split('&')) {\n    if (pair === '') continue;\n",
    ],
  ],
};

const git = (cwd: string, args: string[]): string => execFileSync("git", args, { cwd, encoding: "utf8" });

async function diffOf(dir: string, files: Record<string, string>): Promise<string> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  const diff = git(dir, ["diff", "--no-color", "--no-ext-diff"]);
  git(dir, ["checkout", "-q", "--", "."]);
  return diff;
}

/** The three repos under `dir`: repo → git directory, and one instance each. */
export async function makeMultilingualFixtures(
  dir: string,
): Promise<{ repoSources: Record<string, string>; instances: Instance[] }> {
  const repoSources: Record<string, string> = {};
  const instances: Instance[] = [];
  for (const fx of ML_FIXTURES) {
    const repoDir = join(dir, fx.repo.replace("/", "__"));
    const [base] = await makeFixtureRepo(repoDir, [fx.base]);
    repoSources[fx.repo] = repoDir;
    const goldFiles = Object.fromEntries(
      Object.keys(fx.gold).map((p) => {
        let text = fx.base[p]!;
        for (const [a, b] of GOLD_EDITS[fx.repo]!) {
          if (!text.includes(a)) throw new Error(`fixture ${fx.repo}: gold edit does not apply`);
          text = text.replace(a, b);
        }
        return [p, text];
      }),
    );
    instances.push({
      instance_id: `${fx.repo.replace("/", "__")}-1`,
      repo: fx.repo,
      base_commit: base!,
      patch: await diffOf(repoDir, goldFiles),
      test_patch: await diffOf(repoDir, fx.tests),
      problem_statement: fx.problem,
      hints_text: "",
      created_at: "2024-01-01T00:00:00Z",
      version: "1.0",
      environment_setup_commit: "",
      FAIL_TO_PASS: [],
      PASS_TO_PASS: [],
    } as Instance);
  }
  return { repoSources, instances };
}
