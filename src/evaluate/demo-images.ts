// The demo benchmark's images are built locally on first use (from the offline base image).
import type Docker from "dockerode";
import type { Instance } from "../dataset/schema.js";
import { buildInstanceImage } from "../images/build.js";
import { demoImageDefaults } from "../images/demo-defaults.js";
import { log } from "../log/logger.js";

export async function ensureDemoImages(docker: Docker, instances: Instance[], namespace: string): Promise<void> {
  const defaults = await demoImageDefaults("demo");
  for (const inst of instances) {
    const r = await buildInstanceImage(docker, inst, { ...defaults, namespace });
    if (r.built) log.info(`built ${r.image} in ${r.seconds.toFixed(1)}s`);
  }
}
