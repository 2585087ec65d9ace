// `swerl evaluate`: a drop-in for the SWE-bench harness's run_evaluation. Per instance:
// results/<run>/evaluation/<id>/{patch.diff, eval.sh, test_output.txt, report.json,
// run_instance.log}; the run report (schema_version 2) in results/<run>/run_report.json.
// Resumes: instances with a report.json are not run again; errors are retried.
import { Command } from "commander";
import { join } from "node:path";
import pLimit from "p-limit";
import { parsePositiveInt } from "../cli/pairs.js";
import { addDatasetOptions, loadDatasetSelection, type DatasetOptions } from "../dataset/options.js";
import { dockerClient, ensureDockerAvailable } from "../docker/client.js";
import { log } from "../log/logger.js";
import { startProgress } from "../log/progress.js";
import { makeTestSpec } from "../spec/test-spec.js";
import { hashFile } from "../store/hash.js";
import { writeJsonAtomic } from "../store/atomic.js";
import { RunStore } from "../store/run-store.js";
import { ensureDemoImages } from "./demo-images.js";
import { parseMemory } from "./limits.js";
import { isEmptyPatch, loadPredictions } from "./predictions.js";
import { makeRunReport } from "./run-report.js";
import { cachedOutcome, runInstance, type EvaluationRecord, type ErrorKind } from "./run-instance.js";

interface EvaluateOpts extends DatasetOptions {
  predictions: string; runId: string; maxWorkers: string; timeout: string; namespace: string;
  memory: string; pidsLimit: string; cpus?: string; force?: boolean; resultsDir?: string;
}

export function evaluateCommand(): Command {
  return addDatasetOptions(new Command("evaluate"))
    .description("Grade predictions in Docker exactly as the SWE-bench harness does")
    .requiredOption("--predictions <path|gold|empty>", "predictions JSONL/JSON, or gold / empty")
    .requiredOption("--run-id <id>", "run id (results/<run-id>/)")
    .option("--max-workers <n>", "instances evaluated in parallel", "4")
    .option("--timeout <seconds>", "wall-clock limit for the eval script", "1800")
    .option("--namespace <ns>", 'image namespace ("none" for locally built images)', "swebench")
    .option("--memory <size>", "container memory limit", "8g")
    .option("--pids-limit <n>", "container pids limit", "4096")
    .option("--cpus <n>", "container CPU limit")
    .option("--results-dir <dir>", "where run directories live", "results")
    .option("--force", "reuse a run id whose config differs")
    .action(async (o: EvaluateOpts) => {
      const { path: datasetPath, all, selected: instances } = await loadDatasetSelection(o);
      const predictions = await loadPredictions(o.predictions, instances, new Set(all.map((i) => i.instance_id)));
      const timeoutS = parsePositiveInt(o.timeout, "--timeout");
      const limits = {
        memoryBytes: parseMemory(o.memory), pidsLimit: parsePositiveInt(o.pidsLimit, "--pids-limit"),
        nanoCpus: o.cpus ? Math.round(Number(o.cpus) * 1e9) : undefined,
      };
      const predictionsDigest = ["gold", "empty"].includes(o.predictions) ? o.predictions : await hashFile(o.predictions);
      const run = await RunStore.open({
        runId: o.runId, command: "evaluate", resultsDir: o.resultsDir, force: o.force,
        config: { dataset: o.dataset, predictions: predictionsDigest, namespace: o.namespace },
        datasetDigest: await hashFile(datasetPath),
      });
      const docker = dockerClient();
      await ensureDockerAvailable(docker);
      if (o.dataset === "demo") await ensureDemoImages(docker, instances, o.namespace);

      const evaluationDir = run.path("evaluation");
      const toRun = instances.filter((i) => predictions.has(i.instance_id) && !isEmptyPatch(predictions.get(i.instance_id)!));
      const errorKinds: Record<string, ErrorKind> = {};
      const progress = startProgress("evaluate", toRun.length);
      const limit = pLimit(parsePositiveInt(o.maxWorkers, "--max-workers"));
      let interrupted = false;
      const onSigint = () => { interrupted = true; log.warn("interrupted: finishing running instances, then stopping (run the same command to resume)"); };
      process.once("SIGINT", onSigint);
      await Promise.all(toRun.map((inst) => limit(async () => {
        if (interrupted) return;
        const dir = join(evaluationDir, inst.instance_id);
        if ((await cachedOutcome(dir, inst.instance_id)) !== null) { progress.tick("ok"); return; }
        let record: EvaluationRecord;
        try {
          record = await runInstance(docker, inst, makeTestSpec(inst, { namespace: o.namespace }), predictions.get(inst.instance_id)!, {
            runId: run.runId, dir, timeoutS, ...limits, pull: o.namespace !== "none" && o.namespace !== "",
          });
        } catch (err) {
          record = { instance_id: inst.instance_id, model_name_or_path: predictions.get(inst.instance_id)!.model_name_or_path,
            status: "error", error_kind: "infrastructure", error: (err as Error).message, timings_ms: { setup: 0, eval: 0, total: 0 } };
        }
        if (record.error_kind) {
          errorKinds[inst.instance_id] = record.error_kind;
          log.warn(`${inst.instance_id}: ${record.error_kind}: ${record.error?.split("\n")[0]}`);
        }
        await run.append("evaluation", record);
        progress.tick(record.status === "error" ? "error" : "ok");
      })));
      process.off("SIGINT", onSigint);
      progress.stop();

      const report = await makeRunReport(instances, predictions, evaluationDir, errorKinds);
      await writeJsonAtomic(run.path("run_report.json"), report);
      await run.finish(interrupted ? "interrupted" : "success");
      process.stdout.write([
        `Total instances: ${report.total_instances}`,
        `Instances submitted: ${report.submitted_instances}`,
        `Instances completed: ${report.completed_instances}`,
        `Instances incomplete: ${report.incomplete_ids.length}`,
        `Instances resolved: ${report.resolved_instances}`,
        `Instances unresolved: ${report.unresolved_instances}`,
        `Instances with empty patches: ${report.empty_patch_instances}`,
        `Instances with errors: ${report.error_instances}`,
        `Report written to ${run.path("run_report.json")}`,
      ].join("\n") + "\n");
    });
}
