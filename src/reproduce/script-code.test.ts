// Reproduction tests in other languages: the prompt, the script taken from an answer, the vote's
// form, and the oracle's bash test run for real on a git repo (node's own test runner).
import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { languageProfile } from "../language/profile.js";
import { makeFixtureRepo } from "../../test/support/fixture-repo.js";
import { codeOracleScript } from "./oracle-answer.js";
import { extractCodeScript, normalizeCodeTest, reproduceCodeMessages } from "./script-code.js";
import { repairUserPrompt, REPAIR_TEMPLATE, repairTemplate } from "../repair/prompts.js";

const node = languageProfile("js").reproduction;
const bash = languageProfile("go").reproduction;
let work: string | undefined;
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe("reproduction tests beyond Python", () => {
  it("asks for the language's script kind, its fence and its run command", () => {
    const go = reproduceCodeMessages("Less ignores patch", null, "go")[0]!.content;
    expect(go).toContain("written in Go");
    expect(go).toContain("bash script");
    expect(go).toContain("`bash script.sh`");
    expect(go).toContain("```bash block");
    const js = reproduceCodeMessages("parse('')", { path: "test/a.test.js", content: "assert(1)\n" }, "js")[0]!.content;
    expect(js).toContain("`node script.js`");
    expect(js).toContain("--- BEGIN TEST FILE test/a.test.js ---");
    for (const text of [go, js])
      for (const v of ["Issue reproduced", "Issue resolved", "Other issues"]) expect(text).toContain(v);
  });

  it("takes the last block with the kind's tag (or an alias), else the last block; the first tagged one in Agentless's mode", () => {
    const answer =
      "```python\nprint(1)\n```\n```js\nconsole.log('a')\n```\n```javascript\nconsole.log('b')\n```\n```text\nno\n```\n";
    expect(extractCodeScript(answer, node).script).toBe("console.log('b')\n");
    expect(extractCodeScript(answer, node, true).script).toBe("console.log('a')\n");
    expect(extractCodeScript("```\necho hi\n```", bash).script).toBe("echo hi\n");
    expect(extractCodeScript("```\necho hi\n```", bash, true)).toMatchObject({
      script: null,
      error: expect.stringContaining("```bash"),
    });
    expect(extractCodeScript("<think>x</think>", bash)).toMatchObject({ script: null, error: "empty answer" });
  });

  it("votes scripts that differ only in comments and whitespace together", () => {
    const a = "const x = require('./lib');\nif (x.parse('') === 1) console.log('Issue resolved');\n";
    const b =
      "// check\nconst x  =  require('./lib');\n\n  if (x.parse('') === 1)   console.log('Issue resolved'); // done\n";
    expect(normalizeCodeTest(a, node)).toBe(normalizeCodeTest(b, node));
    expect(normalizeCodeTest(a, node)).not.toBe(normalizeCodeTest(a.replace("''", "' '"), node));
    expect(normalizeCodeTest("#!/bin/bash\n# why\ngo  test ./...\n", bash)).toBe(
      normalizeCodeTest("#!/bin/bash\ngo test ./...   \n\n", bash),
    );
  });

  it("the oracle's test (node script around bash) reproduces on the original code and is resolved with the fix", async () => {
    work = await mkdtemp(join(tmpdir(), "swerl-repro-code-"));
    const dir = join(work, "repo");
    const lib = "exports.parse = (qs) => Object.fromEntries(qs.split('&').map((p) => p.split('=')));\n";
    await makeFixtureRepo(dir, [
      {
        "lib.js": lib,
        "test/a.test.js":
          "const t = require('node:test');\nconst assert = require('assert');\nconst { parse } = require('../lib');\nt.test('one', () => assert.deepStrictEqual(parse('a=1'), { a: '1' }));\n",
      },
    ]);
    const git = (args: string[]) => execFileSync("git", args, { cwd: dir, encoding: "utf8" });
    await writeFile(
      join(dir, "test/a.test.js"),
      "const t = require('node:test');\nconst assert = require('assert');\nconst { parse } = require('../lib');\nt.test('one', () => assert.deepStrictEqual(parse('a=1'), { a: '1' }));\nt.test('empty', () => assert.deepStrictEqual(parse(''), {}));\n",
    );
    const testPatch = git(["diff"]);
    git(["checkout", "-q", "--", "."]);
    const script = codeOracleScript(testPatch, "node --test test/", node, "oracle");
    await writeFile(join(dir, "repro.js"), script);
    const run = () => execFileSync("node", ["repro.js"], { cwd: dir, encoding: "utf8" });
    expect(run().trim()).toBe("Issue reproduced");
    expect(git(["status", "--porcelain"]).trim()).toBe("?? repro.js"); // the test patch is taken back off
    // the same script read as an ES module (a package whose package.json says "type": "module")
    await writeFile(join(dir, "repro.mjs"), script);
    expect(execFileSync("node", ["repro.mjs"], { cwd: dir, encoding: "utf8" }).trim()).toBe("Issue reproduced");
    await rm(join(dir, "repro.mjs"));
    await writeFile(
      join(dir, "lib.js"),
      "exports.parse = (qs) => Object.fromEntries(qs.split('&').filter(Boolean).map((p) => p.split('=')));\n",
    );
    expect(run().trim()).toBe("Issue resolved");
    expect(codeOracleScript(testPatch, "true", bash, "x")).toMatch(/^# x\ncat > \/tmp\/swerl-oracle\.patch/);
  });
});

describe("the repair prompt beyond Python", () => {
  it("keeps SWE-RL's template for Python and swaps only the example and the indentation line", () => {
    expect(repairTemplate("python")).toBe(REPAIR_TEMPLATE);
    const rust = repairTemplate("rust");
    expect(rust).toContain("```rust\n### src/server/app.rs\n<<<<<<< SEARCH\nuse std::collections::HashMap;\n=======\n");
    expect(rust).not.toContain("```python");
    expect(rust).toContain("'        println!(\"{}\", x);'");
    const strip = (t: string) => t.replace(/Here is an example:[\s\S]*?\n```\n\n/, "").replace(/'[^']*x[^']*'/, "");
    expect(strip(rust)).toBe(strip(REPAIR_TEMPLATE));
    expect(repairUserPrompt("issue {content}", "### a.go\npackage a", "go")).toContain("```go\n### server/http/app.go");
  });
});
