// Where the local git repository of each dataset repo is: --repo-source owner/name=PATH, a
// `repos/<name>` directory beside the dataset file (the demo benchmark's layout), a
// directory of clones (--repos-dir / $SWERL_REPOS_DIR) holding owner__name, owner/name or name,
// or else the bare clone `swerl localize --clone` left in the repo cache.
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { InputError } from "../util/input-error.js";
import { repoFolder } from "./sources.js";
import { defaultRepoRoot } from "./store.js";

const isGitRepo = (dir: string): boolean => existsSync(join(dir, ".git")) || existsSync(join(dir, "HEAD"));

export interface RepoSourceOptions {
  /** Explicit repo → path pairs (win over everything else). */
  explicit?: Readonly<Record<string, string>>;
  /** The dataset file, when it is one: its sibling `repos/` directory is searched. */
  datasetPath?: string;
  /** A directory of clones. */
  reposDir?: string;
  /**
   * The repo cache whose bare clones are the last resort (default $SWERL_HOME/repos or
   * ~/.cache/swerl/repos); false: not searched (localize --clone reads it through RepoStore,
   * which also fetches a missing commit).
   */
  repoCache?: string | false;
}

export function resolveRepoSources(repos: Iterable<string>, o: RepoSourceOptions): Record<string, string> {
  const out: Record<string, string> = {};
  const missing: string[] = [];
  for (const repo of new Set(repos)) {
    const explicit = o.explicit?.[repo];
    if (explicit) {
      if (!isGitRepo(explicit)) throw new InputError(`--repo-source ${repo}=${explicit}: not a git repository`);
      out[repo] = resolve(explicit);
      continue;
    }
    const [owner, name] = repo.split("/");
    const candidates: string[] = [];
    if (o.datasetPath && existsSync(o.datasetPath)) candidates.push(join(dirname(o.datasetPath), "repos", name));
    if (o.reposDir) {
      for (const rel of [`${owner}__${name}`, join(owner, name), name])
        candidates.push(join(o.reposDir, rel), join(o.reposDir, `${rel}.git`));
    }
    if (o.repoCache !== false)
      candidates.push(join(o.repoCache ?? defaultRepoRoot(), "bare", `${repoFolder(repo)}.git`));
    const found = candidates.find(isGitRepo);
    if (found) out[repo] = resolve(found);
    else missing.push(repo);
  }
  if (missing.length > 0) {
    throw new InputError(
      `no local git repository for ${missing.join(", ")}: pass --repo-source owner/name=PATH, ` +
        `or --repos-dir DIR (or $SWERL_REPOS_DIR) holding owner__name clones, or clone it into the repo cache with \`swerl localize --clone\``,
    );
  }
  return out;
}
