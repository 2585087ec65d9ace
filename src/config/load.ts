// Layered config: -c a.yaml -c b.yaml (later files win, objects merge, lists replace), then
// --set key.path=value (value parsed as YAML: numbers, booleans, lists), then validation.
import { readFile } from "node:fs/promises";
import { parse as parseYaml } from "yaml";
import { configSchema, type SwerlConfig } from "./schema.js";
import { InputError } from "../util/input-error.js";

export class ConfigError extends InputError {}

type Tree = Record<string, unknown>;
const isTree = (v: unknown): v is Tree => typeof v === "object" && v !== null && !Array.isArray(v);

export function mergeConfig(base: Tree, over: Tree): Tree {
  const out: Tree = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isTree(v) && isTree(out[k]) ? mergeConfig(out[k] as Tree, v) : v;
  return out;
}

export function applySet(tree: Tree, assignment: string): Tree {
  const eq = assignment.indexOf("=");
  if (eq <= 0) throw new ConfigError(`--set "${assignment}": expected key.path=value`);
  const keys = assignment.slice(0, eq).trim().split(".");
  const value: unknown = parseYaml(assignment.slice(eq + 1));
  const patch: Tree = {};
  let node = patch;
  keys.forEach((k, i) => {
    if (i === keys.length - 1) node[k] = value;
    else node = (node[k] = {}) as Tree;
  });
  return mergeConfig(tree, patch);
}

export function validateConfig(tree: Tree, origin: string): SwerlConfig {
  const result = configSchema.safeParse(tree);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new ConfigError(`${origin}: ${issue.path.join(".") || "(top level)"}: ${issue.message}`);
}

export async function loadConfig(files: string[], sets: string[] = []): Promise<SwerlConfig> {
  let tree: Tree = {};
  for (const file of files) {
    let parsed: unknown;
    try {
      parsed = parseYaml(await readFile(file, "utf8"));
    } catch (err) {
      throw new ConfigError(`${file}: ${(err as Error).message}`);
    }
    if (parsed == null) continue;
    if (!isTree(parsed)) throw new ConfigError(`${file}: expected a mapping at the top level`);
    tree = mergeConfig(tree, parsed);
  }
  for (const s of sets) tree = applySet(tree, s);
  return validateConfig(tree, [...files, ...sets.map((s) => `--set ${s}`)].join(" + ") || "(defaults)");
}
