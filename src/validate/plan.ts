// Validation's plan: every instance's repair samples grouped into unique normalized patches
// (git reads + normalizing, one instance's samples in memory at a time), and of those the ones
// to validate: a patch recorded with the same inputs and no error is reused (its record
// re-appended when its sample list grew), the rest are the instance's work.
import type { Instance } from "../dataset/schema.js";
import { isCodeLanguage, repoLanguage, type InstanceLanguage } from "../language/instance-language.js";
import { log } from "../log/logger.js";
import { NormalizePool } from "../normalize/normalize-pool.js";
import { createPatchNormalizer, type NormalizerKind } from "../normalize/patch-normalizer.js";
import type { RegressionInput } from "../records/regression.js";
import type { ReproductionTestsInput } from "../records/reproduction.js";
import { repairSamplesAt, type RepairIndex } from "../records/validation-inputs.js";
import {
  regressionDigest,
  reproductionDigest,
  VALIDATION_STAGE,
  type ValidateSummary,
  type ValidationRecord,
} from "../records/validation.js";
import { lookupSpec } from "../spec/data/index.js";
import type { RunStore } from "../store/run-store.js";
import type { Isolation } from "../testbed/testbed.js";
import { uniquePatches, type UniquePatch } from "./group.js";
import { reinstallFor } from "./reinstall.js";

export interface InstanceWork {
  instance: Instance;
  /** The spec's install step (reinstallFor decides when it runs). */
  install: string | undefined;
  regression: RegressionInput | undefined;
  reproduction: ReproductionTestsInput | undefined;
  todo: UniquePatch[];
  language: InstanceLanguage;
}

export const key = (id: string, patchId: string) => `${id}\u0000${patchId}`;
const sameSamples = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export interface PlanInputs {
  run: RunStore;
  instances: readonly Instance[];
  repoSources: Readonly<Record<string, string>>;
  isolation: Isolation;
  normalize?: NormalizerKind;
  repairOffsets: RepairIndex;
  regression: ReadonlyMap<string, RegressionInput>;
  reproduction: ReadonlyMap<string, ReproductionTestsInput>;
  /** The run's validation records by key(instance, patch_id). */
  recorded: ReadonlyMap<string, ValidationRecord>;
}

/** The instances with patches to validate; counts patches and reuses in `summary`, failures through `fail`. */
export async function planValidation(
  o: PlanInputs,
  summary: ValidateSummary,
  fail: (id: string, why: string) => void,
): Promise<InstanceWork[]> {
  const { repairOffsets, regression, reproduction, recorded } = o;
  // Group every instance's samples first (git reads + normalizing), so progress has a total; an
  // instance's samples are read when it is grouped and dropped after (only unique patches stay).
  const work: InstanceWork[] = [];
  // canonical forms (Python's, other languages') on worker threads; Agentless's in its python3 processes
  const pool = new NormalizePool();
  const normalizer =
    (o.normalize ?? "agentless") === "agentless" ? createPatchNormalizer("agentless") : pool.normalizer();
  try {
    for (const instance of o.instances) {
      const id = instance.instance_id;
      const offsets = repairOffsets.get(id);
      if (!offsets || offsets.size === 0) continue;
      let unique: UniquePatch[];
      let language: InstanceLanguage;
      try {
        const list = await repairSamplesAt(o.run, offsets);
        const repoDir = o.repoSources[instance.repo];
        if (!repoDir) throw new Error(`no local repository for ${instance.repo} (needed to normalize patches)`);
        // Another language's repo: its own canonical form (Agentless's normalizer parses Python only).
        language = await repoLanguage(instance, repoDir);
        unique = await uniquePatches(
          instance,
          list,
          repoDir,
          isCodeLanguage(language) ? pool.normalizer(language) : normalizer,
        );
      } catch (err) {
        fail(id, `grouping the samples failed: ${(err as Error).message}`);
        continue;
      }
      summary.patches += unique.length;
      const reg = regression.get(id);
      const usableReg = reg && !reg.error ? reg : undefined;
      if (reg?.error)
        log.warn(`validate: ${id}: regression record has an error (${reg.error}); regression results will be null`);
      const rep = reproduction.get(id);
      const inputs = { regression: regressionDigest(usableReg), reproduction: reproductionDigest(rep) };
      const install = lookupSpec(instance.repo, instance.version)?.spec.install;
      const todo: UniquePatch[] = [];
      for (const u of unique) {
        const old = recorded.get(key(id, u.patch_id));
        // A record made without the reinstall now due (an older swerl) is validated again.
        const reinstallMissing =
          old !== undefined &&
          old.reinstall_exit === undefined &&
          reinstallFor(install, u.patch, o.isolation) !== undefined;
        if (
          !old ||
          old.error !== null ||
          old.isolation !== o.isolation ||
          reinstallMissing ||
          old.inputs?.regression !== inputs.regression ||
          old.inputs?.reproduction !== inputs.reproduction
        ) {
          todo.push(u);
          continue;
        }
        summary.reused++;
        if (!sameSamples(old.samples, u.samples))
          await o.run.append(VALIDATION_STAGE, {
            ...old,
            samples: u.samples,
            patch: u.patch,
            created_at: new Date().toISOString(),
          });
      }
      if (todo.length > 0) work.push({ instance, install, regression: usableReg, reproduction: rep, todo, language });
    }
  } finally {
    await Promise.all([normalizer.close(), pool.close()]);
  }
  return work;
}
