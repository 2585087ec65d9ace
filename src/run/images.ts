// Before the Docker stages: every instance's image present on the engine. The demo
// benchmark's images are built locally from the offline base image; others are taken as they
// are locally or pulled from the configured namespace. An instance whose image cannot be had
// is left out of the Docker stages (recorded), never stopping the others. `swerl run` does this
// beside the model stages.
import type Docker from "dockerode";
import pLimit from "p-limit";
import type { Instance } from "../dataset/schema.js";
import { DEMO_OWNER } from "../demo/build.js";
import { resolveImage } from "../docker/images.js";
import { ensureDemoImages } from "../evaluate/demo-images.js";
import { pullsImages } from "../evaluate/evaluate-predictions.js";
import { log } from "../log/logger.js";
import { makeTestSpec } from "../spec/test-spec.js";

/** Image pulls at once (a registry serves several layers in parallel; one at a time leaves it idle). */
const PULLS_AT_ONCE = 4;

/** instance_id → why its image is missing, for the instances without one. */
export async function ensureInstanceImages(docker: Docker, instances: readonly Instance[], namespace: string): Promise<Record<string, string>> {
  const missing: Record<string, string> = {};
  const demo = instances.filter((i) => i.repo.startsWith(`${DEMO_OWNER}/`));
  if (demo.length > 0) await ensureDemoImages(docker, demo, namespace);
  const pulls = pLimit(PULLS_AT_ONCE);
  await Promise.all(instances.filter((i) => !i.repo.startsWith(`${DEMO_OWNER}/`)).map((inst) => pulls(async () => {
    try {
      const image = makeTestSpec(inst, { namespace }).image;
      const r = await resolveImage(docker, image, { pull: pullsImages(namespace) });
      if (r.pulled) log.info(`pulled ${image}`);
    } catch (err) {
      missing[inst.instance_id] = (err as Error).message.split("\n")[0];
      log.warn(`images: ${inst.instance_id} has no image, left out of the Docker stages: ${missing[inst.instance_id]}`);
    }
  })));
  return missing;
}
