// A sandbox: one container per instance/patch, no network, bounded memory/pids/CPU, labelled by
// run and instance so crashed runs can be swept. PID 1 is Docker's init (Init: true) running
// `sleep infinity`; init forwards SIGTERM, so stopping takes milliseconds, not the 10-15 s a
// container whose main process ignores SIGTERM costs. Work happens through exec.
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { posix } from "node:path";
import type Docker from "dockerode";
import { containmentProblems } from "./containment.js";
import { InfraError, messageOf, statusOf } from "./errors.js";
import { runExec, type ExecOptions, type ExecResult } from "./exec.js";
import { firstEntry, packFiles, type SandboxFile } from "./tar.js";

export type { ExecOptions, ExecResult } from "./exec.js";
export type { SandboxFile } from "./tar.js";

export const LABEL_RUN = "swerl.run";
export const LABEL_INSTANCE = "swerl.instance";
/** Set by other swerl containers (e.g. image builds) so sweepOrphans finds them too. */
export const LABEL_ROLE = "swerl.role";
/** `<hostname>:<pid>` of the process that started the container (for sweepOrphans). */
export const LABEL_OWNER = "swerl.owner";

/**
 * Added to the image's environment in every container we start (they have no network): pip
 * then fails at once where it needs the index — e.g. the eval script's `pip install -e .` of a
 * repo built with build isolation — instead of after ~9 s of connection retries. Outcomes are
 * the same: a pip call that needs the index fails offline either way.
 */
export const OFFLINE_ENV: Readonly<Record<string, string>> = { PIP_NO_INDEX: "1" };

export const DEFAULT_MEMORY_BYTES = 4 * 1024 ** 3;
export const DEFAULT_PIDS_LIMIT = 1024;

export interface SandboxOptions {
  image: string;
  runId: string;
  instanceId: string;
  /** Memory limit, swap included (memory-swap = memory: no swap). Default 4 GiB. */
  memoryBytes?: number;
  /** Max processes+threads in the container. Default 1024. */
  pidsLimit?: number;
  /** CPU limit in 1e-9 CPUs (1.5 CPUs = 1_500_000_000). Default: unlimited. */
  nanoCpus?: number;
  /** Default working directory of exec and base of relative paths. Default /testbed. */
  workdir?: string;
  labels?: Record<string, string>;
}

/** A path changed (C), added (A) or deleted (D) in a container's writable layer. */
export interface SandboxChange {
  path: string;
  kind: "C" | "A" | "D";
}

const CHANGE_KINDS = ["C", "A", "D"] as const;

export interface Sandbox {
  readonly id: string;
  readonly workdir: string;
  /** Write files (absolute, or relative to workdir); parent directories are created. */
  putFiles(files: SandboxFile[]): Promise<void>;
  /** A file's bytes (absolute, or relative to workdir); symlinks are followed. */
  readFile(path: string): Promise<Buffer>;
  /** `bash -c cmd` as root with a wall-clock limit; see exec.ts for the kill guarantees. */
  exec(cmd: string, opts: ExecOptions): Promise<ExecResult>;
  /** What the container's writable layer holds that the image does not (`docker diff`). */
  changes(): Promise<SandboxChange[]>;
  /** Force-remove the container (and its anonymous volumes). Safe to call twice. */
  remove(): Promise<void>;
}

const nameSafe = (s: string) =>
  s
    .replace(/[^a-zA-Z0-9_.-]+/g, "-")
    .replace(/^[^a-zA-Z0-9]+/, "")
    .slice(0, 80);

export function ownerLabel(): string {
  return `${hostname()}:${process.pid}`;
}

function positiveInt(value: number, what: string): number {
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`startContainer: ${what} must be a positive integer (got ${value})`);
  return value;
}

