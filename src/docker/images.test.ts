import { createHash, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import { gzipSync } from "node:zlib";
import tar from "tar-stream";
import { describe, expect, it } from "vitest";
import { dockerClient, ensureDockerAvailable } from "./client.js";
import { InfraError } from "./errors.js";
import { officialImageName, resolveImage, type PullProgress } from "./images.js";
import { BASE_IMAGE, requireDocker } from "../../test/support/docker.js";

describe("officialImageName", () => {
  it("follows the harness: lowercase, namespace, __ → _1776_ for remote names", () => {
    expect(officialImageName("django__django-11099")).toBe("swebench/sweb.eval.x86_64.django_1776_django-11099:latest");
    expect(officialImageName("Astropy__Astropy-12907", "myorg")).toBe(
      "myorg/sweb.eval.x86_64.astropy_1776_astropy-12907:latest",
    );
    expect(officialImageName("sympy__sympy-20590", "none")).toBe("sweb.eval.x86_64.sympy__sympy-20590:latest");
    expect(officialImageName("sympy__sympy-20590", "")).toBe("sweb.eval.x86_64.sympy__sympy-20590:latest");
    expect(() => officialImageName("")).toThrow(/empty/);
  });

  it("agrees with the image column of SWE-bench Verified", async () => {
    const { readFile } = await import("node:fs/promises");
    const { fileURLToPath } = await import("node:url");
    const path = fileURLToPath(new URL("../../../shared/datasets/swe-bench-verified.test.jsonl", import.meta.url));
    const rows = (await readFile(path, "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { instance_id: string; image: string });
    expect(rows.length).toBe(500);
    const mismatches = rows.filter((r) => officialImageName(r.instance_id) !== r.image);
    expect(mismatches).toEqual([]);
  });
});

describe("ensureDockerAvailable", () => {
  it("passes against the running engine", async () => {
    await expect(ensureDockerAvailable(dockerClient())).resolves.toBeUndefined();
  });

  it("names the address and the setup script when nothing answers", async () => {
    const err = await ensureDockerAvailable(dockerClient("unix:///tmp/swerl-no-such-docker.sock")).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InfraError);
    expect((err as InfraError).reason).toBe("docker_unavailable");
    expect((err as Error).message).toMatch(
      /^no Docker engine answers at unix:\/\/\/tmp\/swerl-no-such-docker\.sock .*run scripts\/setup-docker\.sh$/,
    );
  });

  it("rejects a malformed host", () => {
    expect(() => dockerClient("ftp://x")).toThrow(/unsupported scheme/);
  });
});

describe("resolveImage", () => {
  it("uses a local image as-is, without pulling", async () => {
    const docker = await requireDocker();
    const progress: PullProgress[] = [];
    const r = await resolveImage(docker, BASE_IMAGE, { pull: true, onProgress: (p) => progress.push(p) });
    expect(r).toMatchObject({ image: BASE_IMAGE, pulled: false });
    expect(r.id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(progress).toEqual([]);
  });

  it("reports a missing image when pulling is off", async () => {
    const docker = await requireDocker();
    await expect(resolveImage(docker, "swerl/absent-image:none", { pull: false })).rejects.toMatchObject({
      name: "InfraError",
      reason: "image_missing",
      message: expect.stringMatching(/^image missing: swerl\/absent-image:none/),
    });
  });

  it("retries a failing pull, then reports the image missing", async () => {
    const docker = await requireDocker();
    // A registry on a closed loopback port: the engine's pull fails at once, nothing leaves the host.
    const name = "127.0.0.1:9/swerl-absent:latest";
    const started = Date.now();
    const err = await resolveImage(docker, name, { pull: true, tries: 3, backoffMs: 100 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InfraError);
    expect((err as InfraError).reason).toBe("image_missing");
    expect((err as Error).message).toMatch(
      /image missing: 127\.0\.0\.1:9\/swerl-absent:latest .*3 pull attempts failed/,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(300); // backoff 100 + 200 between the tries
  });

  it("pulls with progress, retrying failed attempts (from a registry on loopback)", async () => {
    const docker = await requireDocker();
    const registry = await startLoopbackRegistry(2); // the first two pull attempts fail
    const name = `127.0.0.1:${registry.port}/swerl-pull-test:latest`;
    const progress: PullProgress[] = [];
    try {
      const r = await resolveImage(docker, name, {
        pull: true,
        tries: 3,
        backoffMs: 50,
        onProgress: (p) => progress.push(p),
      });
      expect(r).toMatchObject({ image: name, pulled: true });
      expect(registry.attempts()).toBe(3);
      expect(progress.map((p) => p.status)).toContain("Pull complete");
      expect(progress.some((p) => p.status === "Downloading" && p.total === registry.layerSize)).toBe(true);
      expect((await docker.getImage(name).inspect()).Id).toBe(r.id);
      // Present now: resolved locally without asking the registry again.
      expect(await resolveImage(docker, name, { pull: true })).toMatchObject({ pulled: false, id: r.id });
      expect(registry.attempts()).toBe(3);
    } finally {
      registry.server.close();
      await docker
        .getImage(name)
        .remove({ force: true })
        .catch(() => {});
    }
  });
});

const digest = (b: Buffer) => "sha256:" + createHash("sha256").update(b).digest("hex");

/** A minimal registry (API v2, one image with one tiny layer) on 127.0.0.1 whose first
 *  `failAttempts` pulls get a 500 for the manifest. Each pull starts with GET /v2/. */
async function startLoopbackRegistry(
  failAttempts: number,
): Promise<{ server: Server; port: number; attempts: () => number; layerSize: number }> {
  const pack = tar.pack();
  pack.entry({ name: "hello.txt" }, "hello from a loopback registry\n");
  // 2 MB that gzip cannot shrink: the engine reports "Downloading" progress only for a layer
  // that takes a moment (a few bytes went straight to "Download complete" on a loaded machine).
  pack.entry({ name: "noise.bin" }, randomBytes(2 * 1024 * 1024));
  pack.finalize();
  const parts: Buffer[] = [];
  for await (const c of pack as unknown as AsyncIterable<Buffer>) parts.push(c);
  const raw = Buffer.concat(parts);
  const layer = gzipSync(raw);
  const config = Buffer.from(
    JSON.stringify({
      architecture: "amd64",
      os: "linux",
      config: {},
      rootfs: { type: "layers", diff_ids: [digest(raw)] },
    }),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.docker.distribution.manifest.v2+json",
      config: {
        mediaType: "application/vnd.docker.container.image.v1+json",
        size: config.length,
        digest: digest(config),
      },
      layers: [
        { mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", size: layer.length, digest: digest(layer) },
      ],
    }),
  );
  const blobs = new Map([
    [digest(config), config],
    [digest(layer), layer],
    [digest(manifest), manifest],
  ]);
  let pings = 0;
  const server = createServer((req, res) => {
    const url = req.url ?? "";
    const send = (body: Buffer, type: string) => {
      res.writeHead(200, {
        "Content-Type": type,
        "Content-Length": body.length,
        "Docker-Content-Digest": digest(body),
      });
      res.end(req.method === "HEAD" ? undefined : body);
    };
    if (url === "/v2/") {
      pings++;
      return send(Buffer.from("{}"), "application/json");
    }
    if (url.includes("/manifests/")) {
      if (pings <= failAttempts) return void res.writeHead(500).end("registry trouble");
      return send(manifest, "application/vnd.docker.distribution.manifest.v2+json");
    }
    const blob = blobs.get(url.slice(url.lastIndexOf("/") + 1));
    if (blob) return send(blob, "application/octet-stream");
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as { port: number }).port, attempts: () => pings, layerSize: layer.length };
}
