// Which existing tests the regression run covers (never the dataset's FAIL_TO_PASS /
// PASS_TO_PASS lists, which hold the answer):
//   directives — the harness's test directives of the gold test_patch, as they are, run on the
//                original code: what Agentless 1.5 runs (run_tests.py's make_regression_script_list,
//                `get_test_directives(instance)`), files the test patch adds included (a runner
//                that cannot find them may run nothing: no regression signal, as there);
//   touched    — the same files, only those that exist at base_commit;
//   localized  — test files named after, or importing, the localized modules (no gold input);
//   all        — the whole suite (the test command without directives).
import type { Instance } from "../dataset/schema.js";
import { diffTargetPaths, djangoModuleName, NON_TEST_EXTS } from "../spec/directives.js";
import { isTestFile } from "../stage-common/test-files.js";

export type RegressionScope = "directives" | "touched" | "localized" | "all";
export const REGRESSION_SCOPES: readonly RegressionScope[] = ["directives", "touched", "localized", "all"];

/** The module path of a file ("src/pkg/mod.py" → ["pkg.mod", "mod"] candidates, most specific first). */
function moduleNames(path: string): string[] {
  const noExt = path.replace(/\.py$/, "").replace(/\/__init__$/, "");
  const parts = noExt.split("/");
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) out.push(parts.slice(i).join("."));
  return out.filter((m) => m !== "");
}

/** The test patch's test files (data files left out), whether or not they exist at base_commit. */
export function directiveTestFiles(instance: Pick<Instance, "test_patch">): string[] {
  return [
    ...new Set(diffTargetPaths(instance.test_patch).filter((p) => !NON_TEST_EXTS.some((ext) => p.endsWith(ext)))),
  ];
}

export function touchedTestFiles(instance: Pick<Instance, "test_patch">, existing: ReadonlySet<string>): string[] {
  return directiveTestFiles(instance).filter((p) => existing.has(p));
}

/**
 * Test files tied to the localized files: named test_<module>.py, or importing the module
 * (`import a.b`, `from a.b import`, `from a import b`). `read` gives the test files' contents.
 */
export function localizedTestFiles(
  localized: readonly string[],
  testFiles: readonly string[],
  contents: Readonly<Record<string, string>>,
): string[] {
  const targets = localized.filter((p) => p.endsWith(".py") && !isTestFile(p));
  const names = new Set(targets.flatMap((p) => moduleNames(p).slice(0, -1).concat([])));
  const leaf = new Set(targets.map((p) => p.replace(/\.py$/, "").split("/").pop()!).filter((n) => n !== "__init__"));
  const out: string[] = [];
  for (const file of testFiles) {
    const base = file.split("/").pop()!.replace(/\.py$/, "");
    if ([...leaf].some((m) => base === `test_${m}` || base === `${m}_test` || base === `tests_${m}`)) {
      out.push(file);
      continue;
    }
    const text = contents[file] ?? "";
    for (const m of /^\s*(?:from\s+([\w.]+)\s+import\s+([\w., ()]+)|import\s+([\w., ]+))/gm[Symbol.matchAll](text)) {
      const imported = m[1]
        ? [
            m[1],
            ...m[2]!
              .replace(/[()]/g, "")
              .split(",")
              .map((x) => `${m[1]}.${x.trim().split(/\s+/)[0]}`),
          ]
        : m[3]!.split(",").map((x) => x.trim().split(/\s+/)[0]!);
      if (imported.some((i) => names.has(i))) {
        out.push(file);
        break;
      }
    }
  }
  return out;
}

/** Test command directives for files, as the eval script names them (django: dotted modules). */
export function directivesFor(repo: string, files: readonly string[]): string[] {
  return repo === "django/django" ? files.map(djangoModuleName) : [...files];
}
