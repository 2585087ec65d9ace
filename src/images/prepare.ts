// Image preparation, the one place that knows how an instance gets its image: every instance's
// image present on the engine before the Docker stages. The demo benchmark's images are built
// locally from the offline base image (its repos are the demo's own git repos); others are
// taken as they are locally or pulled from the configured namespace (never with namespace
// "none"). An instance whose image cannot be had is left out of the Docker stages (recorded),
// never stopping the others. `swerl run` does this beside the model stages.
import type Docker from "dockerode";
import pLimit from "p-limit";
import type { Instance } from "../dataset/schema.js";
import { buildDemoBenchmark, DEMO_OWNER } from "../demo/build.js";
import { resolveImage } from "../docker/images.js";
import { log } from "../log/logger.js";
import { makeTestSpec } from "../spec/test-spec.js";
import { buildInstanceImage } from "./build.js";

export const BASE_IMAGE = process.env.SWERL_BASE_IMAGE ?? "swerl/base:bookworm";

/** A repo of the embedded demo benchmark (its images are built here, never pulled). */
export const isDemoRepo = (repo: string): boolean => repo.startsWith(`${DEMO_OWNER}/`);

/** Whether images missing locally are pulled: not for locally built ones (namespace "none"). */
export const pullsImages = (namespace: string): boolean => namespace !== "none" && namespace !== "";

/** For the embedded demo benchmark: its environment image and repos, so `swerl images build --dataset demo` needs no other option. */
export async function demoImageDefaults(dataset: string): Promise<{ envImages: Record<string, string>; repoSources: Record<string, string> }> {
  if (dataset !== "demo") return { envImages: {}, repoSources: {} };
  const demo = await buildDemoBenchmark();
  const envImages = Object.fromEntries(Object.keys(demo.repoSources).map((repo) => [repo, BASE_IMAGE]));
  return { envImages, repoSources: demo.repoSources };
}

/** The images of the demo benchmark's instances among `instances`, built on first use. */
export async function ensureDemoImages(docker: Docker, instances: readonly Instance[], namespace: string): Promise<void> {
  const demo = instances.filter((i) => isDemoRepo(i.repo));
  if (demo.length === 0) return;
  const defaults = await demoImageDefaults("demo");
  for (const inst of demo) {
    const r = await buildInstanceImage(docker, inst, { ...defaults, namespace });
    if (r.built) log.info(`built ${r.image} in ${r.seconds.toFixed(1)}s`);
  }
}

/** Image pulls at once (a registry serves several layers in parallel; one at a time leaves it idle). */
const PULLS_AT_ONCE = 4;

/** instance_id → why its image is missing, for the instances without one. */
export async function ensureInstanceImages(docker: Docker, instances: readonly Instance[], namespace: string): Promise<Record<string, string>> {
  const missing: Record<string, string> = {};
  await ensureDemoImages(docker, instances, namespace);
  const pulls = pLimit(PULLS_AT_ONCE);
  await Promise.all(instances.filter((i) => !isDemoRepo(i.repo)).map((inst) => pulls(async () => {
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
