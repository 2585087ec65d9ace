// Containers never outlive their work: withSandbox removes in a finally; removeRunContainers and
// sweepOrphans clean up after crashes (kill -9, power loss) using the labels every sandbox has.
import { hostname } from "node:os";
import type Docker from "dockerode";
import { LABEL_OWNER, LABEL_ROLE, LABEL_RUN, startContainer, type Sandbox, type SandboxOptions } from "./container.js";
import { statusOf } from "./errors.js";

/** Start a sandbox, run fn, and remove the container whatever happens. */
export async function withSandbox<T>(
  docker: Docker,
  opts: SandboxOptions,
  fn: (sandbox: Sandbox) => Promise<T>,
): Promise<T> {
  const sandbox = await startContainer(docker, opts);
  try {
    return await fn(sandbox);
  } finally {
    await sandbox.remove();
  }
}

// Another process removing the same container (two requeued shards sweeping one dead run's
// orphans) makes the engine answer 409 "removal … is already in progress": it is going anyway.
const removalUnderway = (err: unknown): boolean =>
  statusOf(err) === 409 && /already in progress|marked for removal/i.test((err as Error).message ?? "");

async function removeAll(docker: Docker, ids: string[]): Promise<number> {
  let removed = 0;
  for (const id of ids) {
    try {
      await docker.getContainer(id).remove({ force: true, v: true });
      removed++;
    } catch (err) {
      if (statusOf(err) !== 404 && !removalUnderway(err)) throw err;
    }
  }
  return removed;
}

/** Remove every container (running or not) labelled with this run; returns how many. */
export async function removeRunContainers(docker: Docker, runId: string): Promise<number> {
  const list = await docker.listContainers({ all: true, filters: { label: [`${LABEL_RUN}=${runId}`] } });
  return removeAll(
    docker,
    list.map((c) => c.Id),
  );
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

const UNOWNED_MAX_AGE_S = 6 * 3600;

/**
 * Whether nobody will clean this container up: its `<host>:<pid>` owner label names a process
 * on this host that no longer exists; or it has no owner label and is stopped or > 6 h old.
 */
function isOrphan(c: Docker.ContainerInfo, me: string, nowS: number): boolean {
  const owner = c.Labels?.[LABEL_OWNER];
  const sep = owner ? owner.lastIndexOf(":") : -1;
  const pid = owner ? Number(owner.slice(sep + 1)) : NaN;
  if (!owner || sep < 0 || !Number.isInteger(pid) || pid <= 0) {
    return c.State !== "running" || nowS - c.Created > UNOWNED_MAX_AGE_S;
  }
  return owner.slice(0, sep) === me && !processAlive(pid);
}

/**
 * A container carrying this label is swept only by a sweep scoped to it (`label` naming
 * swerl.scope): a test's fake orphans on a shared engine are its own to remove, not those of
 * every `swerl run` starting meanwhile.
 */
export const LABEL_SCOPE = "swerl.scope";

export interface SweepOptions {
  /** Remove every swerl container, orphaned or not (other live runs included). */
  all?: boolean;
  /** Only containers that also carry this label ("key" or "key=value"). */
  label?: string;
}

/**
 * Remove orphaned swerl containers (label swerl.run, or swerl.role for image builds): see
 * isOrphan. Containers of live processes, or of other hosts sharing the engine, are left alone
 * unless `all` is set; scoped ones (LABEL_SCOPE) unless the sweep names their scope. Returns how
 * many were removed.
 */
export async function sweepOrphans(docker: Docker, opts: SweepOptions = {}): Promise<number> {
  const me = hostname();
  const nowS = Date.now() / 1000;
  const found = new Map<string, Docker.ContainerInfo>();
  for (const label of [LABEL_RUN, LABEL_ROLE]) {
    const labels = opts.label ? [label, opts.label] : [label];
    for (const c of await docker.listContainers({ all: true, filters: { label: labels } })) found.set(c.Id, c);
  }
  const scoped = opts.label === LABEL_SCOPE || opts.label?.startsWith(`${LABEL_SCOPE}=`) === true;
  const doomed = [...found.values()].filter(
    (c) => (scoped || c.Labels?.[LABEL_SCOPE] === undefined) && (opts.all || isOrphan(c, me, nowS)),
  );
  return removeAll(
    docker,
    doomed.map((c) => c.Id),
  );
}
