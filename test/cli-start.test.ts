// The CLI loads only the command it runs: `swerl --help` and `--version` import no stage
// module (checked on the module graph Node actually loads, not by timing), and the help lines
// of the command table (src/cli/commands.cts) are those of the commands themselves.
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Help } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMMANDS, invokedCommandName } from "../src/cli/commands.cjs";
import { runCli } from "./helpers/cli.js";
import { repoRoot } from "./helpers/paths.js";

const recorder = fileURLToPath(new URL("./helpers/record-imports.mjs", import.meta.url));
const dist = join(repoRoot, "dist");
let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "swerl-cli-start-"));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** A stage is a folder of src/ with a command.ts; its modules are everything in that folder. */
async function stageDirs(): Promise<string[]> {
  const dirs = await readdir(join(repoRoot, "src"), { withFileTypes: true });
  const out: string[] = [];
  for (const d of dirs) {
    if (d.isDirectory() && (await readdir(join(repoRoot, "src", d.name))).includes("command.ts")) out.push(d.name);
  }
  return out;
}

/** The modules a CLI run loaded: files of dist/ (relative) and npm packages by name. */
async function loadedModules(args: string[]): Promise<{ status: number | null; dist: string[]; packages: string[] }> {
  const logFile = join(tmp, `imports-${args.join("_").replace(/[^a-z-]/gi, "")}-${Date.now()}.txt`);
  const r = await runCli(args, {
    nodeArgs: ["--import", pathToFileURL(recorder).href],
    env: { SWERL_IMPORT_LOG: logFile },
  });
  const urls = (await readFile(logFile, "utf8")).split("\n").filter((u) => u.startsWith("file:"));
  const files = [...new Set(urls.map((u) => fileURLToPath(u)))]; // CommonJS ones may be listed twice
  return {
    status: r.status,
    dist: files.filter((f) => f.startsWith(dist + "/")).map((f) => relative(dist, f)),
    packages: [
      ...new Set(files.map((f) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f)?.[1]).filter((p): p is string => !!p)),
    ],
  };
}

describe("swerl start-up loads only what the command needs", () => {
  it("--version and --help import no stage module, no ES module of ours, and no package but commander", async () => {
    const stages = await stageDirs();
    expect(stages).toEqual(expect.arrayContaining(["repair", "validate", "repomap", "evaluate", "run"]));
    for (const args of [["--version"], ["-V"], ["--help"], ["help"]]) {
      const loaded = await loadedModules(args);
      expect(loaded.status, args.join(" ")).toBe(0);
      // Only the CommonJS entry and its command table: no ES module of ours (Node starts an ES
      // module entry ≈ 14 ms slower), so no logger, path options or InputError either.
      expect(loaded.dist.sort(), args.join(" ")).toEqual(["cli/commands.cjs", "cli/main.cjs"]);
      const stageModules = loaded.dist.filter((f) => stages.includes(f.split("/")[0]!));
      expect(stageModules, args.join(" ")).toEqual([]);
      // swerl slurm's code (src/slurm, src/cli/slurm*.ts) is loaded only by `swerl slurm`.
      expect(
        loaded.dist.filter((f) => f.startsWith("slurm/") || f.startsWith("cli/slurm")),
        args.join(" "),
      ).toEqual([]);
      // --version is answered before commander loads.
      expect(loaded.packages, args.join(" ")).toEqual(
        args[0]!.startsWith("-V") || args[0] === "--version" ? [] : ["commander"],
      );
    }
  });

  it("`swerl repo-map --help` loads the repo-map command and no other stage", async () => {
    const stages = await stageDirs();
    const loaded = await loadedModules(["--log-level", "warn", "repo-map", "--help"]);
    expect(loaded.status).toBe(0);
    expect(loaded.dist).toContain("repomap/command.js");
    const otherStages = loaded.dist.filter((f) => stages.includes(f.split("/")[0]!) && !f.startsWith("repomap/"));
    expect(otherStages).toEqual([]);
    expect(loaded.packages).not.toContain("openai");
    expect(loaded.packages).not.toContain("dockerode");
  });
});

describe("the command table", () => {
  it("lists each command with the help line the command itself has", async () => {
    const help = new Help();
    for (const entry of COMMANDS) {
      const cmd = await entry.load();
      expect(cmd.name()).toBe(entry.name);
      expect(entry.description).toBe(cmd.description());
      expect(entry.term).toBe(help.subcommandTerm(cmd));
    }
  });

  it("finds the command a command line runs as commander does", () => {
    expect(invokedCommandName(["repair", "-c", "x.yaml"])).toBe("repair");
    expect(invokedCommandName(["--log-level", "debug", "-q", "repo-map", "--repo", "."])).toBe("repo-map");
    expect(invokedCommandName(["help", "validate"])).toBe("validate");
    expect(invokedCommandName(["--help"])).toBeUndefined();
    expect(invokedCommandName(["--version"])).toBeUndefined();
  });
});
