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

  it("rejects a bad --log-level with one clear line", async () => {
    const r = await runCli(["--log-level", "loud", "dataset", "info", "--dataset", "demo"]);
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe('swerl: --log-level must be one of debug, info, warn, error (got "loud")');
  });
});
