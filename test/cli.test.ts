import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { cliPath } from "./helpers/paths.js";

const PIPELINE = ["run", "localize", "repair", "reproduce", "regress", "validate", "rerank", "evaluate", "report",
  "ablate", "repo-map", "reward", "spec", "images", "dataset", "cache"];

describe("swerl --help", () => {
  it("lists every command of the pipeline", () => {
    const r = spawnSync("node", [cliPath, "--help"], { encoding: "utf8" });
    expect(r.status).toBe(0);
    const listed = [...r.stdout.matchAll(/^ {2}([a-z-]+)\s/gm)].map((m) => m[1]);
    for (const name of PIPELINE) expect(listed, name).toContain(name);
  });

  it("rejects a bad --log-level with one clear line", () => {
    const r = spawnSync("node", [cliPath, "--log-level", "loud", "dataset", "info", "--dataset", "demo"], { encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe('swerl: --log-level must be one of debug, info, warn, error (got "loud")');
  });
});
