// The validation stage: for every instance, its repair samples grouped into unique normalized
// patches, each validated once in the instance's testbed (one reused container per instance,
// reset between patches; or a fresh container per step with isolation "container"), one
// record appended to validation.jsonl as soon as a patch is done. Resume: a patch recorded
// with the same inputs and no error is not run again (a grown sample list is re-recorded
// without re-running). One instance's failure never stops the others; instances run in
// parallel up to the engines' worker counts (docker.max_workers).
import type { Instance } from "../dataset/schema.js";
import { onEngines } from "../docker/engine-retry.js";
import type { EnginePool } from "../docker/engines.js";
import { InfraError } from "../docker/errors.js";
import { ImagePlacer } from "../docker/image-placement.js";
import { resolveImage } from "../docker/images.js";
import { pullsImages } from "../images/prepare.js";
import { log } from "../log/logger.js";
import { startProgress } from "../log/progress.js";
import { envPreludeLines } from "../spec/env-prelude.js";
import { makeTestSpec } from "../spec/test-spec.js";
import type { NormalizerKind } from "../normalize/patch-normalizer.js";
import { reproductionRunner } from "../language/profile.js";
import type { RunStore } from "../store/run-store.js";
import { withTestbed, type Isolation } from "../testbed/testbed.js";
import type { UniquePatch } from "./group.js";
import { regressionRecords, repairIndex, reproductionTests, validationRecords } from "../records/validation-inputs.js";
import {
  keptTests,
  regressionDigest,
  reproductionDigest,
  VALIDATION_STAGE,
  type ValidateSummary,
  type ValidationRecord,
} from "../records/validation.js";
import { type InstanceWork, planValidation } from "./plan.js";
import { reinstallFor } from "./reinstall.js";
import { validatePatch } from "./validate-patch.js";

export interface ValidateStageOptions {
  run: RunStore;
  instances: readonly Instance[];
  engines: EnginePool;
  /** repo (owner/name) → local git repository (for the original files, to normalize). */
  repoSources: Readonly<Record<string, string>>;
  namespace: string;
  isolation: Isolation;
  limits: { memoryBytes: number; pidsLimit: number; nanoCpus?: number };
  /** Limit of one regression run. */
  regressionTimeoutS: number;
  /** Limit of one reproduction test. */
  testTimeoutS: number;
  /** reproduce.verdict (default lenient). */
  verdict?: "strict" | "lenient";
  /** How samples become unique patches (validate.normalize; default agentless). */
  normalize?: NormalizerKind;
  shouldStop?: () => boolean;
}

