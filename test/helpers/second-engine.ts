// A second, real Docker engine on this machine for multi-engine tests: its own socket,
// data-root, exec-root and pidfile, no bridge network and no iptables rules (containers run
// with network none anyway), so it cannot disturb the main engine.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, openSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type Docker from "dockerode";
import { dockerClient } from "../../src/docker/client.js";

export interface SecondEngine {
  host: string;
  docker: Docker;
  dir: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

async function waitForPing(docker: Docker, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      await docker.ping();
      return;
    } catch (err) {
      if (Date.now() > until)
        throw new Error(`second engine did not answer within ${timeoutMs} ms: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

export async function startSecondEngine(): Promise<SecondEngine> {
  // Short path: unix socket paths are limited to ~107 bytes.
  const dir = mkdtempSync(join(tmpdir(), "swerl-d2-"));
  const host = `unix://${join(dir, "docker.sock")}`;
  const docker = dockerClient(host);
  let proc: ChildProcess | undefined;
  const engine: SecondEngine = {
    host,
    docker,
    dir,
    async start() {
      const log = openSync(join(dir, "dockerd.log"), "a");
      proc = spawn(
        "dockerd",
        [
          "--host",
          host,
          "--data-root",
          join(dir, "data"),
          "--exec-root",
          join(dir, "exec"),
          "--pidfile",
          join(dir, "docker.pid"),
          "--bridge",
          "none",
          "--iptables=false",
          "--ip-masq=false",
        ],
        { stdio: ["ignore", log, log] },
      );
      await waitForPing(docker, 60_000);
    },
    async stop() {
      const p = proc;
      if (!p || p.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => p.once("exit", () => resolve()));
      p.kill("SIGTERM");
      await exited;
    },
  };
  await engine.start();
  return engine;
}
