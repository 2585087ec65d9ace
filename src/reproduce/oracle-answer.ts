// The oracle's reproduction tests, built from the gold test patch (it is the oracle): a script
// that applies the test patch to the tree, runs the FAIL_TO_PASS tests with pytest, takes the
// patch back off, and prints "Issue reproduced" when they fail, "Issue resolved" when they
// pass, "Other issues" otherwise. pytest repos only (the demo's); other repos get a script
// that says "Other issues". Noise from the oracle rates: cosmetic variants (comments, the test
// function renamed: they must vote together), tests that never reproduce, broken tests, and
// answers with no code block.
import type { Instance } from "../dataset/schema.js";
import type { OracleAnswerBuilder } from "../model/oracle.js";
import { REPRODUCE_STAGE } from "./script.js";
import { detectLanguage, isCodeLanguage, specLanguage } from "../language/instance-language.js";
import { languageProfile } from "../language/profile.js";
import { diffTargetPaths } from "../spec/directives.js";
import { multilingualTestCommand } from "../spec/env-prelude.js";

export interface OracleTestRates {
  wrong_edit_rate: number;
  format_error_rate: number;
  noop_rate: number;
}

function pytestScript(testPatch: string, tests: readonly string[], fn: string, comment: string): string {
  return [
    `# ${comment}`,
    "import subprocess",
    "import sys",
    "",
    `PATCH = ${JSON.stringify(testPatch)}`,
    `TESTS = ${JSON.stringify(tests)}`,
    "",
    "",
    `def ${fn}():`,
    '    applied = subprocess.run(["git", "apply", "-"], input=PATCH, text=True, capture_output=True)',
    "    if applied.returncode != 0:",
    '        print("Other issues")',
    "        return",
    "    try:",
    '        run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *TESTS], capture_output=True, text=True)',
    "    finally:",
    '        subprocess.run(["git", "apply", "-R", "-"], input=PATCH, text=True, capture_output=True)',
    "    if run.returncode == 0:",
    '        print("Issue resolved")',
    "    elif run.returncode == 1:",
    '        print("Issue reproduced")',
    "    else:",
    '        print("Other issues")',
    "",
    "",
    `${fn}()`,
    "",
  ].join("\n");
}

const fenced = (thought: string, script: string, tag = "python") =>
  `<think>\n${thought}\n</think>\n\`\`\`${tag}\n${script}\`\`\`\n`;

/**
 * Another language's oracle test: bash that applies the test patch, runs the spec's test
 * command (multilingualTestCommand) with its output kept aside, takes the patch back off, and
 * prints "Issue resolved" when the command succeeds, "Issue reproduced" when it fails; wrapped
 * in the language's script kind when that is not bash.
 */
export function codeOracleScript(
  testPatch: string,
  testCommand: string,
  kind: { extension: string },
  comment: string,
): string {
  const bash = [
    `# ${comment}`,
    "cat > /tmp/swerl-oracle.patch <<'SWERL_ORACLE_PATCH'",
    testPatch.replace(/\n$/, ""),
    "SWERL_ORACLE_PATCH",
    'if ! git apply /tmp/swerl-oracle.patch >/dev/null 2>&1; then echo "Other issues"; exit 0; fi',
    "(",
    testCommand,
    ") >/tmp/swerl-oracle-test.log 2>&1",
    "rc=$?",
    "git apply -R /tmp/swerl-oracle.patch >/dev/null 2>&1",
    'if [ "$rc" -eq 0 ]; then echo "Issue resolved"; else echo "Issue reproduced"; fi',
    "",
  ].join("\n");
  // A dynamic import: the script runs as CommonJS or as an ES module, as the package's "type" says.
  if (kind.extension === "js")
    return `// ${comment}\nimport("node:child_process").then(({ spawnSync }) => {\n  spawnSync("bash", ["-c", ${JSON.stringify(bash)}], { stdio: "inherit" });\n});\n`;
  if (kind.extension === "rb")
    return `# ${comment}\nsystem("bash", "-c", ${JSON.stringify(bash).replace(/#/g, "\\#")})\n`;
  if (kind.extension === "php")
    return `<?php\n// ${comment}\npassthru("bash -c " . escapeshellarg(${JSON.stringify(bash).replace(/\$/g, "\\$")}));\n`;
  return bash;
}

function codeAnswer(inst: Instance, rates: OracleTestRates, random: () => number, thought: string): string | undefined {
  const lang = specLanguage(inst) ?? detectLanguage(diffTargetPaths(inst.patch));
  const command = multilingualTestCommand(inst);
  if (!isCodeLanguage(lang)) return undefined;
  const kind = languageProfile(lang).reproduction;
  if (!command || inst.test_patch.trim() === "")
    return fenced(
      thought,
      kind.extension === "sh" ? 'echo "Other issues"\n' : codeOracleScript("", "false", kind, "no test command"),
      kind.fence,
    );
  const u = random();
  const { format_error_rate: f, noop_rate: n, wrong_edit_rate: w } = rates;
  if (u < f) return `${thought}\nThe test would check the failing behaviour.`; // no code block
  if (u < f + n) return fenced(thought, codeOracleScript(inst.test_patch, "true", kind, "always fine"), kind.fence);
  if (u < f + n + w)
    return fenced(
      thought,
      kind.extension === "sh" ? 'echo "Other issues"\n' : codeOracleScript("", "false", kind, "broken"),
      kind.fence,
    );
  const variant = random() < 0.5;
  return fenced(
    thought,
    codeOracleScript(
      inst.test_patch,
      command,
      kind,
      variant ? `variant ${Math.floor(random() * 1e6)}` : "reproduces the issue",
    ),
    kind.fence,
  );
}

export function reproduceOracleAnswers(
  instances: readonly Instance[],
  rates: OracleTestRates,
): Record<string, OracleAnswerBuilder> {
  const byId = new Map(instances.map((i) => [i.instance_id, i]));
  return {
    [REPRODUCE_STAGE]: ({ req, random }) => {
      const inst = byId.get(req.instanceId);
      const thought = `swerl oracle: a reproduction test built from the gold test patch of ${req.instanceId}.`;
      const code = inst ? codeAnswer(inst, rates, random, thought) : undefined;
      if (code !== undefined) return code;
      const tests = inst?.FAIL_TO_PASS.filter((t) => t.includes("::")) ?? [];
      if (!inst || tests.length === 0) return fenced(thought, 'print("Other issues")\n');
      const u = random();
      const { format_error_rate: f, noop_rate: n, wrong_edit_rate: w } = rates;
      if (u < f) return `${thought}\nThe test would check the failing behaviour.`; // no code block
      if (u < f + n)
        return fenced(thought, `def test_always_fine():\n    print("Issue resolved")\n\n\ntest_always_fine()\n`);
      if (u < f + n + w)
        return fenced(
          thought,
          `def test_broken():\n    raise RuntimeError("oracle: a broken test")\n\n\ntry:\n    test_broken()\nexcept Exception:\n    print("Other issues")\n`,
        );
      // The correct test; 1 in 2 a cosmetic variant of it.
      const variant = random() < 0.5;
      const fn = variant ? `test_issue_${Math.floor(random() * 1000)}` : "test_issue";
      return fenced(
        thought,
        pytestScript(
          inst.test_patch,
          tests,
          fn,
          variant ? `variant ${Math.floor(random() * 1e6)}` : "reproduces the issue",
        ),
      );
    },
  };
}
