// Build an instance image locally: an environment image plus the repo at base_commit in
// /testbed (see prepare-testbed.ts), then the spec's install step run in it (as SWE-bench's
// setup_repo.sh does), committed under the official name so `evaluate` finds it.
// Offline: the container that assembles it has no network; the repo is copied in as a tar.
import { spawn } from "node:child_process";
import { rm } from "node:fs/promises";
import type Docker from "dockerode";
import type { Instance } from "../dataset/schema.js";
import { runExec } from "../docker/exec.js";
import { lookupSpec } from "../spec/data/index.js";
import { lookupMultilingualSpec } from "../spec/data/multilingual.js";
import { condaActivateLines, REPO_DIR } from "../spec/eval-script.js";
import { instanceImageName } from "../spec/test-spec.js";
import { LABEL_INSTANCE, LABEL_OWNER, LABEL_ROLE, OFFLINE_ENV, ownerLabel } from "../docker/container.js";
import { prepareTestbed } from "./prepare-testbed.js";

export interface BuildImageOptions {
  envImages: Record<string, string>; // repo → environment image
  defaultEnvImage?: string;
  repoSources: Record<string, string>;
  namespace?: string;
  force?: boolean;
}

export interface BuildImageResult {
  instance_id: string;
  image: string;
  built: boolean;
  seconds: number;
}

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

export async function buildInstanceImage(
  docker: Docker,
  instance: Instance,
  opts: BuildImageOptions,
): Promise<BuildImageResult> {
  const started = Date.now();
  const image = instanceImageName(instance.instance_id, opts.namespace);
  const labels = await imageLabels(docker, image);
  const envImage = opts.envImages[instance.repo] ?? opts.defaultEnvImage;
  const envId = envImage ? await imageId(docker, envImage) : null;
  // An image we built for another base commit (the demo's sources changed), from another
  // environment image (the base image was rebuilt) or with another install step is stale.
  const install = installScript(instance);
  const stale =
    labels?.["swerl.base_commit"] !== undefined &&
    (labels["swerl.base_commit"] !== instance.base_commit ||
      (envId !== null && labels["swerl.env_image"] !== envId) ||
      (labels["swerl.install"] ?? "") !== (install ?? ""));
  if (!opts.force && labels !== null && !stale) {
    return { instance_id: instance.instance_id, image, built: false, seconds: 0 };
  }
  if (!envImage)
    throw new Error(
      `${instance.instance_id}: no environment image for ${instance.repo} (use --env-image ${instance.repo}=IMAGE)`,
    );
  if (envId === null) throw new Error(`${instance.instance_id}: environment image ${envImage} is not present locally`);

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
    if (install) {
      // Offline env for the install only: a commit keeps the container's Env, and the image must not carry it.
      const r = await runExec(container, install, { timeoutMs: INSTALL_TIMEOUT_MS, env: { ...OFFLINE_ENV } }, REPO_DIR);
      if (r.exitCode !== 0) {
        throw new Error(
          `${instance.instance_id}: the install step failed in ${envImage} (exit ${r.exitCode}${r.timedOut ? ", timed out" : ""}): ${r.output.slice(-2000)}`,
        );
      }
    }
    const [repo, tag] = splitTag(image);
    await container.stop({ t: 1 });
    await container.commit({
      repo,
      tag,
      changes: [
        "WORKDIR /testbed",
        'CMD ["/bin/bash"]',
        `LABEL swerl.instance=${instance.instance_id} swerl.base_commit=${instance.base_commit} ` +
          `swerl.env_image=${envId} swerl.install=${JSON.stringify(install ?? "")}`,
      ],
    });
  } finally {
    await container.remove({ force: true }).catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }
  return { instance_id: instance.instance_id, image, built: true, seconds: (Date.now() - started) / 1000 };
}

const INSTALL_TIMEOUT_MS = 30 * 60_000;

/** The spec's install step with its environment (conda env activated, cwd the repo), or null when it has none. */
// A Multilingual spec's install steps run chained in the repo (no conda env).
function installScript(instance: Instance): string | null {
  const multilingual = lookupMultilingualSpec(instance.repo, instance.version)?.spec;
  if (multilingual)
    return multilingual.install?.length ? [`cd ${REPO_DIR}`, ...multilingual.install].join(" && ") : null;
  const spec = lookupSpec(instance.repo, instance.version)?.spec;
  if (!spec?.install) return null;
  return [...condaActivateLines(spec), `cd ${REPO_DIR}`, spec.install].join(" && ");
}

async function imageId(docker: Docker, name: string): Promise<string | null> {
  try {
    return (await docker.getImage(name).inspect()).Id;
  } catch {
    return null;
  }
}

function splitTag(image: string): [string, string] {
  const i = image.lastIndexOf(":");
  return i > image.lastIndexOf("/") ? [image.slice(0, i), image.slice(i + 1)] : [image, "latest"];
}
