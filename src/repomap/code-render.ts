// The localization listing of a non-Python repo, in the layout render.ts gives Python repos
// (one name per line, `indent` spaces per level, every line ending in "\n"): the family's
// source files (code-listing.ts), tests left out unless asked for, directories with none pruned.
import { isListedSource } from "./code-listing.js";
import type { RepoMap } from "./types.js";
import type { LanguageFamily } from "../treesitter/languages.js";
import { seededRandom } from "../util/seeded-random.js";

export interface CodeRenderOptions {
  family: LanguageFamily;
  /** Spaces per level. */
  indent: number;
  /** Shuffle every directory's entries: a seed, or a function giving numbers in [0, 1). */
  shuffle?: number | (() => number);
  /** Keep test files (left out by default, per code-listing.ts). */
  tests?: boolean;
}

interface Dir {
  entries: Map<string, Dir | null>;
} // null: a file

/** Full paths of the files the listing shows, sorted: what a localization answer may name. */
export function codeListingFiles(map: RepoMap, opts: Pick<CodeRenderOptions, "family" | "tests">): string[] {
  return map.files
    .map((f) => f.path)
    .filter((p) => isListedSource(p, opts.family, { tests: opts.tests }))
    .sort();
}

export function renderCodeListing(map: RepoMap, opts: CodeRenderOptions): string {
  const root: Dir = { entries: new Map() };
  for (const path of codeListingFiles(map, opts)) {
    const parts = path.split("/");
    let dir = root;
    for (const part of parts.slice(0, -1)) {
      let next = dir.entries.get(part);
      if (!next) dir.entries.set(part, (next = { entries: new Map() }));
      dir = next;
    }
    dir.entries.set(parts.at(-1)!, null);
  }
  const random = typeof opts.shuffle === "number" ? seededRandom(opts.shuffle) : opts.shuffle;
  const lines: string[] = [];
  const walk = (dir: Dir, level: number): void => {
    // Files before subdirectories, each by name (Agentless's os.walk order), unless shuffled.
    const entries = [...dir.entries].sort(([a, da], [b, db]) =>
      (da === null) !== (db === null) ? (da === null ? -1 : 1) : a < b ? -1 : a > b ? 1 : 0,
    );
    if (random) shuffleInPlace(entries, random);
    for (const [name, sub] of entries) {
      lines.push(" ".repeat(level * opts.indent) + name + "\n");
      if (sub) walk(sub, level + 1);
    }
  };
  walk(root, 0);
  return lines.join("");
}

function shuffleInPlace<T>(items: T[], random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}
