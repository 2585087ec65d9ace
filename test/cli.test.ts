import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { isAbsolute, join, relative } from "node:path";
import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../src/cli/commands.cjs";
import { pathKindOf, resolvePathOptions } from "../src/cli/path-options.js";
import { buildDemoBenchmark } from "../src/demo/build.js";
import { runCli } from "./helpers/cli.js";
import { repoRoot } from "./helpers/paths.js";

const PIPELINE = [
  "run",
  "localize",
  "repair",
  "reproduce",
  "regress",
  "validate",
  "rerank",
  "evaluate",
  "report",
  "ablate",
  "repo-map",
  "reward",
  "spec",
  "images",
  "dataset",
  "cache",
];

describe("swerl --help", () => {
  it("lists every command of the pipeline", async () => {
    const r = await runCli(["--help"]);
    expect(r.status).toBe(0);
    const listed = [...r.stdout.matchAll(/^ {2}([a-z-]+)\s/gm)].map((m) => m[1]);
    for (const name of PIPELINE) expect(listed, name).toContain(name);
  });

  it("rejects a bad --log-level with one clear line and exit code 2", async () => {
    const r = await runCli(["--log-level", "loud", "dataset", "info", "--dataset", "demo"]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('swerl: --log-level must be one of debug, info, warn, error (got "loud")');
  });
});

describe("exit codes", () => {
  it("bad arguments exit 2: an unknown option, a missing config, an unknown run", async () => {
    const unknown = await runCli(["dataset", "info", "--dataset", "demo", "--no-such-option"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("unknown option '--no-such-option'");
    const config = await runCli(["repair", "-c", "/nonexistent/swerl.yaml", "--run-id", "x"]);
    expect(config.status).toBe(2);
    expect(config.stderr.trim().split("\n")).toHaveLength(1);
    expect(config.stderr).toContain("/nonexistent/swerl.yaml");
    const run = await runCli(["ablate", "--run", "no-such-run", "--results-dir", "/nonexistent-results"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("no-such-run");
    const version = await runCli(["--version"]);
    expect(version.status).toBe(0);
  });
});

describe("paths on the command line are from the working directory", () => {
  it("evaluate: relative --dataset, --predictions and --results-dir work, and the run records absolute paths", async () => {
    const demo = await buildDemoBenchmark();
    const root = await mkdtemp(join(tmpdir(), "swerl-relpaths-"));
    const work = join(root, "work");
    await mkdir(join(root, "preds"), { recursive: true });
    await mkdir(work);
    const id = "swerl-demo__textkit-1";
    await writeFile(
      join(root, "preds", "p.jsonl"),
      JSON.stringify({ instance_id: id, model_name_or_path: "m", model_patch: "" }) + "\n",
    );
    const dataset = relative(work, demo.datasetPath);
    expect(isAbsolute(dataset)).toBe(false);
    const r = await runCli(
      [
        "evaluate",
        "--dataset",
        dataset,
        "--predictions",
        "../preds/p.jsonl",
        "--instance-ids",
        id,
        "--run-id",
        "rel",
        "--results-dir",
        "out",
        "--namespace",
        "none",
      ],
      { cwd: work },
    );
    expect(r.stderr).not.toMatch(/swerl:/);
    expect(r.status).toBe(0);
    const manifest = JSON.parse(await readFile(join(work, "out", "rel", "run.json"), "utf8"));
    // Read back from anywhere (swerl report, a resumed run), the run still names the same dataset.
    expect(manifest.config.dataset).toBe(demo.datasetPath);
    const report = JSON.parse(await readFile(join(work, "out", "rel", "run_report.json"), "utf8"));
    expect(report.empty_patch_ids).toEqual([id]);
  });

  it("every option of every command that names a file or directory is one the CLI resolves", async () => {
    const unresolved: string[] = [];
    const visit = (cmd: Command, at: string): void => {
      for (const o of cmd.options) {
        const pathLike =
          /dir|path|file|dataset|predictions|config|repo-source|cache|^--log$|^--input$|^--explain$/.test(
            o.long ?? "",
          ) &&
          o.required &&
          !/--(no-)?cache$|^--max-|^--profile$/.test(o.long ?? ""); // --profile names a pipeline profile
        if (pathLike && pathKindOf(o) === undefined) unresolved.push(`${at} ${o.flags}`);
      }
      for (const sub of cmd.commands) visit(sub, `${at} ${sub.name()}`);
    };
    for (const entry of COMMANDS) visit(await entry.load(), entry.name);
    expect(unresolved).toEqual([]);
  });

  it("options whose values are paths, by placeholder: made absolute; ids, words and URLs left as they are", async () => {
    const cwd = await mkdtemp(join(tmpdir(), "swerl-relopts-"));
    await writeFile(join(cwd, "d.jsonl"), "");
    const cmd = new Command("x")
      .option("-c, --config <file>", "", (v: string, p: string[] = []) => [...p, v])
      .option("--results-dir <dir>", "", "results")
      .option("--dataset <path|hf-id|demo>")
      .option("--predictions <path|gold|empty>")
      .option("--repo-source <repo=path|url>", "", (v: string, p: string[] = []) => [...p, v])
      .option("--run <id|dir>")
      .option("--out <run-id>")
      .option("--input <file>");
    const prev = process.cwd();
    process.chdir(cwd);
    try {
      cmd.parse(
        [
          "-c",
          "a.yaml",
          "-c",
          "/abs/b.yaml",
          "--dataset",
          "d.jsonl",
          "--predictions",
          "gold",
          "--repo-source",
          "o/a=../m/a",
          "--repo-source",
          "o/b=https://example.invalid/b.git",
          "--repo-source",
          "o/c=git@host:o/c.git",
          "--run",
          "r1",
          "--out",
          "merged",
          "--input",
          "-",
        ],
        { from: "user" },
      );
      resolvePathOptions(cmd);
    } finally {
      process.chdir(prev);
    }
    expect(cmd.opts()).toEqual({
      config: [join(cwd, "a.yaml"), "/abs/b.yaml"],
      resultsDir: join(cwd, "results"),
      dataset: join(cwd, "d.jsonl"),
      predictions: "gold",
      repoSource: [`o/a=${join(cwd, "..", "m", "a")}`, "o/b=https://example.invalid/b.git", "o/c=git@host:o/c.git"],
      run: "r1",
      out: "merged",
      input: "-",
    });
    // An id that is not a file stays an id (a Hugging Face dataset), and "demo" stays the demo.
    const ids = new Command("y").option("--dataset <path|hf-id|demo>");
    ids.parse(["--dataset", "princeton-nlp/SWE-bench_Verified"], { from: "user" });
    resolvePathOptions(ids);
    expect(ids.opts().dataset).toBe("princeton-nlp/SWE-bench_Verified");
  });
});

describe("bad input of every kind: exit 2 and one line naming it", () => {
  it("config, dataset, predictions, arguments, repo sources", async () => {
    const dir = await mkdtemp(join(tmpdir(), "swerl-badinput-"));
    const demo = await buildDemoBenchmark();
    await writeFile(join(dir, "bad.yaml"), "model:\n  temperature: hot\n");
    await writeFile(join(dir, "bad.jsonl"), '{"instance_id": "a__b-1", "repo": "a/b"}\n');
    await writeFile(join(dir, "preds.jsonl"), '{"instance_id": "swerl-demo__textkit-1", "model_patch": 3}\n');
    const cases: Array<{ args: string[]; names: RegExp }> = [
      { args: ["repair", "-c", "bad.yaml", "--run-id", "x"], names: /bad\.yaml: model\.temperature/ },
      { args: ["dataset", "info", "--dataset", "bad.jsonl"], names: /bad\.jsonl.*line 1/ },
      {
        args: ["evaluate", "--dataset", demo.datasetPath, "--predictions", "preds.jsonl", "--run-id", "x"],
        names: /preds\.jsonl line 1: field model_patch/,
      },
      { args: ["dataset", "info", "--dataset", "demo", "--limit", "many"], names: /--limit must be a whole number/ },
      {
        args: ["evaluate", "--dataset", "demo", "--predictions", "gold", "--run-id", "x", "--max-workers", "0"],
        names: /--max-workers/,
      },
      {
        args: ["repo-map", "--repo", repoRoot, "--commit", "no-such-commit"],
        names: /commit "no-such-commit" not found/,
      },
      {
        args: [
          "repair",
          "--dataset",
          "demo",
          "--run-id",
          "x",
          "--results-dir",
          "res",
          "--repo-source",
          "swerl-demo/textkit=no-such-dir",
        ],
        names: /--repo-source swerl-demo\/textkit=.*no-such-dir: not a git repository/,
      },
    ];
    for (const c of cases) {
      const r = await runCli(c.args, { cwd: dir });
      expect(r.status, `${c.args.join(" ")}\n${r.stderr}`).toBe(2);
      expect(r.stderr.trim().split("\n"), c.args.join(" ")).toHaveLength(1);
      expect(r.stderr, c.args.join(" ")).toMatch(c.names);
    }
  });
});
