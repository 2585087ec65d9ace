// For the embedded demo benchmark, images come from the offline base image and the demo's
// own git repos, so `swerl images build --dataset demo` needs no other option.
import { DEMO_OWNER, buildDemoBenchmark } from "../demo/build.js";

export const BASE_IMAGE = process.env.SWERL_BASE_IMAGE ?? "swerl/base:bookworm";

export async function demoImageDefaults(dataset: string): Promise<{ envImages: Record<string, string>; repoSources: Record<string, string> }> {
  if (dataset !== "demo") return { envImages: {}, repoSources: {} };
  const demo = await buildDemoBenchmark();
  const envImages = Object.fromEntries(Object.keys(demo.repoSources).map((repo) => [repo, BASE_IMAGE]));
  return { envImages, repoSources: demo.repoSources };
}

export const isDemoRepo = (repo: string): boolean => repo.startsWith(`${DEMO_OWNER}/`);
