// `swerl run --grade-all`: the official grading (eval script + log parser, exactly as
// `swerl evaluate`) of every unique patch the validation stage saw, not only the chosen one,
// so `swerl ablate` can give exact curves and oracle@k. One line per (instance, patch_id) in
// grading.jsonl; infrastructure errors are not kept as results (a resumed run tries again).
import type { EnginePool } from "../docker/engines.js";
import { ImagePlacer } from "../docker/image-placement.js";
import type { Instance } from "../dataset/schema.js";
import { gradeOnPool, type EvaluationLimits } from "../evaluate/evaluate-predictions.js";
import type { SpecRules } from "../spec/test-spec.js";
import { log } from "../log/logger.js";
import { startProgress } from "../log/progress.js";
import type { RunStore } from "../store/run-store.js";
import { GRADING_STAGE, gradedPatches, gradingKey as key, type GradingRecord } from "../records/evaluation.js";
import { RECORD_FILES } from "../records/files.js";

interface ValidatedPatch {
  instance_id: string;
  patch_id: string;
  patch: string;
}

/** The unique patches of the run's validation records (last record per patch wins). */
async function validatedPatches(run: RunStore, ids: ReadonlySet<string>): Promise<Map<string, ValidatedPatch>> {
  const out = new Map<string, ValidatedPatch>();
  for await (const r of run.records<ValidatedPatch>(RECORD_FILES.validation)) {
    if (ids.has(r.instance_id) && typeof r.patch === "string" && r.patch.trim() !== "")
      out.set(key(r.instance_id, r.patch_id), r);
  }
  return out;
}

export interface GradeAllOptions {
  engines: EnginePool;
  run: RunStore;
  instances: readonly Instance[];
  namespace: string;
  timeoutS: number;
  limits: EvaluationLimits;
  rules?: SpecRules;
  shouldStop?: () => boolean;
}

export async function gradeAllPatches(o: GradeAllOptions): Promise<{ graded: number; interrupted: boolean }> {
  const byId = new Map(o.instances.map((i) => [i.instance_id, i]));
  const patches = await validatedPatches(o.run, new Set(byId.keys()));
  const done = await gradedPatches(o.run);
  const todo = [...patches.entries()].filter(([k]) => {
    const d = done.get(k);
    return !d || d.error_kind === "infrastructure";
  });
  const progress = startProgress("grade-all", todo.length);
  const placer = new ImagePlacer(o.engines);
  let graded = 0;
  let interrupted = false;
  await Promise.all(
    todo.map(async ([, p]) => {
      if (o.shouldStop?.()) {
        interrupted = true;
        return;
      }
      const inst = byId.get(p.instance_id)!;
      const record: GradingRecord = {
        instance_id: p.instance_id,
        patch_id: p.patch_id,
        resolved: null,
        error_kind: null,
        created_at: "",
      };
      const r = await gradeOnPool(
        o.engines,
        placer,
        inst,
        { instance_id: p.instance_id, model_name_or_path: "grade-all", model_patch: p.patch },
        {
          namespace: o.namespace,
          runId: o.run.runId,
          dir: o.run.path("grading", p.instance_id, p.patch_id),
          timeoutS: o.timeoutS,
          limits: o.limits,
          rules: o.rules,
          shouldStop: o.shouldStop,
        },
      );
      if (!r) {
        interrupted = true;
        return;
      }
      if (r.status === "error") {
        record.error_kind = r.error_kind ?? "infrastructure";
        record.error = r.error?.split("\n")[0];
      } else record.resolved = r.status === "resolved";
      // A patch that does not apply or times out is graded unresolved, as the harness counts it.
      if (record.error_kind === "patch_apply_failed" || record.error_kind === "timed_out") record.resolved = false;
      if (record.error_kind === "infrastructure") log.warn(`grade-all ${p.instance_id} ${p.patch_id}: ${record.error}`);
      record.created_at = new Date().toISOString();
      await o.run.append(GRADING_STAGE, record);
      graded++;
      progress.tick(record.error_kind === "infrastructure" ? "error" : "ok");
    }),
  );
  progress.stop();
  return { graded, interrupted };
}
