// Pipeline profiles: a table of option defaults. `swe-rl` (the default) and `agentless` make
// every step behave as the reference code does (SWE-RL's Agentless Mini; Agentless 1.5 for
// reproduction tests, which SWE-RL never released); `swerl` turns on our improvements. An
// option written in the config (file or --set) overrides its profile's value; run.json and
// the report list the profile and every option whose value departs from it.
// docs/fidelity.md says, step by step, which reference code each value reproduces.

export const PROFILES = ["swe-rl", "agentless", "swerl"] as const;
export type ProfileName = (typeof PROFILES)[number];

type Tree = Record<string, unknown>;

/** Dotted config path → its value in each profile. */
export const PROFILE_TABLE: Readonly<Record<string, Readonly<Record<ProfileName, unknown>>>> = {
  // Agentless Mini's repair and localization send the user message alone.
  "model.system_prompt": { "swe-rl": "none", agentless: "none", swerl: "swe-rl" },
  // A stage drawing a single sample draws it at temperature 0 (the README's greedy recipe).
  "model.greedy_single_sample": { "swe-rl": true, agentless: true, swerl: true },
  // Localization answers: exact line == listed file (strict), or prefixes/markers stripped, dedup, cap (tolerant).
  "localize.parser": { "swe-rl": "strict", agentless: "strict", swerl: "tolerant" },
  // Edits: ```python blocks only, files of the location set, plain substring match (strict).
  "repair.parser": { "swe-rl": "strict", agentless: "strict", swerl: "tolerant" },
  // ast.parse of every edited file, any failure empties the patch (strict).
  "repair.syntax_check": { "swe-rl": "strict", agentless: "strict", swerl: "lenient" },
  // Patch normalization for the vote (the key belongs to the normalization work).
  "validate.normalize": { "swe-rl": "agentless", agentless: "agentless", swerl: "canonical" },
  // Reproduction tests, Agentless 1.5 generate_reproduction_tests.py / run_tests.py.
  "reproduce.prompt": { "swe-rl": "agentless", agentless: "agentless", swerl: "swerl" },
  "reproduce.sampling": { "swe-rl": "agentless", agentless: "agentless", swerl: "model" },
  "reproduce.extraction": { "swe-rl": "agentless", agentless: "agentless", swerl: "tolerant" },
  "reproduce.verdict": { "swe-rl": "strict", agentless: "strict", swerl: "lenient" },
  "reproduce.normalize": { "swe-rl": "agentless", agentless: "agentless", swerl: "canonical" },
  // Agentless 1.5's test_selection keeps one test (the majority); SWE-RL's paper reranks with 30.
  "reproduce.top_tests": { "swe-rl": 30, agentless: 1, swerl: 30 },
  // Regression tests (Agentless 1.5 run_tests.py / run_regression_tests.py) and rerank.
  "regress.scope": { "swe-rl": "directives", agentless: "directives", swerl: "touched" },
  "regress.passing": { "swe-rl": "passed", agentless: "passed", swerl: "passed_or_xfail" },
  "rerank.rule": { "swe-rl": "swerl", agentless: "agentless", swerl: "swerl-tiebreak" },
  // Agentless 1.5's README: 4 localization samples. SWE-RL's README passes the same
  // --num_samples to localize and repair: one localization sample per repair sample.
  "localize.samples": { "swe-rl": "=repair.samples", agentless: 4, swerl: 4 },
  // Agentless 1.5 samples its 4 edit-location sets at 0.8; Agentless Mini uses one --temperature.
  "localize.sampling": { "swe-rl": "model", agentless: "agentless", swerl: "model" },
  // How location sets fill the N repair samples: Agentless Mini cycles the unique sets;
  // Agentless 1.5 gives each set its own run (README_swebench.md:184-228).
  "repair.location_fill": { "swe-rl": "cycle", agentless: "per_set", swerl: "cycle" },
  // Agentless 1.5: each run's first sample greedy, then 0.8, 1,024 tokens; Agentless Mini: one --temperature.
  "repair.sampling": { "swe-rl": "model", agentless: "agentless", swerl: "model" },
};

const get = (tree: Tree, path: string): unknown =>
  path
    .split(".")
    .reduce<unknown>((node, k) => (node && typeof node === "object" ? (node as Tree)[k] : undefined), tree);

function set(tree: Tree, path: string, value: unknown): Tree {
  const [head, ...rest] = path.split(".");
  const child = tree[head];
  if (rest.length === 0) return { ...tree, [head]: value };
  const node = child && typeof child === "object" && !Array.isArray(child) ? (child as Tree) : {};
  return { ...tree, [head]: set(node, rest.join("."), value) };
}

/** A profile's value for `path`, given the (raw or resolved) config it refers to. */
function profileValue(
  profile: ProfileName,
  path: string,
  tree: Tree,
  schemaDefault: (path: string) => unknown,
): unknown {
  const v = PROFILE_TABLE[path][profile];
  if (typeof v === "string" && v.startsWith("=")) {
    // a bad value there is reported at its own key, not at the one following it
    const other = get(tree, v.slice(1));
    return Number.isInteger(other) && (other as number) > 0 ? other : schemaDefault(v.slice(1));
  }
  return v;
}

const isProfile = (v: unknown): v is ProfileName => (PROFILES as readonly unknown[]).includes(v);

/**
 * The raw config tree with every profile option it leaves unset filled in from its profile.
 * `known(path)`: whether the schema has that key (a table row for a key this build lacks is
 * skipped); `schemaDefault(path)`: the schema's default, for rows that follow another key.
 * An unknown profile name is left for the schema to reject.
 */
export function applyProfile(
  tree: Tree,
  known: (path: string) => boolean,
  schemaDefault: (path: string) => unknown,
): Tree {
  const profile = tree.profile ?? "swe-rl";
  if (!isProfile(profile)) return tree;
  let out = tree;
  for (const path of Object.keys(PROFILE_TABLE)) {
    if (!known(path) || get(tree, path) !== undefined) continue;
    out = set(out, path, profileValue(profile, path, tree, schemaDefault));
  }
  return out;
}

export interface ProfileSummary {
  name: ProfileName;
  /** Options whose value differs from the profile's: path → {value, profile's value}. */
  departures: Record<string, { value: unknown; profile: unknown }>;
}

/** The profile of a resolved config and the options that depart from it. */
export function profileSummary(config: { profile?: string } & object): ProfileSummary {
  const name = isProfile(config.profile) ? config.profile : "swe-rl";
  const tree = config as Tree;
  const departures: ProfileSummary["departures"] = {};
  for (const path of Object.keys(PROFILE_TABLE)) {
    const value = get(tree, path);
    if (value === undefined) continue; // a key this build does not have
    const expected = profileValue(name, path, tree, () => undefined);
    if (JSON.stringify(value) !== JSON.stringify(expected)) departures[path] = { value, profile: expected };
  }
  return { name, departures };
}

/** "profile swe-rl" or "profile swe-rl; departs: repair.parser=tolerant (profile: strict), …". */
export function describeProfile(s: ProfileSummary): string {
  const parts = Object.entries(s.departures).map(
    ([k, d]) => `${k}=${JSON.stringify(d.value)} (profile: ${JSON.stringify(d.profile)})`,
  );
  return `profile ${s.name}${parts.length ? `; departs: ${parts.join(", ")}` : " (no departures)"}`;
}
