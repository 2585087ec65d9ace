// Shared setup for the Docker tests: a real engine and the offline base image, or a failure
// (never a skip) that says what is missing.
import type Docker from "dockerode";
import { dockerClient, ensureDockerAvailable } from "../../src/docker/client.js";
import { resolveImage } from "../../src/docker/images.js";
import { inspectEngine, type EngineKind } from "../../src/docker/engine-info.js";

export const BASE_IMAGE = process.env.SWERL_BASE_IMAGE ?? "swerl/base:bookworm";

/** The engine kind the tests of this vitest project run on (the "podman" project sets it). */
export const TEST_ENGINE: EngineKind = process.env.SWERL_TEST_ENGINE === "podman" ? "podman" : "docker";

export async function requireDocker(): Promise<Docker> {
  const docker = dockerClient();
  await ensureDockerAvailable(docker);
  // A Podman run that reached Docker (or the reverse) would test the wrong engine: fail.
  const kind = (await inspectEngine(docker)).kind;
  if (kind !== TEST_ENGINE)
    throw new Error(
      `these tests are for ${TEST_ENGINE} but the engine at ${process.env.DOCKER_HOST ?? "the default socket"} is ${kind}`,
    );
  try {
    await resolveImage(docker, BASE_IMAGE, { pull: false });
  } catch (err) {
    throw new Error(`${(err as Error).message}\n(build it with scripts/build-base-image.sh)`);
  }
  return docker;
}

export function testRunId(name: string): string {
  return `test-${name}-${process.pid}-${Date.now().toString(36)}`;
}

export async function containersOfRun(docker: Docker, runId: string): Promise<Docker.ContainerInfo[]> {
  return docker.listContainers({ all: true, filters: { label: [`swerl.run=${runId}`] } });
}