export async function startContainer(docker: Docker, opts: SandboxOptions): Promise<Sandbox> {
  if (!opts.runId) throw new Error("startContainer: runId is empty");
  if (!opts.instanceId) throw new Error("startContainer: instanceId is empty");
  const workdir = opts.workdir ?? "/testbed";
  if (!workdir.startsWith("/")) throw new Error(`startContainer: workdir must be absolute (got "${workdir}")`);
  const memory = positiveInt(opts.memoryBytes ?? DEFAULT_MEMORY_BYTES, "memoryBytes");
  const pids = positiveInt(opts.pidsLimit ?? DEFAULT_PIDS_LIMIT, "pidsLimit");
  const nanoCpus = opts.nanoCpus === undefined ? undefined : positiveInt(opts.nanoCpus, "nanoCpus");

  let container: Docker.Container;
  try {
    container = await docker.createContainer({
      name: `swerl-${nameSafe(opts.runId)}-${nameSafe(opts.instanceId)}-${randomBytes(4).toString("hex")}`,
      Image: opts.image,
      Entrypoint: ["sleep", "infinity"],
      Cmd: [],
      User: "root",
      WorkingDir: workdir,
      NetworkDisabled: true,
      Env: Object.entries(OFFLINE_ENV).map(([k, v]) => `${k}=${v}`),
      Labels: {
        ...opts.labels,
        [LABEL_RUN]: opts.runId,
        [LABEL_INSTANCE]: opts.instanceId,
        [LABEL_OWNER]: ownerLabel(),
      },
      HostConfig: {
        NetworkMode: "none",
        Init: true,
        Memory: memory,
        MemorySwap: memory,
        PidsLimit: pids,
        ...(nanoCpus ? { NanoCpus: nanoCpus } : {}),
      },
    });
  } catch (err) {
    const reason = statusOf(err) === 404 ? "image_missing" : "container";
    throw new InfraError(
      `cannot create a container from ${opts.image} for ${opts.instanceId}: ${messageOf(err)}`,
      reason,
      { cause: err },
    );
  }
  try {
    // The engine may have accepted a limit it does not apply (e.g. rootless on cgroup v1).
    const problems = containmentProblems(await container.inspect(), { memoryBytes: memory, pidsLimit: pids, nanoCpus });
    if (problems.length > 0) throw new Error(`the engine did not contain it as asked: ${problems.join("; ")}`);
    await container.start();
  } catch (err) {
    await container.remove({ force: true }).catch(() => {});
    throw new InfraError(
      `cannot start the container for ${opts.instanceId} (${opts.image}): ${messageOf(err)}${initHint(err)}`,
      "container",
      { cause: err },
    );
  }
  return makeSandbox(container, workdir);
}

/** Podman starts no container with Init when its init binary (catatonit) is missing on the host. */
const initHint = (err: unknown): string =>
  /container-init binary not found/i.test(messageOf(err))
    ? " (install catatonit on the Podman host; scripts/setup-podman.sh does)"
    : "";

function makeSandbox(container: Docker.Container, workdir: string): Sandbox {
  let removal: Promise<void> | undefined;
  const short = container.id.slice(0, 12);
  const abs = (p: string) => posix.resolve(workdir, p);

  async function readFile(path: string, depth = 0): Promise<Buffer> {
    const target = abs(path);
    let archive: NodeJS.ReadableStream;
    try {
      archive = await container.getArchive({ path: target });
    } catch (err) {
      if (statusOf(err) === 404) throw new Error(`readFile: no such file in container ${short}: ${target}`);
      throw new InfraError(`readFile ${target} from container ${short}: ${messageOf(err)}`, "io", { cause: err });
    }
    const entry = await firstEntry(archive);
    if (entry.kind === "file") return entry.content;
    if (entry.kind === "symlink" && depth < 8)
      return readFile(posix.resolve(posix.dirname(target), entry.target), depth + 1);
    throw new Error(
      `readFile: ${target} in container ${short} is not a regular file (${entry.kind === "other" ? entry.type : "symlink loop"})`,
    );
  }

  return {
    id: container.id,
    workdir,
    async putFiles(files) {
      if (files.length === 0) return;
      try {
        await container.putArchive(packFiles(files, workdir), { path: "/" });
      } catch (err) {
        throw new InfraError(
          `putFiles into container ${short} (${files.map((f) => f.path).join(", ")}): ${messageOf(err)}`,
          "io",
          { cause: err },
        );
      }
    },
    readFile: (path) => readFile(path),
    exec: (cmd, opts) => runExec(container, cmd, opts, workdir),
    async changes() {
      const raw = ((await container.changes()) ?? []) as Array<{ Path: string; Kind: number }>;
      return raw.map((c) => ({ path: c.Path, kind: CHANGE_KINDS[c.Kind] ?? "C" }));
    },
    remove() {
      removal ??= container.remove({ force: true, v: true }).catch((err) => {
        const status = statusOf(err);
        if (status === 404) return; // already gone
        if (status === 409 && /already in progress/i.test(messageOf(err))) return;
        removal = undefined; // let a later call try again
        throw new InfraError(`cannot remove container ${short}: ${messageOf(err)}`, "container", { cause: err });
      });
      return removal;
    },
  };
}