export async function runValidateStage(
  o: ValidateStageOptions,
): Promise<{ summary: ValidateSummary; interrupted: boolean }> {
  const started = Date.now();
  // Exists even when no instance has a patch to validate (every sample empty): rerank then gives
  // those instances an empty prediction; a missing file means validate never ran.
  await o.run.touch(VALIDATION_STAGE);
  const ids = new Set(o.instances.map((i) => i.instance_id));
  const [repairOffsets, regression, reproduction, recorded] = await Promise.all([
    repairIndex(o.run, ids),
    regressionRecords(o.run, ids),
    reproductionTests(o.run, ids),
    validationRecords(o.run),
  ]);
  const summary: ValidateSummary = {
    instances: o.instances.length,
    patches: 0,
    validated: 0,
    reused: 0,
    applied: 0,
    reinstalled: 0,
    violations: 0,
    timed_out: 0,
    errors: 0,
    failed_instances: {},
    wall_ms: 0,
    test_ms: 0,
  };
  const fail = (id: string, why: string) => {
    summary.failed_instances[id] = why;
    log.error(`validate: ${id}: ${why}`);
  };

  const work = await planValidation({ ...o, repairOffsets, regression, reproduction, recorded }, summary, fail);

  const noReg = work.filter((w) => !w.regression).length;
  const noRep = work.filter((w) => !w.reproduction).length;
  if (noReg + noRep > 0)
    log.info(
      `validate: ${noReg} instance(s) without a regression record, ${noRep} without reproduction tests: those results are null`,
    );
  const progress = startProgress(
    "validate",
    work.reduce((n, w) => n + w.todo.length, 0),
  );
  const placer = new ImagePlacer(o.engines);
  let interrupted = false;

  const validateInstance = async (w: InstanceWork): Promise<void> => {
    const inst = w.instance;
    const id = inst.instance_id;
    const inputs = { regression: regressionDigest(w.regression), reproduction: reproductionDigest(w.reproduction) };
    const baseOf = (u: UniquePatch) => ({
      instance_id: id,
      patch_id: u.patch_id,
      normalized_patch: u.normalized,
      patch: u.patch,
      samples: u.samples,
      isolation: o.isolation,
      inputs,
    });
    const prelude = envPreludeLines(inst);
    const tests = keptTests(w.reproduction).map((t) => ({ test_id: t.test_id, script: t.script }));
    const image = makeTestSpec(inst, { namespace: o.namespace }).image;
    const done = new Set<string>();
    try {
      // On another engine (or this one once it answers) if it fails under us: the patches not
      // recorded yet move there (onEngines, evaluation's rule).
      await onEngines(o.engines, `validate: ${id}`, async (lease) => {
        if (o.shouldStop?.()) {
          interrupted = true;
          return;
        }
        await placer.ensure(lease.engine, image);
        await resolveImage(lease.docker, image, { pull: pullsImages(o.namespace) });
        let infra: InfraError | undefined;
        await withTestbed(
          {
            docker: lease.docker,
            image,
            runId: o.run.runId,
            instanceId: id,
            isolation: o.isolation,
            prelude,
            ...o.limits,
          },
          async (testbed) => {
            // Every patch is queued at once: the testbed runs them one by one but checks for writes
            // outside the tree (docker diff, costly) once per batch instead of once per step.
            await Promise.all(
              w.todo
                .filter((u) => !done.has(u.patch_id))
                .map(async (u) => {
                  if (o.shouldStop?.()) {
                    interrupted = true;
                    return;
                  }
                  let record: ValidationRecord;
                  try {
                    const v = await validatePatch(testbed, {
                      patch: u.patch,
                      regression: w.regression,
                      tests,
                      reinstall: reinstallFor(w.install, u.patch, o.isolation),
                      regressionTimeoutMs: o.regressionTimeoutS * 1000,
                      testTimeoutMs: o.testTimeoutS * 1000,
                      verdict: o.verdict,
                      ...(w.language === "python" ? {} : { runner: reproductionRunner(w.language) }),
                    });
                    record = { ...baseOf(u), ...v, error: null, created_at: new Date().toISOString() };
                  } catch (err) {
                    if (err instanceof InfraError) {
                      infra ??= err;
                      return;
                    }
                    record = errorRecord(baseOf(u), `validating the patch failed: ${(err as Error).message}`);
                  }
                  await recordDone(record);
                  done.add(u.patch_id);
                }),
            );
          },
        );
        if (infra) throw infra;
      });
    } catch (err) {
      // Infrastructure, everywhere it was tried: every patch not yet done gets an error record (a later run retries it).
      fail(id, (err as Error).message);
      for (const u of w.todo)
        if (!done.has(u.patch_id)) await recordDone(errorRecord(baseOf(u), (err as Error).message));
    }
  };

  const recordDone = async (r: ValidationRecord): Promise<void> => {
    await o.run.append(VALIDATION_STAGE, r);
    summary.validated++;
    if (r.applied) summary.applied++;
    if (r.reinstall_exit !== undefined) summary.reinstalled++;
    if (r.violation) summary.violations++;
    if (r.timed_out) summary.timed_out++;
    if (r.error) summary.errors++;
    summary.test_ms += r.timings_ms.regression + r.timings_ms.reproduction;
    progress.tick(r.error ? "error" : "ok");
  };

  await Promise.all(work.map(validateInstance));
  progress.stop();
  summary.wall_ms = Date.now() - started;
  return { summary, interrupted };
}

function errorRecord(
  base: Pick<
    ValidationRecord,
    "instance_id" | "patch_id" | "normalized_patch" | "patch" | "samples" | "isolation" | "inputs"
  >,
  error: string,
): ValidationRecord {
  return {
    ...base,
    applied: false,
    apply_method: null,
    regression_failures: null,
    regression_failed_tests: [],
    reproduction_passed: null,
    reproduction_outcomes: {},
    violation: null,
    timed_out: false,
    error,
    timings_ms: { apply: 0, regression: 0, reproduction: 0, reset: 0, total: 0 },
    created_at: new Date().toISOString(),
  };
}
