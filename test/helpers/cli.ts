// The built CLI as a child process, for tests. Always async: a test worker blocked in
// spawnSync cannot answer vitest's RPC, and a call that blocks past 60 s (an evaluation on a
// loaded machine) fails the whole run with `Timeout calling "onTaskUpdate"` though every test passed.
import { spawn } from "node:child_process";
import { cliPath } from "./paths.js";

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  input?: string;
  env?: NodeJS.ProcessEnv;
  /** Working directory of the CLI (default: the test's). */
  cwd?: string;
  /** Node's own flags, before the script (e.g. --import a hook). */
  nodeArgs?: string[];
}

export function runCli(args: string[], opts: CliOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn("node", [...(opts.nodeArgs ?? []), cliPath, ...args], {
      env: { ...process.env, ...opts.env },
      cwd: opts.cwd,
    });
    let stdout = "",
      stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.once("error", reject);
    child.once("close", (status) => resolve({ status, stdout, stderr }));
    child.stdin.on("error", () => {}); // a CLI that exits before reading its input is the test's business
    child.stdin.end(opts.input ?? "");
  });
}
