// What every repair sample of one instance shares: the repository listing at base_commit, the
// unique location sets, the original contents of their files and of the gold patch's files,
// and the reward target built from the gold patch.
import type { Instance } from "../dataset/schema.js";
import { oracleFromPatch } from "../reward/apply-diff.js";
import { goldPatchFiles, repairLocationSets, type LocationFill } from "../records/locations.js";
import type { OracleTarget } from "./process-output.js";
import { listFilesAtCommit, readFilesAtCommit, type RepoListing } from "../repo/files.js";
import { InstanceSkipped } from "../stage-common/instance-skipped.js";
import { PythonSyntaxChecker } from "./syntax.js";
import { CodeSyntaxChecker } from "./syntax-code.js";
import { instanceLanguage, isCodeLanguage, type InstanceLanguage } from "../language/instance-language.js";
import { fenceTag } from "../language/profile.js";

export interface PreparedInstance {
  instance: Instance;
  repoDir: string;
  listing: RepoListing;
  /** Location sets (≥ 1): the unique non-empty ones (`cycle`), or every sample's (`per_set`, empty ones included). */
  sets: string[][];
  /** Original contents of the location sets' files and the gold patch's files that exist. */
  contents: Record<string, string>;
  oracle: OracleTarget | null;
  /** Why the reward target could not be built (oracle null). */
  oracleProblem?: string;
  syntax: PythonSyntaxChecker;
  /** The repo's language (spec tables, else its files at base_commit). */
  language: InstanceLanguage;
  /** Another language's repo: its grammar's syntax check and its fence tag (absent for Python). */
  code?: { syntax: CodeSyntaxChecker; fence: string };
}

const isRegularFile = (listing: RepoListing, path: string): boolean => {
  const mode = listing.get(path);
  return mode === "100644" || mode === "100755";
};

export function repoDirOf(instance: Instance, repoSources: Readonly<Record<string, string>>): string {
  const dir = repoSources[instance.repo];
  if (!dir) throw new InstanceSkipped(`no local git repository for ${instance.repo}`);
  return dir;
}

export async function prepareInstance(
  instance: Instance,
  repoSources: Readonly<Record<string, string>>,
  locations: "localized" | "gold",
  localized: string[][] | undefined,
  samples: number,
  fill: LocationFill = "cycle",
): Promise<PreparedInstance> {
  const repoDir = repoDirOf(instance, repoSources);
  let listing: RepoListing;
  try {
    listing = await listFilesAtCommit(repoDir, instance.base_commit);
  } catch (err) {
    throw new InstanceSkipped(
      `base_commit ${instance.base_commit} cannot be read in ${repoDir}: ${(err as Error).message.split("\n")[0]}`,
    );
  }
  let goldFiles: string[] = [];
  try {
    if (instance.patch.trim() !== "") goldFiles = goldPatchFiles(instance.patch);
  } catch (err) {
    if (locations === "gold")
      throw new InstanceSkipped(`the gold patch is not a valid diff: ${(err as Error).message}`);
  }
  const sets = repairLocationSets(locations === "gold" ? [goldFiles] : (localized ?? []), samples, fill);
  if (sets.length === 0) {
    throw new InstanceSkipped(
      locations === "gold"
        ? "the gold patch modifies no existing file"
        : localized === undefined
          ? "no localization records (run `swerl localize` first, or use --locations gold)"
          : "localization found no files in any sample",
    );
  }
  const wanted = [...new Set([...sets.flat(), ...goldFiles])].filter((p) => isRegularFile(listing, p));
  const contents = await readFilesAtCommit(repoDir, instance.base_commit, wanted);
  let oracle: OracleTarget | null = null;
  let oracleProblem: string | undefined;
  if (instance.patch.trim() === "") {
    oracleProblem = "the instance has no gold patch";
  } else {
    try {
      oracle = oracleFromPatch(contents, instance.patch);
    } catch (err) {
      oracleProblem = `the gold patch does not apply at base_commit: ${(err as Error).message}`;
    }
  }
  const language = instanceLanguage(instance, listing.keys());
  const code = isCodeLanguage(language)
    ? { code: { syntax: new CodeSyntaxChecker(language), fence: fenceTag(language) } }
    : {};
  return {
    instance,
    repoDir,
    listing,
    sets,
    contents,
    oracle,
    syntax: new PythonSyntaxChecker(),
    language,
    ...code,
    ...(oracleProblem ? { oracleProblem } : {}),
  };
}
