// SWE-RL's listing of the repository for the localization prompt, and the file list that goes
// with it (swe-rl agentless_mini/utils/data.py: show_project_structure, filter_none_python,
// filter_out_test_files, get_full_file_paths_and_classes_and_functions).
import { toAgentlessStructure, type AgentlessStructure } from "./structure.js";
import type { RepoMap } from "./types.js";
import { seededRandom } from "../util/seeded-random.js";

export interface RenderOptions {
  /** Spaces per level (SWE-RL: 4 greedy, 2 or 4 when sampling). */
  indent: number;
  /** Shuffle every directory's entries: a seed, or a function giving numbers in [0, 1). */
  shuffle?: number | (() => number);
  /** Drop every file or directory whose name starts with "test" (SWE-RL; not for pytest). */
  excludeTests: boolean;
  /** Keep only .py files and the directories holding some (SWE-RL's filter_none_python). */
  pyOnly: boolean;
}
export type FilterOptions = Pick<RenderOptions, "excludeTests" | "pyOnly">;

type Node = { kind: "dir"; entries: Map<string, Node> } | { kind: "py" } | { kind: "other" };
type Dir = Extract<Node, { kind: "dir" }>;

/**
 * One name per line, `indent` spaces per level, no trailing "/" on directories, every line
 * ending in "\n" (SWE-RL strips the whole). As in SWE-RL, an entry whose name holds a "."
 * but not ".py" is not shown (nor what is under it).
 */
export function renderStructure(structure: RepoMap | AgentlessStructure, opts: RenderOptions): string {
  const random = typeof opts.shuffle === "number" ? seededRandom(opts.shuffle) : opts.shuffle;
  const lines: string[] = [];
  const walk = (dir: Dir, level: number): void => {
    const entries = [...dir.entries];
    if (random) shuffleInPlace(entries, random);
    for (const [name, node] of entries) {
      if (name.includes(".") && !name.includes(".py")) continue;
      lines.push(" ".repeat(level * opts.indent) + name + "\n");
      if (node.kind === "dir") walk(node, level + 1);
    }
  };
  walk(filtered(structure, opts), 0);
  return lines.join("");
}

/** Full paths of the files the same filters keep: what a localization answer may name. */
export function structureFiles(structure: RepoMap | AgentlessStructure, opts: FilterOptions): string[] {
  const out: string[] = [];
  const walk = (dir: Dir, prefix: string): void => {
    for (const [name, node] of dir.entries) {
      if (node.kind === "dir") walk(node, `${prefix}${name}/`);
      else out.push(prefix + name);
    }
  };
  walk(filtered(structure, opts), "");
  return out;
}

// SWE-RL's order: filter_none_python first (it prunes directories left empty), then
// filter_out_test_files (it does not: a directory that only held tests stays, empty).
function filtered(structure: RepoMap | AgentlessStructure, opts: FilterOptions): Dir {
  const root = toNode(isRepoMap(structure) ? toAgentlessStructure(structure) : structure);
  if (opts.pyOnly) keepPython(root);
  if (opts.excludeTests) dropTests(root);
  return root;
}

const isRepoMap = (s: RepoMap | AgentlessStructure): s is RepoMap =>
  Array.isArray((s as RepoMap).files) && "stats" in s;

function toNode(s: AgentlessStructure): Dir {
  const entries = new Map<string, Node>();
  for (const [name, value] of Object.entries(s)) {
    if ("classes" in value && "functions" in value) entries.set(name, { kind: "py" });
    else if (Object.keys(value).length === 0)
      entries.set(name, { kind: "other" }); // Agentless's {}
    else entries.set(name, toNode(value as AgentlessStructure));
  }
  return { kind: "dir", entries };
}

function keepPython(dir: Dir): void {
  for (const [name, node] of dir.entries) {
    if (node.kind === "dir") {
      keepPython(node);
      if (node.entries.size === 0) dir.entries.delete(name);
    } else if (node.kind === "other" || !name.endsWith(".py")) {
      dir.entries.delete(name);
    }
  }
}

function dropTests(dir: Dir): void {
  for (const [name, node] of dir.entries) {
    if (name.startsWith("test")) dir.entries.delete(name);
    else if (node.kind === "dir") dropTests(node);
  }
}

export { seededRandom };

function shuffleInPlace<T>(items: T[], random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}
