// The Multilingual eval-script layouts on hand-made patches: which files are reset and how,
// where build steps go, how test commands are chained; and the spec data's shape.
import { describe, expect, it } from "vitest";
import type { Instance } from "../dataset/schema.js";
import { lookupMultilingualSpec, MULTILINGUAL_REPO_SPECS, MULTILINGUAL_SPECS_SOURCE } from "./data/multilingual.js";
import { datasetScriptLines, datasetTestLines, v41ScriptLines } from "./eval-script-multilingual.js";
import { makeTestSpec, UnknownSpecError } from "./test-spec.js";

const BASE = "0123456789abcdef0123456789abcdef01234567";
const modified = (path: string) => [
  `diff --git a/${path} b/${path}`,
  `--- a/${path}`,
  `+++ b/${path}`,
  "@@ -1 +1,2 @@",
  " a",
  "+b",
];
const created = (path: string) => [
  `diff --git a/${path} b/${path}`,
  "new file mode 100644",
  "index 0000000..1111111",
  "--- /dev/null",
  `+++ b/${path}`,
  "@@ -0,0 +1 @@",
  "+x",
];
const patchOf = (...files: string[][]) => [...files.flat(), ""].join("\n");

const spec = { test_cmd: ["go test -v ./a", "go test -v ./b"], build: ["make -j2"] };
const resets = (lines: string[]) =>
  lines.filter((l) => l.startsWith("git checkout") || l.startsWith("rm -f") || l.startsWith('echo "No'));

describe("dataset layout", () => {
  it("resets files that exist with git checkout and files the patch creates with rm -f, on one line", () => {
    const lines = datasetScriptLines({
      spec,
      baseCommit: BASE,
      testPatch: patchOf(modified("a_test.go"), created("b_test.go"), modified("c_test.go")),
    });
    expect(resets(lines)).toEqual([
      `git checkout ${BASE} a_test.go c_test.go && rm -f b_test.go`,
      `git checkout ${BASE} a_test.go c_test.go && rm -f b_test.go`,
    ]);
  });

  it("uses rm -f alone when the patch only creates files, and no reset line for an empty patch", () => {
    const onlyNew = datasetScriptLines({ spec, baseCommit: BASE, testPatch: patchOf(created("x/new_test.go")) });
    expect(resets(onlyNew)).toEqual(["rm -f x/new_test.go", "rm -f x/new_test.go"]);
    expect(resets(datasetScriptLines({ spec, baseCommit: BASE, testPatch: "" }))).toEqual([]);
  });

  it("records the repo state, applies with -v, builds after the patch and chains the tests", () => {
    const lines = datasetScriptLines({ spec, baseCommit: BASE, testPatch: patchOf(modified("a_test.go")) });
    expect(lines.slice(0, 5)).toEqual([
      "cd /testbed",
      "git config --global --add safe.directory /testbed",
      "git status",
      "git show",
      `git -c core.fileMode=false diff ${BASE}`,
    ]);
    expect(lines[6]!.startsWith("git apply -v - <<'EOF_114329324912'\n")).toBe(true);
    expect(lines.slice(7)).toEqual([
      "make -j2",
      ": '>>>>> Start Test Output'",
      "(go test -v ./a && go test -v ./b) | cat",
      ": '>>>>> End Test Output'",
      `git checkout ${BASE} a_test.go`,
    ]);
  });

  it("keeps stderr aside with quiet markers in the variant", () => {
    expect(datasetTestLines(["x", "y"], true)).toEqual([
      "{ set +x; } 2>/dev/null",
      "echo '>>>>> Start Test Output'",
      "(x && y) 2>/tmp/swebench_test_stderr.log | cat",
      "echo '>>>>> End Test Output'",
      "cat /tmp/swebench_test_stderr.log >&2 || true",
      "set -x",
    ]);
  });
});

describe("v4.1 layout", () => {
  it("resets only files that exist before the patch, or echoes when there are none", () => {
    const mixed = v41ScriptLines({
      spec,
      baseCommit: BASE,
      testPatch: patchOf(modified("a_test.go"), created("b_test.go")),
    });
    expect(resets(mixed)).toEqual([`git checkout ${BASE} a_test.go`, `git checkout ${BASE} a_test.go`]);
    const onlyNew = v41ScriptLines({ spec, baseCommit: BASE, testPatch: patchOf(created("b_test.go")) });
    expect(resets(onlyNew)).toEqual(['echo "No test files to reset"', 'echo "No test files to reset"']);
  });

  it("applies with --verbose --reject and runs one test command a line", () => {
    const lines = v41ScriptLines({ spec, baseCommit: BASE, testPatch: patchOf(modified("a_test.go")) });
    expect(lines.slice(0, 3)).toEqual([
      "cd /testbed",
      "git config --global --add safe.directory /testbed",
      "cd /testbed",
    ]);
    expect(lines[4]!.startsWith("git apply --verbose --reject - <<'EOF_114329324912'\n")).toBe(true);
    expect(lines.slice(5, 10)).toEqual([
      "make -j2",
      ": '>>>>> Start Test Output'",
      "go test -v ./a",
      "go test -v ./b",
      ": '>>>>> End Test Output'",
    ]);
  });
});

describe("Multilingual spec data", () => {
  it("names its source and covers 41 repos in the harness's seven language modules", () => {
    expect(MULTILINGUAL_SPECS_SOURCE).toMatch(/SWE-bench\/SWE-bench v4\.1\.0/);
    const repos = Object.entries(MULTILINGUAL_REPO_SPECS);
    expect(repos).toHaveLength(41);
    expect(new Set(repos.map(([, r]) => r.language))).toEqual(
      new Set(["c", "go", "java", "javascript", "php", "ruby", "rust"]),
    );
    expect(repos.reduce((n, [, r]) => n + Object.keys(r.versions).length, 0)).toBe(300);
    expect(lookupMultilingualSpec("caddyserver/caddy", "6411")?.spec.test_cmd).toEqual([
      'go test -v . -run "TestReplacerNew*"',
    ]);
    expect(lookupMultilingualSpec("caddyserver/caddy", "1")).toBeUndefined();
  });

  it("names the repo's known versions when an instance's version is unknown", () => {
    const row = {
      instance_id: "caddyserver__caddy-1",
      repo: "caddyserver/caddy",
      version: "1",
      base_commit: BASE,
      test_patch: "",
    } as Instance;
    expect(() => makeTestSpec(row)).toThrow(UnknownSpecError);
    expect(() => makeTestSpec(row)).toThrow(/version "1" is not one of caddyserver\/caddy's known versions \(.*6411/);
    expect(() => makeTestSpec({ ...row, repo: "x/y" })).toThrow(
      /repo "x\/y" is not one of the known repos .*SWE-bench Multilingual: .*apache\/druid/,
    );
  });
});
