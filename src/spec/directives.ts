// Test directives: what the test command is run on, taken from the files the test_patch
// touches (their post-patch names), minus data files. Django's runtests.py wants dotted
// module names relative to tests/ ("tests/expressions/tests.py" -> "expressions.tests");
// every other repo (sympy's bin/test included) takes the file paths as they are.

/** Endings of files that are never test modules (the harness's list; "csv" has no dot there). */
export const NON_TEST_EXTS = [".json", ".png", "csv", ".txt", ".md", ".jpg", ".jpeg", ".pkl", ".yml", ".yaml", ".toml"];

/** Post-patch paths from every `diff --git a/… b/…` line (the last " b/" splits the two). */
export function diffTargetPaths(testPatch: string): string[] {
  return [...testPatch.matchAll(/diff --git a\/.* b\/(.*)/g)].map((m) => m[1]!);
}

/** "tests/utils_tests/test_html.py" -> "utils_tests.test_html". */
export function djangoModuleName(path: string): string {
  let name = path.endsWith(".py") ? path.slice(0, -".py".length) : path;
  if (name.startsWith("tests/")) name = name.slice("tests/".length);
  return name.replaceAll("/", ".");
}

export function testDirectives(repo: string, testPatch: string): string[] {
  const paths = diffTargetPaths(testPatch).filter((p) => !NON_TEST_EXTS.some((ext) => p.endsWith(ext)));
  return repo === "django/django" ? paths.map(djangoModuleName) : paths;
}
