import { describe, expect, it } from "vitest";
import { runCli } from "./helpers/cli.js";

const PIPELINE = ["run", "localize", "repair", "reproduce", "regress", "validate", "rerank", "evaluate", "report",
  "ablate", "repo-map", "reward", "spec", "images", "dataset", "cache"];

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
