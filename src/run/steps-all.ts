// The pipeline's stage list in order, the oracle's answers for every stage, and the closing
// lines of a run (solve rate, where the report is).
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { SwerlConfig } from "../config/schema.js";
import type { Instance } from "../dataset/schema.js";
import type { RunReport } from "../evaluate/run-report.js";
import type { OracleAnswerBuilder } from "../model/oracle.js";
import type { RunStore } from "../store/run-store.js";
import type { StageStep } from "./pipeline.js";
import { evaluateStep, localizeStep, repairStep } from "./steps.js";

export const PIPELINE_STEPS: readonly StageStep[] = [localizeStep, repairStep, evaluateStep];

export function oracleStageAnswers(_instances: readonly Instance[]): Record<string, OracleAnswerBuilder> {
  return {};
}

export async function finishRun(run: RunStore, _config: SwerlConfig, instances: readonly Instance[], _datasetPath: string, until?: string): Promise<string> {
  const reportPath = run.path("run_report.json");
  if (until !== undefined || !existsSync(reportPath)) return `Run ${run.runId} stopped after ${until ?? "its last stage"}: ${run.dir}\n`;
  const report = JSON.parse(await readFile(reportPath, "utf8")) as RunReport;
  const rate = report.resolved_instances / Math.max(instances.length, 1);
  return `Solve rate: ${(100 * rate).toFixed(1)}% (${report.resolved_instances}/${instances.length} resolved)\nRun: ${run.dir}\n`;
}
