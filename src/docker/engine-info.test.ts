// Engine detection: from the /version and /info bodies both engines returned on this machine
// (Docker 20.10 and Podman 4.3, trimmed), and live against the engine of the vitest project
// (this file runs on Docker and on Podman).
import { describe, expect, it } from "vitest";
import { announceEngine, engineInfoFrom, engineNotes, inspectEngine } from "./engine-info.js";
import { describeEngine } from "./client.js";
import { requireDocker, TEST_ENGINE } from "../../test/support/docker.js";

const PODMAN_VERSION = {
  Version: "4.3.1",
  ApiVersion: "1.41",
  Platform: { Name: "linux/amd64/debian-12" },
  Components: [
    { Name: "Podman Engine", Version: "4.3.1" },
    { Name: "Conmon", Version: "conmon version 2.1.6, commit: unknown" },
    { Name: "OCI Runtime (runc)", Version: "runc version 1.1.5+ds1" },
  ],
};
const PODMAN_INFO = {
  Driver: "overlay",
  CgroupVersion: "1",
  CgroupDriver: "cgroupfs",
  SecurityOptions: ["name=seccomp,profile=default"],
};
const DOCKER_VERSION = {
  Version: "20.10.24+dfsg1",
  ApiVersion: "1.41",
  Platform: { Name: "" },
  Components: [
    { Name: "Engine", Version: "20.10.24+dfsg1" },
    { Name: "containerd", Version: "1.6.20~ds1" },
    { Name: "runc", Version: "1.1.5+ds1" },
    { Name: "docker-init", Version: "0.19.0" },
  ],
};
const DOCKER_INFO = {
  Driver: "overlay2",
  CgroupVersion: "1",
  CgroupDriver: "cgroupfs",
  SecurityOptions: ["name=seccomp,profile=default"],
};

describe("engineInfoFrom", () => {
  it("tells Podman from Docker by the component that names Podman", () => {
    expect(engineInfoFrom(PODMAN_VERSION, PODMAN_INFO)).toEqual({
      kind: "podman",
      version: "4.3.1",
      apiVersion: "1.41",
      storageDriver: "overlay",
      cgroupVersion: "1",
      cgroupDriver: "cgroupfs",
      rootless: false,
    });
    expect(engineInfoFrom(DOCKER_VERSION, DOCKER_INFO)).toMatchObject({
      kind: "docker",
      version: "20.10.24+dfsg1",
      storageDriver: "overlay2",
      rootless: false,
    });
  });

  it("also recognizes Podman by its platform name, and rootless engines by their security options", () => {
    const info = engineInfoFrom(
      { Version: "5.0.0", Platform: { Name: "Podman Engine" } },
      { ...PODMAN_INFO, SecurityOptions: ["name=seccomp,profile=default", "name=rootless"] },
    );
    expect(info).toMatchObject({ kind: "podman", version: "5.0.0", rootless: true });
  });
});

describe("engineNotes", () => {
  it("says nothing for rootful Docker, and for Podman names each difference that matters", () => {
    expect(engineNotes(engineInfoFrom(DOCKER_VERSION, DOCKER_INFO))).toEqual([]);
    const text = engineNotes(engineInfoFrom(PODMAN_VERSION, PODMAN_INFO))
      .map((n) => n.text)
      .join("\n");
    for (const topic of [
      /localhost\//,
      /storage driver overlay/,
      /catatonit/,
      /cgroup v1/,
      /conmon.*exit_command_delay/,
      /insecure/,
    ])
      expect(text).toMatch(topic);
  });

  it("warns that a rootless engine on cgroup v1 applies no limits, whatever its kind", () => {
    const rootless = { ...DOCKER_INFO, SecurityOptions: ["name=rootless"] };
    expect(engineNotes(engineInfoFrom(DOCKER_VERSION, rootless))).toEqual([
      expect.objectContaining({
        level: "warn",
        text: expect.stringMatching(/cannot apply memory, pids or CPU limits/),
      }),
    ]);
    expect(engineNotes(engineInfoFrom(DOCKER_VERSION, { ...rootless, CgroupVersion: "2" }))).toEqual([]);
  });
});

describe(`on the live engine (${TEST_ENGINE})`, () => {
  it("detects the engine the tests run on, with its storage driver and cgroup version", async () => {
    const docker = await requireDocker(); // fails when the engine is not TEST_ENGINE
    const info = await inspectEngine(docker);
    expect(info.kind).toBe(TEST_ENGINE);
    expect(info.storageDriver).toMatch(/^overlay/);
    expect(["1", "2"]).toContain(info.cgroupVersion);
    expect(await announceEngine(docker, describeEngine(docker))).toEqual(info);
  });
});
