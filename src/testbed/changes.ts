// What a step changed outside the repository tree, from the engine's record of the container's
// writable layer (`docker diff`; cheap on overlay2). A path counts once it differs from the
// baseline taken when the container was ready. Limitation: a file already in the baseline's
// changed set (e.g. /root/.gitconfig, written by the env prelude) can be rewritten unseen.
import type Docker from "dockerode";

export interface Change { path: string; kind: "C" | "A" | "D" }

const KIND = ["C", "A", "D"] as const;

/**
 * Writes that cannot affect the next step's results: /tmp (wiped after every step), Python
 * bytecode caches, and tool caches in root's home that test suites fill on first use.
 */
export const BENIGN_PREFIXES = [
  "/tmp", "/var/tmp", "/root/.cache", "/root/.config/matplotlib", "/root/.matplotlib",
  "/root/.astropy", "/root/.pylint.d", "/root/.pytest_cache",
];

export async function containerChanges(docker: Docker, containerId: string): Promise<Change[]> {
  const raw = ((await docker.getContainer(containerId).changes()) ?? []) as Array<{ Path: string; Kind: number }>;
  return raw.map((c) => ({ path: c.Path, kind: KIND[c.Kind] ?? "C" }));
}

const under = (path: string, prefix: string): boolean => path === prefix || path.startsWith(`${prefix}/`);
const isBytecode = (path: string): boolean => /(^|\/)__pycache__(\/|$)/.test(path) || path.endsWith(".pyc");

/** Inside the tree only .git matters here (git status covers the rest): index and objects are benign. */
function treeChangeMatters(path: string, workdir: string): boolean {
  const git = `${workdir}/.git`;
  if (!under(path, git)) return false;
  return !(path === git || path === `${git}/index` || under(path, `${git}/objects`));
}

export interface ChangeFilter {
  workdir: string;
  baseline: Change[];
  /** More benign path prefixes (e.g. files the step itself put outside the tree). */
  extraBenign: string[];
}

/** The changes that are neither in the baseline nor benign, as "A /etc/x" strings. */
export function unexpectedChanges(changes: Change[], f: ChangeFilter): string[] {
  const base = new Set(f.baseline.map((c) => `${c.kind} ${c.path}`));
  const benign = [...BENIGN_PREFIXES, ...f.extraBenign];
  const out: string[] = [];
  for (const c of changes) {
    if (base.has(`${c.kind} ${c.path}`) || isBytecode(c.path)) continue;
    if (benign.some((p) => under(c.path, p))) continue;
    // Directories that only changed because a benign child did are reported as "C <dir>".
    if (c.kind === "C" && changes.some((o) => o !== c && under(o.path, c.path))) continue;
    if (under(c.path, f.workdir) && !treeChangeMatters(c.path, f.workdir)) continue;
    out.push(`${c.kind} ${c.path}`);
  }
  return out;
}
