// `swerl run --dataset demo-multilingual` end to end (Go, Rust and JavaScript repos, the oracle
// policy with noise, real containers, built CLI): every stage works on the other languages and
// the reranked patches resolve all six instances.
import { rawOutputOf } from "../src/store/raw-output.js";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli, type CliRun } from "./helpers/cli.js";

const resultsDir = mkdtempSync(join(tmpdir(), "swerl-ml-run-"));
const lines = <T = Record<string, unknown>>(file: string): T[] => {
  const path = join(resultsDir, "ml", file);
  return existsSync(path)
    ? readFileSync(path, "utf8")
        .split("\n")
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l) as T)
    : [];
};
const langOf = (id: string): "go" | "rust" | "js" =>
  id.includes("semver") ? "go" : id.includes("tinycsv") ? "rust" : "js";
const EXT = { go: ".go", rust: ".rs", js: ".js" };

let run: CliRun;
beforeAll(async () => {
  run = await runCli(["run", "--dataset", "demo-multilingual", "--run-id", "ml", "--results-dir", resultsDir]);
}, 1_500_000);

describe("swerl run --dataset demo-multilingual (oracle)", () => {
  it("resolves 6/6", () => {
    expect(run.status, run.stderr.slice(-3000)).toBe(0);
    expect(run.stdout).toMatch(/Solve rate: 100\.0% \(6\/6 resolved\)/);
  });

  it("localizes to source files of each repo's language, tests left out", () => {
    const recs = lines<{ instance_id: string; status: string; found_files: string[] }>("localization.jsonl");
    expect(recs).toHaveLength(12);
    for (const r of recs) {
      expect(r.status).toBe("ok");
      expect(r.found_files.length).toBeGreaterThan(0);
      for (const f of r.found_files)
        expect(f.endsWith(EXT[langOf(r.instance_id)]) && !/_test\.go$|^tests\/|^test\//.test(f)).toBe(true);
    }
  });

  it("repairs with the language's fence and no syntax error; reproduces in every repo; regresses with its runner", () => {
    const repairs = lines<{ instance_id: string; raw_output_gz: string; syntax_errors: object }>("repair.jsonl");
    expect(repairs).toHaveLength(48);
    const fence = { go: "```go\n", rust: "```rust\n", js: "```javascript\n" };
    expect(repairs.filter((r) => rawOutputOf(r)!.includes(fence[langOf(r.instance_id)])).length).toBeGreaterThan(24);
    const repro = lines<{ instance_id: string; reproduces: boolean }>("reproduction.jsonl");
    for (const id of new Set(repro.map((r) => r.instance_id)))
      expect(repro.some((r) => r.instance_id === id && r.reproduces)).toBe(true);
    const reg = lines<{ instance_id: string; command: string; error: string | null; passing_tests: string[] }>(
      "regression.jsonl",
    );
    expect(reg).toHaveLength(6);
    const runner = { go: "go test", rust: "cargo test", js: "node --test" };
    for (const r of reg) {
      expect(r.error).toBeNull();
      expect(r.command).toContain(runner[langOf(r.instance_id)]);
      expect(r.passing_tests.length).toBeGreaterThan(0);
    }
  });

  it("validates: for every instance a patch failing no regression test whose reproduction tests resolve", () => {
    const v = lines<{
      instance_id: string;
      error: string | null;
      regression_failures: number | null;
      reproduction_outcomes: Record<string, string>;
    }>("validation.jsonl");
    expect(v.every((r) => r.error === null)).toBe(true);
    const good = new Set(
      v
        .filter(
          (r) => r.regression_failures === 0 && Object.values(r.reproduction_outcomes).some((o) => o === "resolved"),
        )
        .map((r) => r.instance_id),
    );
    expect(good.size).toBe(6);
  });
});
