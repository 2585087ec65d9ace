// Conformance with SWE-bench Multilingual (300 rows, 41 repos): the published eval_script,
// image and log_parser columns, and the eval scripts the harness v4.1.0 builds (sha256 of each,
// computed once with the harness's make_eval_script_list; outputs in testdata/, not its code).
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { multilingualParquet } from "../../test/helpers/paths.js";
import { loadDataset } from "../dataset/load.js";
import type { Instance } from "../dataset/schema.js";
import { checkAgainstDataset } from "./check.js";
import { STDERR_ASIDE_INSTANCES } from "./data/multilingual-fixes.js";
import { MULTILINGUAL_REPO_SPECS } from "./data/multilingual.js";
import { evalScriptBody, recordTestExitCode, scriptOf } from "./eval-script.js";
import { makeTestSpec, type SpecRules } from "./test-spec.js";

interface V41Reference {
  source: string;
  eval_script_sha256: Record<string, string>;
}

let rows: Instance[];
let v41: V41Reference;
beforeAll(async () => {
  rows = await loadDataset(multilingualParquet);
  v41 = JSON.parse(
    readFileSync(new URL("./testdata/multilingual-v4.1-eval-scripts.json", import.meta.url), "utf8"),
  ) as V41Reference;
});

const check = (rules: SpecRules) =>
  checkAgainstDataset(rows.map((instance) => ({ instance, spec: makeTestSpec(instance, { rules }) })));
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

describe("SWE-bench Multilingual, dataset rules (the default)", () => {
  it("reproduce all 300 published eval scripts byte for byte", () => {
    expect(rows).toHaveLength(300);
    // 41 distinct repos in the published test split (the announcement says 42)
    expect(new Set(rows.map((r) => r.repo)).size).toBe(41);
    const result = check("dataset");
    expect(result.mismatches).toEqual([]);
    expect(result.matched).toBe(300);
  });

  it("give the published image and log parser for every row", () => {
    for (const row of rows) {
      const spec = makeTestSpec(row);
      expect([row.instance_id, spec.image, spec.logParser]).toEqual([row.instance_id, row.image, row.log_parser]);
    }
  });

  it("need the stderr-aside variant exactly where the table says", () => {
    const needed: string[] = [];
    for (const row of rows) {
      const plain = makeTestSpec({ ...row, instance_id: `${row.instance_id}-plain` }).evalScript;
      if (plain !== row.eval_script) needed.push(row.instance_id);
    }
    expect(needed.sort()).toEqual(Object.keys(STDERR_ASIDE_INSTANCES).sort());
  });

  it("run the spec's fixed commands: no test directives, every command in the script", () => {
    for (const row of rows) {
      const spec = makeTestSpec(row);
      expect(spec.testDirectives).toEqual([]);
      expect(spec.evalScript).toContain(`(${spec.testCommand})`);
      for (const cmd of MULTILINGUAL_REPO_SPECS[row.repo]!.versions[row.version]!.test_cmd)
        expect(spec.evalScript).toContain(cmd);
    }
  });
});

describe("SWE-bench Multilingual, v4.1 rules", () => {
  it("equal the harness v4.1.0's scripts on 299 rows; the other differs only by the reference's diff reader", () => {
    const differ = rows.filter(
      (row) => sha256(makeTestSpec(row, { rules: "v4.1" }).evalScript) !== v41.eval_script_sha256[row.instance_id],
    );
    expect(Object.keys(v41.eval_script_sha256)).toHaveLength(300);
    // The test patch of facebook__docusaurus-9183 changes "website/_dogfooding/_pages tests/code-block-tests.mdx"
    // (a space in the path); the reference run's unidiff 0.7.3 cut that git header at its first " b/",
    // while the published script (and we) name the file whole.
    expect(differ.map((r) => r.instance_id)).toEqual(["facebook__docusaurus-9183"]);
    const row = differ[0]!;
    const reset = (script: string) => script.split("\n").find((l) => l.startsWith(`git checkout ${row.base_commit}`));
    expect(reset(makeTestSpec(row, { rules: "v4.1" }).evalScript)).toBe(reset(row.eval_script!));
  });

  it("differ from the published layout (state record, apply flags, one command a line)", () => {
    const result = check("v4.1");
    expect(result.matched).toBe(0);
    const script = makeTestSpec(rows.find((r) => r.instance_id === "apache__druid-13704")!, {
      rules: "v4.1",
    }).evalScript;
    expect(script).toContain("git apply --verbose --reject - <<'EOF_114329324912'");
    expect(script).not.toContain("git status");
    expect(script).toContain(
      "\nmvnd test -B -pl processing -Dtest=org.apache.druid.query.aggregation.post.ArithmeticPostAggregatorTest#testPow\nmvnd test",
    );
  });
});

describe("SWE-bench Multilingual, latest rules", () => {
  it("run the published script with the test command's exit code recorded", () => {
    for (const row of rows) {
      const latest = makeTestSpec(row, { rules: "latest" }).evalScript;
      expect(latest).toBe(scriptOf(recordTestExitCode(evalScriptBody(row.eval_script!))));
      expect(latest).toMatch(
        /\nSWEBENCH_TEST_EXIT_CODE=\$\?\n(: '|echo ')>>>>> End Test Output'\necho ">>>>> Test Exit Code: \$SWEBENCH_TEST_EXIT_CODE"\n/,
      );
    }
  });

  it("build the dataset-rules script when the row has no eval_script", () => {
    for (const row of rows.slice(0, 40)) {
      const latest = makeTestSpec({ ...row, eval_script: null }, { rules: "latest" }).evalScript;
      expect(latest).toBe(scriptOf(recordTestExitCode(evalScriptBody(row.eval_script!))));
    }
  });
});
