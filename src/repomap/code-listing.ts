// What the localization listing of a repo of each language family keeps: its source files,
// without tests (per the language's convention) or vendored code. docs/languages.md lists the rules.
import { languageOfPath, type LanguageFamily } from "../treesitter/languages.js";

interface TestRules {
  /** Directory names: everything under such a directory is test code. */
  dirs: ReadonlySet<string>;
  /** A directory name prefix, for C/C++ ("test": test, tests, testing, testdata...). */
  dirPrefix?: string;
  /** File names (not paths) of test files. */
  files: RegExp;
}

// Directories no family lists: dependencies checked into the repo.
const VENDORED = new Set(["node_modules", "vendor", "third_party", "3rdparty", "bower_components"]);

const TEST_RULES: Record<LanguageFamily, TestRules> = {
  c: { dirs: new Set(), dirPrefix: "test", files: /^(test_.*|.*_test|.*_tests|.*_unittest)\.[ch]$/ },
  cpp: {
    dirs: new Set(),
    dirPrefix: "test",
    files: /^(test_.*|.*_test|.*_tests|.*_unittest)\.(c|cc|cpp|cxx|h|hh|hpp|hxx)$/,
  },
  go: { dirs: new Set(["testdata"]), files: /_test\.go$/ },
  java: { dirs: new Set(["test", "tests", "androidTest", "testFixtures"]), files: /(Test|Tests|TestCase|IT)\.java$/ },
  js: {
    dirs: new Set(["__tests__", "__mocks__", "test", "tests", "spec", "__fixtures__"]),
    files: /\.(test|spec)\.[cm]?[jt]sx?$/,
  },
  ts: {
    dirs: new Set(["__tests__", "__mocks__", "test", "tests", "spec", "__fixtures__"]),
    files: /\.(test|spec)\.[cm]?[jt]sx?$/,
  },
  php: { dirs: new Set(["tests", "test", "Tests"]), files: /Test\.php$/ },
  ruby: { dirs: new Set(["spec", "test", "tests"]), files: /(_spec|_test)\.rb$|^test_.*\.rb$/ },
  rust: { dirs: new Set(["tests"]), files: /^tests?\.rs$/ },
};

/** True for a test file of the family's convention (by its path alone). */
export function isTestPath(path: string, family: LanguageFamily): boolean {
  const rules = TEST_RULES[family];
  const parts = path.split("/");
  const name = parts.pop()!;
  if (rules.files.test(name)) return true;
  return parts.some((d) => rules.dirs.has(d) || (rules.dirPrefix !== undefined && d.startsWith(rules.dirPrefix)));
}

/** True for a vendored dependency, minified bundle or generated declaration, which no listing shows. */
export function isVendoredPath(path: string): boolean {
  return path.split("/").some((d) => VENDORED.has(d)) || /\.min\.[cm]?js$/.test(path);
}

/** A file the family's listing shows: source of one of its languages, not vendored, not a test (unless `tests`). */
export function isListedSource(path: string, family: LanguageFamily, opts: { tests?: boolean } = {}): boolean {
  if (!languageOfPath(path, family) || isVendoredPath(path)) return false;
  return opts.tests === true || !isTestPath(path, family);
}
