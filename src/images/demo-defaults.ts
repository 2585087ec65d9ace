// For the embedded demo benchmarks, images come from offline images and the demo's own git
// repos, so `swerl images build --dataset demo|demo-multilingual` needs no other option: the
// Python demo's repos are built on the base image, the multilingual demo's on the toolchain
// image of their language (scripts/build-toolchain-images.sh).
import { DEMO_OWNER, isDemoDataset, type DemoDataset } from "../demo/build.js";
import { buildDemoDataset } from "../demo/multilingual.js";
import { DEMO_MULTILINGUAL_REPO_SPECS, DEMO_TOOLCHAIN_IMAGES } from "../spec/data/demo-multilingual.js";

export const BASE_IMAGE = process.env.SWERL_BASE_IMAGE ?? "swerl/base:bookworm";

export interface DemoImageDefaults { envImages: Record<string, string>; repoSources: Record<string, string> }

/** The environment image a demo repo's instance images are built on. */
export function demoEnvImage(repo: string): string {
  const ml = Object.hasOwn(DEMO_MULTILINGUAL_REPO_SPECS, repo) ? DEMO_MULTILINGUAL_REPO_SPECS[repo] : undefined;
  return ml ? DEMO_TOOLCHAIN_IMAGES[ml.language]! : BASE_IMAGE;
}

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

export const isDemoRepo = (repo: string): boolean => repo.startsWith(`${DEMO_OWNER}/`);
