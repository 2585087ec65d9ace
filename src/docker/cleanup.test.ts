import { spawnSync } from "node:child_process";
import { hostname } from "node:os";
import type Docker from "dockerode";
import { beforeAll, describe, expect, it } from "vitest";
import { LABEL_SCOPE, removeRunContainers, sweepOrphans } from "./cleanup.js";
import { startContainer } from "./container.js";
import { BASE_IMAGE, containersOfRun, requireDocker, TEST_ENGINE, testRunId } from "../../test/support/docker.js";

let docker: Docker;
beforeAll(async () => {
  docker = await requireDocker();
});

/**
 * A container labelled as if some swerl process (owner) had started it. Scoped to `scope`: a
 * `swerl run` elsewhere on the shared engine does not sweep it under this test.
 */
async function fakeSandbox(
  runId: string,
  scope: string,
  labels: Record<string, string>,
  running = true,
): Promise<string> {
  const c = await docker.createContainer({
    Image: BASE_IMAGE,
    Entrypoint: ["sleep", "infinity"],
    NetworkDisabled: true,
    Labels: { "swerl.run": runId, [LABEL_SCOPE]: scope, ...labels },
    HostConfig: { NetworkMode: "none", Init: true },
  });
  if (running) await c.start();
  return c.id;
}

describe("removeRunContainers", () => {
  it("removes every container of the run, running or not, and nothing else", async () => {
    const runA = testRunId("cleanA");
    const runB = testRunId("cleanB");
    const a1 = await startContainer(docker, { image: BASE_IMAGE, runId: runA, instanceId: "a__a-1" });
    await fakeSandbox(runA, "x", {}, false);
    const b1 = await startContainer(docker, { image: BASE_IMAGE, runId: runB, instanceId: "b__b-1" });
    try {
      expect(await containersOfRun(docker, runA)).toHaveLength(2);
      expect(await removeRunContainers(docker, runA)).toBe(2);
      expect(await containersOfRun(docker, runA)).toEqual([]);
      expect((await containersOfRun(docker, runB)).map((c) => c.Id)).toEqual([b1.id]);
      expect(await removeRunContainers(docker, runA)).toBe(0);
      await a1.remove(); // already gone: still fine
    } finally {
      await removeRunContainers(docker, runB);
    }
  });
});

describe("sweepOrphans", () => {
  it("removes containers whose owner process is gone, keeps live and foreign ones", async () => {
    const runId = testRunId("sweep");
    const scope = `${LABEL_SCOPE}=${runId}`;
    const deadPid = spawnSync("true").pid!;
    const dead = await fakeSandbox(runId, runId, { "swerl.owner": `${hostname()}:${deadPid}` });
    const live = await startContainer(docker, {
      image: BASE_IMAGE,
      runId,
      instanceId: "live__live-1",
      labels: { [LABEL_SCOPE]: runId },
    });
    const foreign = await fakeSandbox(runId, runId, { "swerl.owner": "some-other-host:1" });
    const unownedStopped = await fakeSandbox(runId, runId, {}, false);
    const unownedRunning = await fakeSandbox(runId, runId, {});
    try {
      // A sweep not scoped to them (as every `swerl run` does) leaves scoped containers alone.
      expect(await sweepOrphans(docker, { label: `swerl.run=${runId}`, all: true })).toBe(0);
      expect(await containersOfRun(docker, runId)).toHaveLength(5);
      expect(await sweepOrphans(docker, { label: scope })).toBe(2);
      const left = (await containersOfRun(docker, runId)).map((c) => c.Id).sort();
      expect(left).toEqual([live.id, foreign, unownedRunning].sort());
      expect(left).not.toContain(dead);
      expect(left).not.toContain(unownedStopped);
      expect(await sweepOrphans(docker, { label: scope, all: true })).toBe(3);
      expect(await containersOfRun(docker, runId)).toEqual([]);
    } finally {
      await removeRunContainers(docker, runId);
    }
  });
});

describe("sweepOrphans in several processes at once", () => {
  it("shares out the orphans: a removal already in progress elsewhere is no error", async () => {
    // Two shards requeued together (swerl slurm) both sweep the dead processes' containers.
    const runId = testRunId("sweep-race");
    const deadPid = spawnSync("true").pid!;
    const orphans = await Promise.all(
      [0, 1, 2, 3, 4, 5].map((i) =>
        fakeSandbox(runId, runId, { "swerl.owner": `${hostname()}:${deadPid}`, "swerl.i": String(i) }),
      ),
    );
    try {
      const removed = await Promise.all(
        [0, 1, 2, 3].map(() => sweepOrphans(docker, { label: `${LABEL_SCOPE}=${runId}` })),
      );
      // Docker answers 409 to all but one of the concurrent removals of a container; Podman lets
      // each caller's removal succeed, so there a container may be counted by several sweeps.
      for (const n of removed) expect(n).toBeLessThanOrEqual(orphans.length);
      if (TEST_ENGINE === "docker") expect(removed.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(orphans.length);
      expect(await containersOfRun(docker, runId)).toEqual([]);
    } finally {
      await removeRunContainers(docker, runId);
    }
  });
});
