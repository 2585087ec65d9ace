// The evaluation loop shared by `swerl evaluate` and `swerl run`: every non-empty prediction
// graded in its instance container (runInstance) on an engine of the pool (each engine runs
// its own worker count), instances already graded (report.json present) skipped, errors
// classified and never stopping the others; an instance whose engine went away is graded again
// on another engine (its record is written once, after the final attempt); then the
// harness-format run report in run_report.json.
import { join } from "node:path";
import { onEngines } from "../docker/engine-retry.js";
import type { EnginePool } from "../docker/engines.js";
import { InfraError } from "../docker/errors.js";
import { ImagePlacer } from "../docker/image-placement.js";
import type { Instance } from "../dataset/schema.js";
import { pullsImages } from "../images/prepare.js";
import { log } from "../log/logger.js";
import { startProgress } from "../log/progress.js";
import { DEFAULT_SPEC_RULES, gradingRulesOf, makeTestSpec, type SpecRules } from "../spec/test-spec.js";
import { writeJsonAtomic } from "../store/atomic.js";
import type { RunStore } from "../store/run-store.js";
import { isEmptyPatch, type Prediction } from "../records/predictions.js";
import { makeRunReport, type RunReport } from "../records/run-report.js";
import { cachedOutcome, runInstance } from "./run-instance.js";
import type { ErrorKind, EvaluationRecord } from "../records/evaluation.js";
import { RECORD_FILES } from "../records/files.js";

export interface EvaluationLimits {
  memoryBytes: number;
  pidsLimit: number;
  nanoCpus?: number;
}

export interface EvaluatePredictionsOptions {
  engines: EnginePool;
  run: RunStore;
  instances: readonly Instance[];
  predictions: ReadonlyMap<string, Prediction>;
  namespace: string;
  timeoutS: number;
  limits: EvaluationLimits;
  /** Harness rules: the eval script and the grading (default "dataset"; see spec/test-spec.ts). */
  rules?: SpecRules;
  shouldStop?: () => boolean;
}

export interface EvaluatePredictionsResult {
  report: RunReport;
  interrupted: boolean;
}

export async function evaluatePredictions(o: EvaluatePredictionsOptions): Promise<EvaluatePredictionsResult> {
  const evaluationDir = o.run.path("evaluation");
  const toRun = o.instances.filter(
    (i) => o.predictions.has(i.instance_id) && !isEmptyPatch(o.predictions.get(i.instance_id)!),
  );
  const errorKinds: Record<string, ErrorKind> = {};
  const progress = startProgress("evaluate", toRun.length);
  const placer = new ImagePlacer(o.engines);
  let interrupted = false;
  await Promise.all(
    toRun.map(async (inst) => {
      const dir = join(evaluationDir, inst.instance_id);
      if ((await cachedOutcome(dir, inst.instance_id)) !== null) {
        progress.tick("ok");
        return;
      }
      const pred = o.predictions.get(inst.instance_id)!;
      if (o.shouldStop?.()) {
        interrupted = true;
        return;
      }
      const record = await gradeOnPool(o.engines, placer, inst, pred, {
        namespace: o.namespace,
        runId: o.run.runId,
        dir,
        timeoutS: o.timeoutS,
        limits: o.limits,
        rules: o.rules,
        shouldStop: o.shouldStop,
      });
      if (!record) {
        interrupted = true;
        return;
      }
      if (record.error_kind) {
        errorKinds[inst.instance_id] = record.error_kind;
        log.warn(`${inst.instance_id}: ${record.error_kind}: ${record.error?.split("\n")[0]}`);
      }
      await o.run.append(RECORD_FILES.evaluation, record);
      progress.tick(record.status === "error" ? "error" : "ok");
    }),
  );
  progress.stop();
  const report = await makeRunReport([...o.instances], new Map(o.predictions), evaluationDir, errorKinds);
  await writeJsonAtomic(o.run.path("run_report.json"), report);
  return { report, interrupted };
}

export interface GradeOnPoolOptions {
  namespace: string;
  runId: string;
  dir: string;
  timeoutS: number;
  limits: EvaluationLimits;
  rules?: SpecRules;
  shouldStop?: () => boolean;
}

/**
 * Grade one prediction on an engine of the pool; an infrastructure error is retried by
 * onEngines' rule (another engine when there is one, or this one once it answers again).
 * The record of the last attempt is returned either way. Undefined when stopped before it started.
 */
export async function gradeOnPool(
  engines: EnginePool,
  placer: ImagePlacer,
  inst: Instance,
  pred: Prediction,
  o: GradeOnPoolOptions,
): Promise<EvaluationRecord | undefined> {
  const spec = makeTestSpec(inst, { namespace: o.namespace, rules: o.rules });
  let last: EvaluationRecord | undefined;
  try {
    return await onEngines(engines, `${inst.instance_id}: grading`, async (lease) => {
      if (o.shouldStop?.()) return undefined;
      let result: EvaluationRecord;
      try {
        await placer.ensure(lease.engine, spec.image);
        result = await runInstance(lease.docker, inst, spec, pred, {
          runId: o.runId,
          dir: o.dir,
          timeoutS: o.timeoutS,
          ...o.limits,
          pull: pullsImages(o.namespace),
          gradingRules: gradingRulesOf(o.rules ?? DEFAULT_SPEC_RULES),
        });
      } catch (err) {
        result = {
          instance_id: inst.instance_id,
          model_name_or_path: pred.model_name_or_path,
          status: "error",
          error_kind: "infrastructure",
          error: (err as Error).message,
          timings_ms: { setup: 0, eval: 0, total: 0 },
        };
      }
      last = { ...result, engine: lease.engine.name };
      if (result.error_kind === "infrastructure")
        throw new InfraError(result.error ?? "infrastructure error", "container");
      return last;
    });
  } catch (err) {
    if (last && err instanceof InfraError) return last; // every attempt failed: the last one's record
    throw err;
  }
}

export function formatRunReport(report: RunReport, path: string): string {
  return (
    [
      `Total instances: ${report.total_instances}`,
      `Instances submitted: ${report.submitted_instances}`,
      `Instances completed: ${report.completed_instances}`,
      `Instances incomplete: ${report.incomplete_ids.length}`,
      `Instances resolved: ${report.resolved_instances}`,
      `Instances unresolved: ${report.unresolved_instances}`,
      `Instances with empty patches: ${report.empty_patch_instances}`,
      `Instances with errors: ${report.error_instances}`,
      `Report written to ${path}`,
    ].join("\n") + "\n"
  );
}
