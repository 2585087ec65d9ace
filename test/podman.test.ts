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
import { EnginePool } from "../src/docker/engines.js";
import { ImagePlacer } from "../src/docker/image-placement.js";
import { buildDemoBenchmark } from "../src/demo/build.js";
import { runCli } from "./helpers/cli.js";

const PODMAN = `unix://${process.env.SWERL_PODMAN_SOCKET ?? "/run/podman/podman.sock"}`;
const DOCKER = "unix:///var/run/docker.sock";
const resultsDir = mkdtempSync(join(tmpdir(), "swerl-podman-"));
let ids: string[] = [];

beforeAll(async () => {
  for (const [host, kind] of [
    [PODMAN, "podman"],
    [DOCKER, "docker"],
  ] as const) {
    const docker = dockerClient(host);
    await ensureDockerAvailable(docker); // no engine → the file fails, as it must in CI
    expect((await inspectEngine(docker)).kind).toBe(kind);
  }
  const demo = await buildDemoBenchmark();
  ids = readFileSync(demo.datasetPath, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l).instance_id as string)
    .sort();
}, 600_000);

async function evaluateGold(runId: string, host: string) {
  const r = await runCli(
    [
      "evaluate",
      "--dataset",
      "demo",
      "--predictions",
      "gold",
      "--run-id",
      runId,
      "--docker-host",
      host,
      "--namespace",
      "none",
      "--results-dir",
      resultsDir,
      "--timeout",
      "120",
      "--memory",
      "1g",
      "--pids-limit",
      "256",
      "--max-workers",
      "2",
    ],
    { env: { DOCKER_HOST: "" } },
  );
  if (r.status !== 0) throw new Error(`evaluate on ${host} exited ${r.status}:\n${r.stderr}`);
  const read = (...p: string[]) => readFileSync(join(resultsDir, runId, ...p), "utf8");
  const records = read("evaluation.jsonl")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .map(
      ({ timings_ms: _t, engine, ...rest }): Record<string, unknown> => ({
        ...rest,
        engineGiven: engine !== undefined,
      }),
    )
    .sort((a, b) => String(a.instance_id).localeCompare(String(b.instance_id)));
  return {
    stderr: r.stderr,
    runReport: JSON.parse(read("run_report.json")),
    reports: Object.fromEntries(ids.map((id) => [id, JSON.parse(read("evaluation", id, "report.json"))])),
    records,
    engines: read("evaluation.jsonl")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l).engine as string),
  };
}

describe("swerl evaluate --predictions gold on Podman", () => {
  it("resolves 5/5 on Podman with the same reports as on Docker", async () => {
    const [podman, docker] = await Promise.all([
      evaluateGold("gold-podman", PODMAN),
      evaluateGold("gold-docker", DOCKER),
    ]);
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

describe("a pool of a Docker and a Podman engine", () => {
  it("copies an image either way, found afterwards under the name asked for", async () => {
    const pool = new EnginePool([
      { host: DOCKER, workers: 1 },
      { host: PODMAN, workers: 1 },
    ]);
    const [docker, podman] = pool.engines as [(typeof pool.engines)[0], (typeof pool.engines)[0]];
    // A tag of our own on the base image: copying it moves no new layers, removing it removes none.
    const name = `swerl-podman-test/copy:${process.pid}`;
    const placer = new ImagePlacer(pool);
    const untag = async (engine: typeof docker, n: string) => {
      await engine.docker
        .getImage(n)
        .remove({ noprune: true })
        .catch(() => {});
    };
    try {
      await docker.docker.getImage("swerl/base:bookworm").tag({ repo: name.split(":")[0], tag: String(process.pid) });
      expect(await placer.ensure(podman, name)).toBe(true); // Docker → Podman (stored as localhost/…)
      expect((await podman.docker.getImage(name).inspect()).RepoTags).toContain(`localhost/${name}`);
      await untag(docker, name);
      await expect(docker.docker.getImage(name).inspect()).rejects.toMatchObject({ statusCode: 404 });
      expect(await placer.ensure(docker, name)).toBe(true); // Podman → Docker: tagged NAME again
      expect((await docker.docker.getImage(name).inspect()).RepoTags).toContain(name);
    } finally {
      await untag(docker, name);
      await untag(docker, `localhost/${name}`);
      await untag(podman, `localhost/${name}`);
      pool.close();
    }
  }, 300_000);
});
