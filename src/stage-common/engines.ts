// What the Docker-driven stages share: the engine pool from the config (docker.hosts, else
// $DOCKER_HOST / the local socket), an engine that answers, the demo benchmark's images built
// on first use, and the container limits from the config.
import type { SwerlConfig } from "../config/schema.js";
import type { Instance } from "../dataset/schema.js";
import { ensureDockerAvailable } from "../docker/client.js";
import { announceEngines, EnginePool } from "../docker/engines.js";
import { ensureDemoImages } from "../images/prepare.js";
import { parseMemory } from "../docker/limits.js";

export function enginePoolFromConfig(d: SwerlConfig["docker"]): EnginePool {
  return new EnginePool(
    d.hosts
      ? d.hosts.map((h) => ({ host: h.host, workers: h.workers ?? d.max_workers, hasImages: h.has_images }))
      : [{ host: process.env.DOCKER_HOST ?? "", workers: d.max_workers }],
  );
}

/** The first engine answers, and the demo's images (if any instance needs one) are built on it. */
export async function prepareEngines(
  engines: EnginePool,
  config: SwerlConfig,
  instances: readonly Instance[],
): Promise<void> {
  await ensureDockerAvailable(engines.engines[0]!.docker);
  await announceEngines(engines); // the others: which engine each is (Docker/Podman) and what differs
  await ensureDemoImages(engines.engines[0]!.docker, instances, config.docker.namespace);
}

export async function readyEngines(config: SwerlConfig, instances: readonly Instance[]): Promise<EnginePool> {
  const engines = enginePoolFromConfig(config.docker);
  await prepareEngines(engines, config, instances);
  return engines;
}

export const containerLimits = (d: SwerlConfig["docker"]) => ({
  memoryBytes: parseMemory(d.memory),
  pidsLimit: d.pids_limit,
  nanoCpus: d.cpus === undefined ? undefined : Math.round(d.cpus * 1e9),
});
