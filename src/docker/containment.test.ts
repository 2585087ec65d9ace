// The containment check on real inspect output of the vitest project's engine (this file runs on
// Docker and on Podman): a sandbox passes; a container created without limits or with a network
// is named for each thing it lacks.
import type Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeRunContainers, withSandbox } from "./cleanup.js";
import { containmentProblems } from "./containment.js";
import { LABEL_OWNER, LABEL_RUN, ownerLabel } from "./container.js";
import { BASE_IMAGE, requireDocker, TEST_ENGINE, testRunId } from "../../test/support/docker.js";

let docker: Docker;
const runId = testRunId("containment");
const MIB = 1024 * 1024;

beforeAll(async () => {
  docker = await requireDocker();
});
afterAll(async () => {
  if (docker) await removeRunContainers(docker, runId);
});

describe(`containmentProblems on ${TEST_ENGINE}`, () => {
  it("finds nothing missing in a sandbox started with limits", async () => {
    const want = { memoryBytes: 300 * MIB, pidsLimit: 77, nanoCpus: 700_000_000 };
    await withSandbox(docker, { image: BASE_IMAGE, runId, instanceId: "ok__ok-1", ...want }, async (box) => {
      expect(containmentProblems(await docker.getContainer(box.id).inspect(), want)).toEqual([]);
      // The same inspect against other wishes names each mismatch.
      const other = containmentProblems(await docker.getContainer(box.id).inspect(), {
        memoryBytes: 1,
        pidsLimit: 2,
        nanoCpus: 3,
      });
      expect(other).toEqual([
        `memory limit is ${300 * MIB}, not 1`,
        `memory+swap limit is ${300 * MIB}, not 1`,
        "pids limit is 77, not 2",
        "CPU limit is 700000000 nano-CPUs, not 3",
      ]);
    });
  });

  it("names a container with no limits and no network isolation", async () => {
    // What an engine that drops limits (or a caller that forgot them) leaves: the default network, no limits.
    const c = await docker.createContainer({
      Image: BASE_IMAGE,
      Entrypoint: ["sleep", "infinity"],
      Labels: { [LABEL_RUN]: runId, [LABEL_OWNER]: ownerLabel() },
      HostConfig: TEST_ENGINE === "podman" ? {} : { NetworkMode: "bridge" },
    });
    try {
      const problems = containmentProblems(await c.inspect(), { memoryBytes: 128 * MIB, pidsLimit: 64 });
      expect(problems[0]).toMatch(/^network mode is "(bridge|default|slirp4netns|private)", not "none"$/);
      expect(problems).toContain(`memory limit is 0, not ${128 * MIB}`);
      expect(problems.some((p) => /^pids limit is (0|-1|null|undefined|\d+), not 64$/.test(p))).toBe(true);
    } finally {
      await c.remove({ force: true });
    }
  });
});
