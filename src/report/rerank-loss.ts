// Where rerank lost: a good patch was among the samples but another was chosen. Two
// definitions, and the report says which it used:
// - "grading" (grading.jsonl from `swerl run --grade-all`): some unique patch was graded
//   resolved, but the chosen one was not (its grading, else its evaluation outcome).
// - "normalized_gold" (otherwise): some validated patch normalizes (src/normalize) to the same
//   text as the gold patch, but the chosen patch does not. The gold patch is normalized
//   against its files at base_commit, read from a local clone of the repo, with the normalizer
//   the run's validation used (validate.normalize; runs from before that option: canonical).
import { log } from "../log/logger.js";
import { createPatchNormalizer, type NormalizerKind } from "../normalize/patch-normalizer.js";
import { readFilesAtCommit } from "../repo/files.js";
import { resolveRepoSources } from "../repo/local-sources.js";
import { parsePatchSet } from "../reward/patch-set.js";
import type { DatasetContext } from "./dataset-context.js";
import type { RunInputs } from "./inputs.js";
import type { Outcome } from "./outcomes.js";

export interface RerankLoss {
  definition: "grading" | "normalized_gold" | null;
  description: string;
  /** Instances with the records the definition needs (sampled patches and a choice). */
  considered: number;
  /** Instances where a good patch was sampled / chosen / sampled but not chosen. */
  good_sampled: string[];
  good_chosen: string[];
  lost: string[];
}

export interface RepoSourceFlags {
  explicit?: Record<string, string>;
  reposDir?: string;
}

const DESCRIPTIONS = {
  grading:
    "a patch graded resolved (grading.jsonl: every unique patch graded) was sampled, but a non-resolved one was chosen",
  normalized_gold:
    "a patch whose normalized form equals the gold patch's normalized form was sampled (validation.jsonl), but the chosen patch's normalized form differs",
};

function byGrading(inputs: RunInputs, ids: string[], outcomes: Map<string, Outcome>): RerankLoss {
  const good: string[] = [],
    chosenGood: string[] = [],
    lost: string[] = [];
  let considered = 0;
  for (const id of ids) {
    const graded = inputs.grading!.get(id);
    if (!graded) continue;
    considered++;
    const anyResolved = [...graded.values()].some((r) => r === true);
    const chosen = inputs.rerank?.get(id)?.patch_id ?? null;
    const chosenResolved = (chosen !== null ? graded.get(chosen) : undefined) ?? outcomes.get(id) === "resolved";
    if (anyResolved) good.push(id);
    if (chosenResolved) chosenGood.push(id);
    if (anyResolved && !chosenResolved) lost.push(id);
  }
  return {
    definition: "grading",
    description: DESCRIPTIONS.grading,
    considered,
    good_sampled: good,
    good_chosen: chosenGood,
    lost,
  };
}

/** The gold patch's normalized form per instance (instances whose files cannot be read are left out). */
async function normalizedGold(
  ctx: DatasetContext,
  ids: string[],
  flags: RepoSourceFlags,
  kind: NormalizerKind,
): Promise<Map<string, string>> {
  const instances = ids.map((id) => ctx.byId.get(id)).filter((i) => i !== undefined && i.patch.trim() !== "");
  const sources = resolveRepoSources(
    instances.map((i) => i!.repo),
    {
      explicit: flags.explicit,
      datasetPath: ctx.datasetPath ?? undefined,
      reposDir: flags.reposDir ?? process.env.SWERL_REPOS_DIR,
    },
  );
  const out = new Map<string, string>();
  const normalizer = createPatchNormalizer(kind);
  try {
    for (const inst of instances) {
      const paths = parsePatchSet(inst!.patch)
        .map((f) => f.sourceFile)
        .filter((p): p is string => !!p && p !== "/dev/null")
        .map((p) => p.replace(/^a\//, ""));
      const originals = await readFilesAtCommit(sources[inst!.repo], inst!.base_commit, paths);
      const r = await normalizer.normalize(inst!.patch, originals, `${inst!.instance_id}@${inst!.base_commit}`);
      if (r.error) log.warn(`${inst!.instance_id}: gold patch does not normalize (${r.error})`);
      else out.set(inst!.instance_id, r.normalized);
    }
  } finally {
    await normalizer.close();
  }
  return out;
}

export async function rerankLoss(
  inputs: RunInputs,
  ctx: DatasetContext,
  outcomes: Map<string, Outcome>,
  flags: RepoSourceFlags,
): Promise<{ loss: RerankLoss; note: string | null }> {
  const ids = ctx.instanceIds;
  if (inputs.grading) return { loss: byGrading(inputs, ids, outcomes), note: null };
  const none = (note: string) => ({
    loss: {
      definition: null,
      description: "not computed",
      considered: 0,
      good_sampled: [],
      good_chosen: [],
      lost: [],
    } as RerankLoss,
    note,
  });
  if (!inputs.validation || !inputs.rerank)
    return none("rerank losses need validation.jsonl and rerank.jsonl (or grading.jsonl)");
  if (ctx.byId.size === 0) return none("rerank losses by normalized gold need the dataset (gold patches)");
  const withRecords = ids.filter((id) => inputs.validation!.has(id) && inputs.rerank!.has(id));
  let gold: Map<string, string>;
  try {
    const config = inputs.manifest.config as { validate?: { normalize?: unknown } } | null;
    gold = await normalizedGold(
      ctx,
      withRecords,
      flags,
      config?.validate?.normalize === "agentless" ? "agentless" : "canonical",
    );
  } catch (err) {
    return none(`rerank losses by normalized gold need the repos at base_commit: ${(err as Error).message}`);
  }
  const good: string[] = [],
    chosenGood: string[] = [],
    lost: string[] = [];
  let considered = 0;
  for (const id of withRecords) {
    const g = gold.get(id);
    if (g === undefined || g === "") continue;
    considered++;
    const patches = inputs.validation.get(id)!;
    const sampled = patches.some((p) => p.normalized_patch === g);
    const chosenId = inputs.rerank.get(id)!.patch_id;
    const chosen = patches.find((p) => p.patch_id === chosenId)?.normalized_patch === g;
    if (sampled) good.push(id);
    if (chosen) chosenGood.push(id);
    if (sampled && !chosen) lost.push(id);
  }
  return {
    loss: {
      definition: "normalized_gold",
      description: DESCRIPTIONS.normalized_gold,
      considered,
      good_sampled: good,
      good_chosen: chosenGood,
      lost,
    },
    note: null,
  };
}
