// Layered config: -c a.yaml -c b.yaml (later files win, objects merge, lists replace), then
// --set key.path=value (value parsed as YAML: numbers, booleans, lists), then validation.
import { readFile } from "node:fs/promises";
import { parse as parseYaml } from "yaml";
import { configSchema, type SwerlConfig } from "./schema.js";
import { applyProfile } from "./profile.js";
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

// The schema node at a dotted path (wrappers such as .default/.prefault looked through), or undefined.
function schemaNode(path: string): unknown {
  let node: unknown = configSchema;
  for (const key of path.split(".")) {
    let def = (node as { _zod?: { def?: { innerType?: unknown } } })?._zod?.def;
    while (def?.innerType) {
      node = def.innerType;
      def = (node as { _zod?: { def?: { innerType?: unknown } } })._zod?.def;
    }
    node = (node as { shape?: Record<string, unknown> })?.shape?.[key];
    if (node === undefined) return undefined;
  }
  return node;
}

let defaults: Tree | undefined;
const schemaDefault = (path: string): unknown =>
  path
    .split(".")
    .reduce<unknown>((n, k) => (n as Tree | undefined)?.[k], (defaults ??= configSchema.parse({}) as Tree));

/** Validate a config tree, after filling the options it leaves unset from its profile. */
export function validateConfig(tree: Tree, origin: string): SwerlConfig {
  const result = configSchema.safeParse(applyProfile(tree, (p) => schemaNode(p) !== undefined, schemaDefault));
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
