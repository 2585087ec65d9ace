// Evaluate one prediction the way the SWE-bench harness's run_instance does: start the
// instance container (no network, limits), apply the patch with the three-step ladder, run
// the eval script under a wall-clock timeout with output streamed to disk, grade the log.
// Errors are classified (patch apply failed / timed out / infrastructure) and never stop
// other instances. Files: evaluation/<id>/{patch.diff, eval.sh, test_output.txt,
// report.json, run_instance.log}.
import { existsSync } from "node:fs";
import { appendFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type Docker from "dockerode";
import type { Instance } from "../dataset/schema.js";
import { applyPatch } from "../docker/apply-patch.js";
import { withSandbox } from "../docker/cleanup.js";
import { resolveImage } from "../docker/images.js";
import { formatReportJson, gradeInstance, type GradingRules } from "../grading/grade.js";
import type { TestSpec } from "../spec/test-spec.js";
import { InstanceLog } from "./instance-log.js";
import type { Prediction } from "../records/predictions.js";
import type { ErrorKind, EvaluationRecord } from "../records/evaluation.js";

export interface RunInstanceOptions {
  runId: string;
  /** Which harness's grading rules (default v4.1). */
  gradingRules?: GradingRules;
  dir: string; // evaluation/<instance_id>
  timeoutS: number;
  memoryBytes: number;
  pidsLimit: number;
  nanoCpus?: number;
  /** Pull the image when it is not present locally (namespaced, official images). */
  pull: boolean;
}

class EvaluationError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export const reportPath = (dir: string): string => join(dir, "report.json");

/** A finished instance (report.json present) from an earlier run, as the harness resumes. */
export async function cachedOutcome(dir: string, instanceId: string): Promise<boolean | null> {
  const path = reportPath(dir);
  if (!existsSync(path)) return null;
  try {
    const report = JSON.parse(await readFile(path, "utf8")) as Record<string, { resolved: boolean }>;
    return report[instanceId]?.resolved ?? null;
  } catch {
    return null;
  }
}

export async function runInstance(
  docker: Docker,
  instance: Instance,
  spec: TestSpec,
  pred: Prediction,
  opts: RunInstanceOptions,
): Promise<EvaluationRecord> {
  const started = Date.now();
  await mkdir(opts.dir, { recursive: true });
  const log = new InstanceLog(join(opts.dir, "run_instance.log"));
  const id = instance.instance_id;
  const record: EvaluationRecord = {
    instance_id: id,
    model_name_or_path: pred.model_name_or_path,
    status: "error",
    timings_ms: { setup: 0, eval: 0, total: 0 },
  };
  log.info(`started: ${id} (image ${spec.image}, run ${opts.runId})`);
  const patch = pred.model_patch ?? "";
  await writeFile(join(opts.dir, "patch.diff"), patch);
  await writeFile(join(opts.dir, "eval.sh"), spec.evalScript);
  const outputFile = join(opts.dir, "test_output.txt");
  try {
    const resolved = await resolveImage(docker, spec.image, {
      pull: opts.pull,
      onProgress: (p) => {
        if (p.status.startsWith("Pulling from") || p.status.startsWith("Status")) log.info(`pull: ${p.status}`);
      },
    });
    if (resolved.pulled) log.info(`pulled ${spec.image}`);
    await withSandbox(
      docker,
      {
        image: spec.image,
        runId: opts.runId,
        instanceId: id,
        memoryBytes: opts.memoryBytes,
        pidsLimit: opts.pidsLimit,
        nanoCpus: opts.nanoCpus,
      },
      async (sandbox) => {
        log.info(`container ${sandbox.id.slice(0, 12)} started`);
        const applied = await applyPatch(sandbox, patch, {
          extraFiles: [{ path: "/eval.sh", content: spec.evalScript, mode: 0o755 }],
        });
        if (!applied.applied) throw new EvaluationError("patch_apply_failed", `Patch Apply Failed:\n${applied.log}`);
        record.apply_method = applied.method;
        log.info(`Patch Apply Passed (${applied.method}):\n${applied.log}`);
        // No separate `git diff` exec here (the harness logs one): eval.sh itself prints
        // `git diff <base_commit>` into test_output.txt, and each exec costs ~0.1-0.3 s.
        record.timings_ms.setup = Date.now() - started;
        const evalStart = Date.now();
        const run = await sandbox.exec("/bin/bash /eval.sh", { timeoutMs: opts.timeoutS * 1000, outputFile });
        record.timings_ms.eval = Date.now() - evalStart;
        log.info(`Test runtime: ${(record.timings_ms.eval / 1000).toFixed(2)} seconds`);
        if (run.timedOut) {
          await appendFile(outputFile, `\n\nTimeout error: ${opts.timeoutS} seconds exceeded.`);
          throw new EvaluationError("timed_out", `Test timed out after ${opts.timeoutS} seconds.`);
        }
      },
    );
    const report = gradeInstance(instance, await readFile(outputFile, "utf8"), {
      patchApplied: true,
      rules: opts.gradingRules,
    });
    await writeFile(reportPath(opts.dir), formatReportJson(report));
    record.status = report[id]!.resolved ? "resolved" : "unresolved";
    log.info(`success: ${id} resolved=${report[id]!.resolved}`);
  } catch (err) {
    record.error_kind = err instanceof EvaluationError ? err.kind : "infrastructure";
    record.error = (err as Error).message;
    log.error(`error: ${id} ${record.error_kind}: ${record.error}`);
  }
  record.timings_ms.total = Date.now() - started;
  return record;
}
