// `swerl evaluate`: a drop-in for the SWE-bench harness's run_evaluation. Per instance:
// results/<run>/evaluation/<id>/{patch.diff, eval.sh, test_output.txt, report.json,
// run_instance.log}; the run report (schema_version 2) in results/<run>/run_report.json.
// Resumes: instances with a report.json are not run again; errors are retried.
import { Command, Option } from "commander";
import { parsePositiveInt } from "../cli/pairs.js";
import { addDatasetOptions, loadDatasetSelection, type DatasetOptions } from "../dataset/options.js";
import { ensureDockerAvailable } from "../docker/client.js";
import { announceEngines, EnginePool, parseEngineFlag } from "../docker/engines.js";
import { collect, interruptFlag } from "../cli/stage-command.js";
import { hashFile } from "../store/hash.js";
import { DEFAULT_SPEC_RULES, SPEC_RULES, type SpecRules } from "../spec/test-spec.js";
import { RunStore } from "../store/run-store.js";
import { ensureDemoImages } from "../images/prepare.js";
import { parseMemory } from "../docker/limits.js";
import { evaluatePredictions, formatRunReport } from "./evaluate-predictions.js";
import { loadPredictions } from "../records/predictions.js";

interface EvaluateOpts extends DatasetOptions {
  predictions: string;
  runId: string;
  maxWorkers: string;
  timeout: string;
  namespace: string;
  rules: SpecRules;
  memory: string;
  pidsLimit: string;
  cpus?: string;
  force?: boolean;
  resultsDir?: string;
  dockerHost?: string[];
}

export function evaluateCommand(): Command {
  return addDatasetOptions(new Command("evaluate"))
    .description("Grade predictions in Docker exactly as the SWE-bench harness does")
    .requiredOption("--predictions <path|gold|empty>", "predictions JSONL/JSON, or gold / empty")
    .requiredOption("--run-id <id>", "run id (results/<run-id>/)")
    .option("--max-workers <n>", "instances evaluated in parallel (per engine without =WORKERS)", "4")
    .option(
      "--docker-host <host[=workers]>",
      "a Docker engine to use (repeatable: several engines share the work; default $DOCKER_HOST or the local socket)",
      collect,
    )
    .option("--timeout <seconds>", "wall-clock limit for the eval script", "1800")
    .option("--namespace <ns>", 'image namespace ("none" for locally built images)', "swebench")
    .addOption(
      new Option(
        "--rules <rules>",
        "harness rules for the eval script and the grading: dataset (the eval_script column, graded as v4.1), v4.1, latest (the harness's current release)",
      )
        .choices([...SPEC_RULES])
        .default(DEFAULT_SPEC_RULES),
    )
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
        memoryBytes: parseMemory(o.memory),
        pidsLimit: parsePositiveInt(o.pidsLimit, "--pids-limit"),
        nanoCpus: o.cpus ? Math.round(Number(o.cpus) * 1e9) : undefined,
      };
      const predictionsDigest = ["gold", "empty"].includes(o.predictions)
        ? o.predictions
        : await hashFile(o.predictions);
      const run = await RunStore.open({
        runId: o.runId,
        command: "evaluate",
        resultsDir: o.resultsDir,
        force: o.force,
        config: { dataset: o.dataset, predictions: predictionsDigest, namespace: o.namespace, rules: o.rules },
        datasetDigest: await hashFile(datasetPath),
      });
      const maxWorkers = parsePositiveInt(o.maxWorkers, "--max-workers");
      const engines = new EnginePool(
        (o.dockerHost?.length ? o.dockerHost : [process.env.DOCKER_HOST ?? ""]).map((h) =>
          h === "" ? { host: "", workers: maxWorkers } : parseEngineFlag(h, maxWorkers),
        ),
      );
      await ensureDockerAvailable(engines.engines[0].docker);
      await announceEngines(engines);
      // The demo's images are built on the first engine; the others get copies when they need them.
      await ensureDemoImages(engines.engines[0].docker, instances, o.namespace);

      const interrupt = interruptFlag();
      try {
        const { report, interrupted } = await evaluatePredictions({
          engines,
          run,
          instances,
          predictions,
          namespace: o.namespace,
          timeoutS,
          limits,
          rules: o.rules,
          shouldStop: interrupt.stopped,
        });
        await run.finish(interrupted ? "interrupted" : "success");
        process.stdout.write(formatRunReport(report, run.path("run_report.json")));
        if (interrupted) process.exitCode = 130;
      } finally {
        interrupt.dispose();
        engines.close();
      }
    });
}
