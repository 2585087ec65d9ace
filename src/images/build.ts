// Build an instance image locally: an environment image plus the repo at base_commit in
// /testbed (see prepare-testbed.ts), committed under the official name so `evaluate` finds it.
// Offline: the container that assembles it has no network; the repo is copied in as a tar.
import { spawn } from "node:child_process";
import { rm } from "node:fs/promises";
import type Docker from "dockerode";
import type { Instance } from "../dataset/schema.js";
import { instanceImageName } from "../spec/test-spec.js";
import { LABEL_INSTANCE, LABEL_OWNER, LABEL_ROLE, ownerLabel } from "../docker/container.js";
import { prepareTestbed } from "./prepare-testbed.js";

export interface BuildImageOptions {
  envImages: Record<string, string>; // repo → environment image
  defaultEnvImage?: string;
  repoSources: Record<string, string>;
  namespace?: string;
  force?: boolean;
}

export interface BuildImageResult { instance_id: string; image: string; built: boolean; seconds: number }

export async function imageExists(docker: Docker, name: string): Promise<boolean> {
  return (await imageLabels(docker, name)) !== null;
}

/** The image's labels, or null when it is not present locally. */
async function imageLabels(docker: Docker, name: string): Promise<Record<string, string> | null> {
  try {
    return (await docker.getImage(name).inspect()).Config?.Labels ?? {};
  } catch {
    return null;
  }
}

function tarOf(dir: string, entry: string): NodeJS.ReadableStream {
  const tar = spawn("tar", ["-C", dir, "-c", entry], { stdio: ["ignore", "pipe", "inherit"] });
  return tar.stdout;
}

export async function buildInstanceImage(docker: Docker, instance: Instance, opts: BuildImageOptions): Promise<BuildImageResult> {
  const started = Date.now();
  const image = instanceImageName(instance.instance_id, opts.namespace);
  const labels = await imageLabels(docker, image);
  // An image we built for another base commit (the demo's sources changed) is stale.
  const stale = labels?.["swerl.base_commit"] !== undefined && labels["swerl.base_commit"] !== instance.base_commit;
  if (!opts.force && labels !== null && !stale) {
    return { instance_id: instance.instance_id, image, built: false, seconds: 0 };
  }
  const envImage = opts.envImages[instance.repo] ?? opts.defaultEnvImage;
  if (!envImage) throw new Error(`${instance.instance_id}: no environment image for ${instance.repo} (use --env-image ${instance.repo}=IMAGE)`);
  if (!(await imageExists(docker, envImage))) throw new Error(`${instance.instance_id}: environment image ${envImage} is not present locally`);

  const { dir } = await prepareTestbed(instance.repo, instance.base_commit, opts.repoSources);
  const container = await docker.createContainer({
    Image: envImage,
    Cmd: ["sleep", "infinity"],
    NetworkDisabled: true,
    Labels: { [LABEL_ROLE]: "image-build", [LABEL_INSTANCE]: instance.instance_id, [LABEL_OWNER]: ownerLabel() },
    HostConfig: { NetworkMode: "none", Init: true, AutoRemove: false },
  });
  try {
    await container.start();
    await container.putArchive(tarOf(dir, "testbed"), { path: "/" });
    const [repo, tag] = splitTag(image);
    await container.stop({ t: 1 });
    await container.commit({
      repo, tag,
      changes: ["WORKDIR /testbed", 'CMD ["/bin/bash"]', `LABEL swerl.instance=${instance.instance_id} swerl.base_commit=${instance.base_commit}`],
    });
  } finally {
    await container.remove({ force: true }).catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }
  return { instance_id: instance.instance_id, image, built: true, seconds: (Date.now() - started) / 1000 };
}

function splitTag(image: string): [string, string] {
  const i = image.lastIndexOf(":");
  return i > image.lastIndexOf("/") ? [image.slice(0, i), image.slice(i + 1)] : [image, "latest"];
}
