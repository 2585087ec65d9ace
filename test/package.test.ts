// The npm package as a user gets it: `npm pack` holds the demo benchmark and no test helper,
// and the tarball installed into an empty directory runs `swerl run` on the demo there (one
// instance, few samples, real containers), outside this checkout.
// Native modules: installing compiles better-sqlite3 and tree-sitter (minutes on a busy
// machine, and prebuilt binaries come from GitHub, which is out of reach), so the install
// runs without scripts and takes those two builds from this checkout's node_modules when the
// versions are the same, else compiles them (`npm rebuild`).
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "./helpers/paths.js";

const run = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), "swerl-pack-"));
const app = join(work, "app");
const results = join(work, "results");
let files: string[] = [];

/** Test support as it would show in a package: test/ itself, *.test.*, fixtures, fakes, reference code. */
const TEST_HELPER =
  /(^|\/)(test|testing|support|fidelity)\/|\.test\.|fixture|test-support|fake-server|vllm-server|verified-cases|reference\.py|run-python|grouping-cases|noisy-patches/;
const NATIVE = ["better-sqlite3", "tree-sitter"];
const versionOf = (dir: string): string | undefined =>
  existsSync(join(dir, "package.json"))
    ? (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version: string }).version
    : undefined;

beforeAll(async () => {
  // dist/ is built before the tests (pretest); packing without scripts does not build it again.
  const { stdout } = await run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", work], {
    cwd: repoRoot,
    maxBuffer: 64 << 20,
  });
  const packed = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  files = packed[0]!.files.map((f) => f.path);
  mkdirSync(app, { recursive: true });
  writeFileSync(
    join(app, "package.json"),
    JSON.stringify({ name: "swerl-pack-test", version: "1.0.0", private: true }),
  );
  await run(
    "npm",
    ["install", join(work, packed[0]!.filename), "--ignore-scripts", "--prefer-offline", "--no-audit", "--no-fund"],
    { cwd: app, maxBuffer: 64 << 20, timeout: 600_000 },
  );
  for (const name of NATIVE) {
    const mine = join(repoRoot, "node_modules", name),
      theirs = join(app, "node_modules", name);
    if (versionOf(mine) === versionOf(theirs) && existsSync(join(mine, "build")))
      cpSync(join(mine, "build"), join(theirs, "build"), { recursive: true });
    else await run("npm", ["rebuild", name], { cwd: app, timeout: 900_000 });
  }
}, 1_200_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the npm package", () => {
  it("holds the CLI, its configs and the demo benchmark, and no test helper", () => {
    expect(files).toContain("dist/cli/main.cjs");
    expect(files).toContain("configs/demo.yaml");
    expect(files.filter((f) => f.startsWith("src/demo/benchmark/textkit/instances/textkit-1/"))).not.toEqual([]);
    expect(files.filter((f) => f.startsWith("src/demo/benchmark-multilingual/semver/instances/semver-1/"))).not.toEqual(
      [],
    );
    const demoSource = (f: string) => /^src\/demo\/benchmark(-multilingual)?\//.test(f);
    expect(files.filter((f) => f.startsWith("src/") && !demoSource(f))).toEqual([]);
    expect(files.filter((f) => !demoSource(f) && TEST_HELPER.test(f))).toEqual([]);
  });

  it("installed elsewhere, runs the demo with `swerl run`", async () => {
    const bin = join(app, "node_modules", ".bin", "swerl");
    expect(existsSync(bin)).toBe(true);
    const { stdout } = await run(
      bin,
      [
        "run",
        "--run-id",
        "packed",
        "--results-dir",
        results,
        "--instance-ids",
        "swerl-demo__textkit-1",
        "--set",
        "localize.samples=1",
        "--set",
        "repair.samples=2",
        "--set",
        "reproduce.samples=1",
      ],
      { cwd: work, maxBuffer: 64 << 20, timeout: 600_000 },
    );
    expect(stdout).toMatch(/Solve rate: \d+\.\d% \(\d\/1 resolved\)/);
    const preds = readFileSync(join(results, "packed", "preds.jsonl"), "utf8")
      .trim()
      .split("\n");
    expect(preds).toHaveLength(1);
    expect((JSON.parse(preds[0]!) as { instance_id: string }).instance_id).toBe("swerl-demo__textkit-1");
  }, 600_000);
});
