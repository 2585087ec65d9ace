// The pipeline's stage list in order, the oracle's answers for every stage, and the closing
// lines of a run (solve rate, where the report is).
import { existsSync } from "node:fs";
import type { SwerlConfig } from "../config/schema.js";
import type { Instance } from "../dataset/schema.js";
import { log } from "../log/logger.js";
import { ABLATION_ABSENT } from "../report/inputs.js";
import { pct } from "../report/sections.js";
import { writeReport } from "../report/write.js";
import type { OracleAnswerBuilder } from "../model/oracle.js";
import type { RunStore } from "../store/run-store.js";
import type { StageStep } from "./pipeline.js";
import { regressOracleAnswers } from "../regress/filter.js";
import { reproduceOracleAnswers } from "../reproduce/oracle-answer.js";
import {
  evaluateStep,
  localizeStep,
  regressStep,
  repairStep,
  reproduceStep,
  rerankStep,
  validateStep,
} from "./steps.js";

export const PIPELINE_STEPS: readonly StageStep[] = [
  localizeStep,
  repairStep,
  reproduceStep,
  regressStep,
  validateStep,
  rerankStep,
  evaluateStep,
];

export function oracleStageAnswers(
  instances: readonly Instance[],
  config: SwerlConfig,
): Record<string, OracleAnswerBuilder> {
  return { ...reproduceOracleAnswers(instances, config.model.oracle), ...regressOracleAnswers(instances) };
}

export async function finishRun(
  run: RunStore,
  repoDirs: Readonly<Record<string, string>>,
  until?: string,
): Promise<string> {
  if (until !== undefined || !existsSync(run.path("run_report.json")))
    return `Run ${run.runId} stopped after ${until ?? "its last stage"}: ${run.dir}\n`;
  const { report, paths } = await writeReport(run.dir, { explicit: { ...repoDirs } });
  // `run` never ablates, so a missing ablation.json is expected here, not a warning.
  for (const n of report.notes) (n === ABLATION_ABSENT ? log.info : log.warn)(`report: ${n}`);
  const s = report.solve_rate;
  return (
    [
      s
        ? `Solve rate: ${pct(s.rate)} (${s.k}/${s.n} resolved), 95% CI [${pct(s.lo)}, ${pct(s.hi)}]${report.oracle.used ? " — oracle policy, not a real model" : ""}`
        : "Solve rate: not available",
      `Report: ${paths.html}`,
      `Run: ${run.dir}`,
    ].join("\n") + "\n"
  );
}
