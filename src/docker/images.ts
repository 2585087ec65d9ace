// Instance image names (the SWE-bench harness's scheme) and finding an image locally or by pull.
import type Docker from "dockerode";
import { InfraError, messageOf, statusOf } from "./errors.js";

/**
 * The harness's instance image key: `sweb.eval.x86_64.<id lowercased>:latest`; with a namespace
 * (remote image) it becomes `<ns>/sweb.eval...` with every "__" replaced by "_1776_", as in
 * swebench/harness/test_spec/test_spec.py (local names keep "__", exactly like the harness).
 * Namespace "none" or "" means a local name.
 */
export function officialImageName(instanceId: string, namespace: string | null = "swebench"): string {
  if (!instanceId) throw new Error("officialImageName: empty instance id");
  const key = `sweb.eval.x86_64.${instanceId.toLowerCase()}:latest`;
  if (namespace === null || namespace === "" || namespace === "none") return key;
  return `${namespace}/${key}`.replace(/__/g, "_1776_");
}

export interface PullProgress {
  status: string;
  id?: string;
  current?: number;
  total?: number;
}

export interface ResolveImageOptions {
  pull: boolean;
  onProgress?: (p: PullProgress) => void;
  /** Pull attempts before giving up (default 3). */
  tries?: number;
  /** Wait before retry i (1-based) is backoffMs * 2^(i-1) (default 2000). */
  backoffMs?: number;
}

export interface ResolvedImage {
  image: string;
  id: string;
  pulled: boolean;
}

async function inspectLocal(docker: Docker, name: string): Promise<string | undefined> {
  try {
    return (await docker.getImage(name).inspect()).Id;
  } catch (err) {
    if (statusOf(err) === 404) return undefined;
    throw new InfraError(`cannot inspect image ${name}: ${messageOf(err)}`, "docker_unavailable", { cause: err });
  }
}

async function pullOnce(docker: Docker, name: string, onProgress?: (p: PullProgress) => void): Promise<void> {
  const stream = await docker.pull(name);
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (err: Error | null, events: Array<{ error?: string }>) => {
        const failed = err ?? events?.find((e) => e.error);
        if (failed) reject(failed instanceof Error ? failed : new Error(String(failed.error)));
        else resolve();
      },
      (e: { status?: string; id?: string; progressDetail?: { current?: number; total?: number } }) =>
        onProgress?.({
          status: e.status ?? "",
          id: e.id,
          current: e.progressDetail?.current,
          total: e.progressDetail?.total,
        }),
    );
  });
}

/**
 * The image as-is when present locally; otherwise (pull: true) pulled with retries; otherwise an
 * InfraError with reason "image_missing".
 */
export async function resolveImage(docker: Docker, name: string, opts: ResolveImageOptions): Promise<ResolvedImage> {
  const local = await inspectLocal(docker, name);
  if (local) return { image: name, id: local, pulled: false };
  if (!opts.pull) {
    throw new InfraError(
      `image missing: ${name} is not present locally and pulling is off (build it with \`swerl images build\` or allow pulls)`,
      "image_missing",
    );
  }
  const tries = opts.tries ?? 3;
  const backoffMs = opts.backoffMs ?? 2000;
  let last: unknown;
  for (let attempt = 1; attempt <= tries; attempt++) {
    try {
      await pullOnce(docker, name, opts.onProgress);
      const id = await inspectLocal(docker, name);
      if (id) return { image: name, id, pulled: true };
      last = new Error("pull finished but the image is not present");
    } catch (err) {
      last = err;
    }
    if (attempt < tries) await new Promise((r) => setTimeout(r, backoffMs * 2 ** (attempt - 1)));
  }
  throw new InfraError(
    `image missing: ${name} is not present locally and ${tries} pull attempts failed (last: ${messageOf(last)})`,
    "image_missing",
    { cause: last },
  );
}
