// Image preparation, the one place that knows how an instance gets its image: every instance's
// image present on the engine before the Docker stages. The demo benchmark's images are built
// locally from offline images (the base image; for the multilingual demo, the toolchain image
// of each repo's language: scripts/build-toolchain-images.sh) and the demos' own git repos; others are
// taken as they are locally or pulled from the configured namespace (never with namespace
// "none"). An instance whose image cannot be had is left out of the Docker stages (recorded),
// never stopping the others. `swerl run` does this beside the model stages.
import type Docker from "dockerode";
import pLimit from "p-limit";
import type { Instance } from "../dataset/schema.js";
import { DEMO_OWNER, isDemoDataset, type DemoDataset } from "../demo/build.js";
import { buildDemoDataset } from "../demo/multilingual.js";
import { DEMO_MULTILINGUAL_REPO_SPECS, DEMO_TOOLCHAIN_IMAGES } from "../spec/data/demo-multilingual.js";
import { resolveImage } from "../docker/images.js";
import { log } from "../log/logger.js";
import { makeTestSpec } from "../spec/test-spec.js";
import { buildInstanceImage } from "./build.js";

export const BASE_IMAGE = process.env.SWERL_BASE_IMAGE ?? "swerl/base:bookworm";

/** A repo of the embedded demo benchmark (its images are built here, never pulled). */
export const isDemoRepo = (repo: string): boolean => repo.startsWith(`${DEMO_OWNER}/`);

/** Whether images missing locally are pulled: not for locally built ones (namespace "none"). */
export const pullsImages = (namespace: string): boolean => namespace !== "none" && namespace !== "";

export interface DemoImageDefaults {
  envImages: Record<string, string>;
  repoSources: Record<string, string>;
}

/** The environment image a demo repo's instance images are built on. */
export function demoEnvImage(repo: string): string {
  const ml = Object.hasOwn(DEMO_MULTILINGUAL_REPO_SPECS, repo) ? DEMO_MULTILINGUAL_REPO_SPECS[repo] : undefined;
  return ml ? DEMO_TOOLCHAIN_IMAGES[ml.language]! : BASE_IMAGE;
}

/** For the embedded demo benchmarks: environment images and repos, so `swerl images build --dataset demo|demo-multilingual` needs no other option. */
export async function demoImageDefaults(dataset: string): Promise<DemoImageDefaults> {
  if (!isDemoDataset(dataset)) return { envImages: {}, repoSources: {} };
  const demo = await buildDemoDataset(dataset);
  const envImages = Object.fromEntries(Object.keys(demo.repoSources).map((repo) => [repo, demoEnvImage(repo)]));
  return { envImages, repoSources: demo.repoSources };
}

/** The demo benchmarks some of these repos belong to (each demo repo is in exactly one). */
export function demoDatasetsOf(repos: Iterable<string>): DemoDataset[] {
  const found = new Set<DemoDataset>();
  for (const repo of repos) {
    if (!isDemoRepo(repo)) continue;
    found.add(Object.hasOwn(DEMO_MULTILINGUAL_REPO_SPECS, repo) ? "demo-multilingual" : "demo");
  }
  return [...found].sort();
}

/** Images built at once: most time goes to compiling the repo in its image (one core each). */
const BUILDS_AT_ONCE = 2;

/** The images of the demo benchmarks' instances among `instances`, built on first use. */
export async function ensureDemoImages(
  docker: Docker,
  instances: readonly Instance[],
  namespace: string,
): Promise<void> {
  const demo = instances.filter((i) => isDemoRepo(i.repo));
  if (demo.length === 0) return;
  const defaults: DemoImageDefaults = { envImages: {}, repoSources: {} };
  for (const dataset of demoDatasetsOf(demo.map((i) => i.repo))) {
    const d = await demoImageDefaults(dataset);
    Object.assign(defaults.envImages, d.envImages);
    Object.assign(defaults.repoSources, d.repoSources);
  }
  const builds = pLimit(BUILDS_AT_ONCE);
  await Promise.all(
    demo.map((inst) =>
      builds(async () => {
        const r = await buildInstanceImage(docker, inst, { ...defaults, namespace });
        if (r.built) log.info(`built ${r.image} in ${r.seconds.toFixed(1)}s`);
      }),
    ),
  );
}

/** Image pulls at once (a registry serves several layers in parallel; one at a time leaves it idle). */
const PULLS_AT_ONCE = 4;

/** instance_id → why its image is missing, for the instances without one. */
export async function ensureInstanceImages(
  docker: Docker,
  instances: readonly Instance[],
  namespace: string,
): Promise<Record<string, string>> {
  const missing: Record<string, string> = {};
  await ensureDemoImages(docker, instances, namespace);
  const pulls = pLimit(PULLS_AT_ONCE);
  await Promise.all(
    instances
      .filter((i) => !isDemoRepo(i.repo))
      .map((inst) =>
        pulls(async () => {
          try {
            const image = makeTestSpec(inst, { namespace }).image;
            const r = await resolveImage(docker, image, { pull: pullsImages(namespace) });
            if (r.pulled) log.info(`pulled ${image}`);
          } catch (err) {
            missing[inst.instance_id] = (err as Error).message.split("\n")[0];
            log.warn(
              `images: ${inst.instance_id} has no image, left out of the Docker stages: ${missing[inst.instance_id]}`,
            );
          }
        }),
      ),
  );
  return missing;
}
