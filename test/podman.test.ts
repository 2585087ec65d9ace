// `swerl evaluate --predictions gold` of the demo benchmark on Podman's Docker-compatible socket
// (started by scripts/setup-podman.sh) and on Docker: every instance resolved on both, and the
// same per-instance report.json, run_report.json and evaluation records apart from timings and
// the engine address. No Podman answering → this file fails (never skips).
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { dockerClient, ensureDockerAvailable } from "../src/docker/client.js";
import { inspectEngine } from "../src/docker/engine-info.js";
import { buildDemoBenchmark } from "../src/demo/build.js";
import { runCli } from "./helpers/cli.js";

const PODMAN = `unix://${process.env.SWERL_PODMAN_SOCKET ?? "/run/podman/podman.sock"}`;
const DOCKER = "unix:///var/run/docker.sock";
const resultsDir = mkdtempSync(join(tmpdir(), "swerl-podman-"));
let ids: string[] = [];

beforeAll(async () => {
  for (const [host, kind] of [[PODMAN, "podman"], [DOCKER, "docker"]] as const) {
    const docker = dockerClient(host);
    await ensureDockerAvailable(docker); // no engine → the file fails, as it must in CI
    expect((await inspectEngine(docker)).kind).toBe(kind);
  }
  const demo = await buildDemoBenchmark();
  ids = readFileSync(demo.datasetPath, "utf8").trim().split("\n").map((l) => JSON.parse(l).instance_id as string).sort();
}, 600_000);

async function evaluateGold(runId: string, host: string) {
  const r = await runCli(["evaluate", "--dataset", "demo", "--predictions", "gold", "--run-id", runId, "--docker-host", host,
    "--namespace", "none", "--results-dir", resultsDir, "--timeout", "120", "--memory", "1g", "--pids-limit", "256", "--max-workers", "2"],
  { env: { DOCKER_HOST: "" } });
  if (r.status !== 0) throw new Error(`evaluate on ${host} exited ${r.status}:\n${r.stderr}`);
  const read = (...p: string[]) => readFileSync(join(resultsDir, runId, ...p), "utf8");
  const records = read("evaluation.jsonl").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>)
    .map(({ timings_ms: _t, engine, ...rest }): Record<string, unknown> => ({ ...rest, engineGiven: engine !== undefined }))
    .sort((a, b) => String(a.instance_id).localeCompare(String(b.instance_id)));
  return {
    stderr: r.stderr,
    runReport: JSON.parse(read("run_report.json")),
    reports: Object.fromEntries(ids.map((id) => [id, JSON.parse(read("evaluation", id, "report.json"))])),
    records,
    engines: read("evaluation.jsonl").trim().split("\n").map((l) => JSON.parse(l).engine as string),
  };
}

describe("swerl evaluate --predictions gold on Podman", () => {
  it("resolves 5/5 on Podman with the same reports as on Docker", async () => {
    const [podman, docker] = await Promise.all([evaluateGold("gold-podman", PODMAN), evaluateGold("gold-docker", DOCKER)]);
    expect(podman.runReport.resolved_instances).toBe(5);
    expect(podman.runReport.error_instances).toBe(0);
    expect(podman.runReport.resolved_ids).toEqual(ids);
    // At start swerl says the engine is Podman and what differs.
    expect(podman.stderr).toMatch(/engine at unix:\/\/\/run\/podman\/podman\.sock: Podman \d+\.\d+/);
    expect(podman.stderr).toMatch(/podman engine at .*exit_command_delay/);
    expect(docker.stderr).not.toMatch(/Podman/);
    // Same grading, instance by instance; only where it ran differs.
    expect(podman.runReport).toEqual(docker.runReport);
    expect(podman.reports).toEqual(docker.reports);
    expect(podman.records).toEqual(docker.records);
    expect(new Set(podman.engines)).toEqual(new Set([PODMAN]));
    expect(new Set(docker.engines)).toEqual(new Set([DOCKER]));
  }, 900_000);
});
