// The git repository each instance is read from (localization needs no checkout: the repo map
// reads the commit's blobs). A local repository when there is one (--repo-source PATH, the
// demo's `repos/` beside the dataset, --repos-dir), the same lookup as `swerl repair`; with
// --clone, the others come from the bare-clone cache of src/repo/ (GitHub, or a --repo-source
// URL), cloned once per repo and fetched when a commit is missing.
import { existsSync } from "node:fs";
import type { Instance } from "../dataset/schema.js";
import { InstanceSkipped } from "../stage-common/instance-skipped.js";
import { hasCommit } from "../repo/bare.js";
import { resolveRepoSources, type RepoSourceOptions } from "../repo/local-sources.js";
import { URL_LIKE } from "../repo/sources.js";
import type { RepoStore } from "../repo/store.js";
import { InputError } from "../util/input-error.js";

export interface RepoPlan {
  /** repo → local git repository. */
  local: Record<string, string>;
  /** Repos to take from the clone cache, with their clone URL when one was given. */
  clone: Record<string, string | undefined>;
}

/**
 * Which repos are read from a local repository and which are cloned. `explicit` values that
 * look like URLs are clone sources; the rest must be local repositories. Repos with neither
 * are an error unless `clone` is set.
 */
export function planRepos(
  repos: Iterable<string>,
  explicit: Readonly<Record<string, string>>,
  o: Omit<RepoSourceOptions, "explicit"> & { clone: boolean },
): RepoPlan {
  const localExplicit: Record<string, string> = {};
  const urls: Record<string, string> = {};
  for (const [repo, value] of Object.entries(explicit))
    (URL_LIKE.test(value) && !existsSync(value) ? urls : localExplicit)[repo] = value;
  const plan: RepoPlan = { local: {}, clone: {} };
  for (const repo of new Set(repos)) {
    if (urls[repo] !== undefined) {
      plan.clone[repo] = urls[repo];
      continue;
    }
    try {
      // With --clone the repo cache is read through the store (which fetches missing commits), not as a local clone.
      Object.assign(
        plan.local,
        resolveRepoSources([repo], { ...o, explicit: localExplicit, ...(o.clone ? { repoCache: false } : {}) }),
      );
    } catch (err) {
      if (!o.clone || localExplicit[repo] !== undefined) throw err;
      plan.clone[repo] = undefined;
    }
  }
  const urlOnly = Object.keys(plan.clone).filter((r) => plan.clone[r] !== undefined);
  if (urlOnly.length > 0 && !o.clone) {
    throw new InputError(
      `--repo-source ${urlOnly[0]}=${plan.clone[urlOnly[0]!]} is a URL: add --clone to clone it into the repo cache`,
    );
  }
  return plan;
}

/** Git directories by instance: local ones checked for the commit, the others cloned or fetched. */
export class InstanceRepos {
  /** repo → git directory, for what else reads the repos (the oracle's gold files). */
  readonly dirs: Record<string, string>;

  constructor(
    private readonly plan: RepoPlan,
    private readonly store?: RepoStore,
  ) {
    this.dirs = { ...plan.local };
    for (const repo of Object.keys(plan.clone)) {
      if (!store) throw new Error(`${repo} must be cloned but no repo store was given`);
      this.dirs[repo] = store.bareDir(repo);
    }
  }

  static local(repoSources: Readonly<Record<string, string>>): InstanceRepos {
    return new InstanceRepos({ local: { ...repoSources }, clone: {} });
  }

  async gitDir(inst: Instance): Promise<string> {
    const local = this.plan.local[inst.repo];
    if (local !== undefined) {
      if (!(await hasCommit(local, inst.base_commit)))
        throw new InstanceSkipped(`base_commit ${inst.base_commit} is not in ${local}`);
      return local;
    }
    if (inst.repo in this.plan.clone && this.store) {
      try {
        return await this.store.gitDir(inst.repo, inst.base_commit);
      } catch (err) {
        throw new InstanceSkipped(`cloning or fetching ${inst.repo} failed: ${(err as Error).message.split("\n")[0]}`);
      }
    }
    throw new InstanceSkipped(`no local git repository for ${inst.repo}`);
  }
}
