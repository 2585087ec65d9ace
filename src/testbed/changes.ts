// What a step changed outside the repository tree, from the engine's record of the container's
// writable layer (`docker diff`). A path counts once it differs from the baseline taken when the
// container was ready. A file already in the baseline's changed set (e.g. /root/.gitconfig,
// written by the env prelude) looks the same to docker diff when rewritten: those are watched by
// their ctime instead, which no unprivileged program can set back.
import type { SandboxChange } from "../docker/container.js";
import { shellQuote as q } from "./shell.js";

export type Change = SandboxChange;

/**
 * Writes that cannot affect the next step's results: /tmp (wiped after every step), Python
 * bytecode caches, and tool caches in root's home that test suites fill on first use.
 */
export const BENIGN_PREFIXES = [
  "/tmp",
  "/var/tmp",
  "/root/.cache",
  "/root/.config/matplotlib",
  "/root/.matplotlib",
  "/root/.astropy",
  "/root/.pylint.d",
  "/root/.pytest_cache",
  // build output of compiled languages, as __pycache__ is for Python: the multilingual demo's
  // CARGO_TARGET_DIR (Go's build cache is under /root/.cache)
  "/root/target",
  "/root/.cargo",
];

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

/** Files (not directories) the baseline already shows changed, outside the tree and the benign places. */
export function baselineFilesToWatch(baseline: Change[], workdir: string): string[] {
  const dirs = new Set(baseline.map((c) => c.path.slice(0, c.path.lastIndexOf("/"))));
  return baseline
    .filter((c) => c.kind !== "D" && !dirs.has(c.path) && !isBytecode(c.path) && !under(c.path, workdir))
    .filter((c) => !BENIGN_PREFIXES.some((p) => under(c.path, p)))
    .map((c) => c.path);
}

/** Bash printing "<ctime> <path>" for each of the paths that is a regular file. */
export const ctimeScript = (paths: string[]): string =>
  `find ${paths.map(q).join(" ")} -maxdepth 0 -type f -printf '%C@ %p\\n' 2>/dev/null; true`;

export function parseCtimes(output: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of output.split("\n")) {
    const at = line.indexOf(" ");
    if (at > 0) out.set(line.slice(at + 1), line.slice(0, at));
  }
  return out;
}

/** The watched files whose ctime moved (or that went away), as "C /path (rewritten)" strings. */
export function rewrittenFiles(before: Map<string, string>, now: Map<string, string>): string[] {
  return [...before].filter(([path, ctime]) => now.get(path) !== ctime).map(([path]) => `C ${path} (rewritten)`);
}
