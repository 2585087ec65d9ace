// Getting an image onto the engine that needs it. Present → nothing to do. Missing → copied
// from another engine of the pool that has it (docker save | docker load, engine to engine,
// streamed: no registry needed), else left to the caller (pull from the namespace, or the
// "image missing" error). One copy per (engine, image) at a time. Works between Docker and
// Podman engines too (Podman's API saves and loads docker-archive streams).
import type Docker from "dockerode";
import { log } from "../log/logger.js";
import type { Engine, EnginePool } from "./engines.js";
import { InfraError, messageOf, statusOf } from "./errors.js";

async function hasImage(docker: Docker, name: string): Promise<boolean> {
  try {
    await docker.getImage(name).inspect();
    return true;
  } catch (err) {
    if (statusOf(err) === 404) return false;
    throw new InfraError(`cannot inspect image ${name}: ${messageOf(err)}`, "docker_unavailable", { cause: err });
  }
}

/** Stream images from one engine into another (`docker save` | `docker load`). */
export async function copyImages(from: Docker, to: Docker, names: readonly string[]): Promise<void> {
  // dockerode has GET /images/get (several images, shared layers once) but its types miss it.
  const withGetImages = from as unknown as { getImages(opts: { names: string[] }): Promise<NodeJS.ReadableStream> };
  const saved = await withGetImages.getImages({ names: [...names] });
  const loaded = (await to.loadImage(saved, { quiet: true })) as NodeJS.ReadableStream;
  let output = "";
  await new Promise<void>((resolve, reject) => {
    loaded.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    loaded.on("end", resolve);
    loaded.on("error", reject);
    saved.on("error", reject);
  });
  if (/"error"/.test(output)) throw new Error(`docker load failed: ${output.slice(0, 500)}`);
  for (const name of names) await tagShortName(to, name);
}

/**
 * Podman saves an image under its qualified name (localhost/NAME for a local one), and Docker
 * keeps that name on load, where NAME alone then finds nothing: tag it as NAME again.
 */
async function tagShortName(docker: Docker, name: string): Promise<void> {
  if (name.includes("@") || name.startsWith("localhost/") || (await hasImage(docker, name))) return;
  const qualified = `localhost/${name}`;
  if (!(await hasImage(docker, qualified))) return;
  const at = name.lastIndexOf(":");
  const [repo, tag] = at > name.lastIndexOf("/") ? [name.slice(0, at), name.slice(at + 1)] : [name, "latest"];
  await docker.getImage(qualified).tag({ repo, tag });
}

export class ImagePlacer {
  private inFlight = new Map<string, Promise<void>>();

  constructor(private readonly pool: EnginePool) {}

  /** Make `image` present on `engine` when another engine has it; true when it is there afterwards. */
  async ensure(engine: Engine, image: string): Promise<boolean> {
    if (engine.hasImages || (await hasImage(engine.docker, image))) return true;
    const key = `${engine.name}\u0000${image}`;
    let copy = this.inFlight.get(key);
    if (!copy) {
      copy = this.copyFromSibling(engine, image).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, copy);
    }
    await copy;
    return hasImage(engine.docker, image);
  }

  /** ensure(), for callers that cannot pull: an infrastructure error (image_missing) when it is still absent. */
  async require(engine: Engine, image: string): Promise<void> {
    if (!(await this.ensure(engine, image)))
      throw new InfraError(`image ${image} is not on engine ${engine.name}`, "image_missing");
  }

  private async copyFromSibling(engine: Engine, image: string): Promise<void> {
    for (const other of this.pool.engines) {
      if (other === engine || !other.healthy) continue;
      let present = false;
      try {
        present = await hasImage(other.docker, image);
      } catch {
        continue;
      }
      if (!present) continue;
      const started = Date.now();
      await copyImages(other.docker, engine.docker, [image]);
      log.info(
        `copied image ${image} from ${other.name} to ${engine.name} in ${((Date.now() - started) / 1000).toFixed(1)}s`,
      );
      return;
    }
  }
}
