// What the built-in oracle policy reads to answer like a model: each instance's gold patch and
// the original contents of the files it touches, read with git from the instance's repository.
import type { Instance } from "../dataset/schema.js";
import type { OracleLookup } from "../model/oracle.js";
import { goldPatchFiles } from "../records/locations.js";
import { readFilesAtCommit } from "../repo/files.js";

/** The oracle provider's view of the gold patches: each instance's patch and original files, read with git. */
export function oracleLookupFromRepos(
  instances: readonly Instance[],
  repoSources: Readonly<Record<string, string>>,
): OracleLookup {
  const byId = new Map(instances.map((i) => [i.instance_id, i]));
  return async (instanceId) => {
    const inst = byId.get(instanceId);
    if (!inst || inst.patch.trim() === "") return undefined;
    const dir = repoSources[inst.repo];
    if (!dir) return undefined;
    const files = await readFilesAtCommit(dir, inst.base_commit, goldPatchFiles(inst.patch));
    return { patch: inst.patch, files };
  };
}
