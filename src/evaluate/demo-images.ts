// The demo benchmarks' images are built locally on first use (from the offline base image, or
// the toolchain images for the multilingual demo).
import type Docker from "dockerode";
import pLimit from "p-limit";
import type { Instance } from "../dataset/schema.js";
import { buildInstanceImage } from "../images/build.js";
import { demoDatasetsOf, demoImageDefaults, type DemoImageDefaults } from "../images/demo-defaults.js";
import { log } from "../log/logger.js";

export async function ensureDemoImages(docker: Docker, instances: Instance[], namespace: string): Promise<void> {
  const defaults: DemoImageDefaults = { envImages: {}, repoSources: {} };
  for (const dataset of demoDatasetsOf(instances.map((i) => i.repo))) {
    const d = await demoImageDefaults(dataset);
    Object.assign(defaults.envImages, d.envImages);
    Object.assign(defaults.repoSources, d.repoSources);
  }
  const builds = pLimit(BUILDS_AT_ONCE);
  await Promise.all(instances.map((inst) => builds(async () => {
    const r = await buildInstanceImage(docker, inst, { ...defaults, namespace });
    if (r.built) log.info(`built ${r.image} in ${r.seconds.toFixed(1)}s`);
  })));
}

/** Images built at once: most time goes to compiling the repo in its image (one core each). */
const BUILDS_AT_ONCE = 2;
