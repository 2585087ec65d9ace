// The repair step: its options from the config, then the stage (`swerl repair` and `swerl run`).
import type { ModelProvider } from "../model/types.js";
import type { StepInput } from "../stage-common/step-input.js";
import { samplingParams } from "../stage-common/sampling.js";
import { repairSystemPrompt } from "./prompts.js";
import { runRepairStage, type RepairStageResult } from "./stage.js";

export interface RepairStepInput extends StepInput {
  provider: ModelProvider;
  repoSources: Readonly<Record<string, string>>;
}

export function runRepairStep(s: RepairStepInput): Promise<RepairStageResult> {
  const c = s.config;
  return runRepairStage({
    run: s.run,
    rawOutput: s.config.model.raw_output,
    instances: s.instances,
    provider: s.provider,
    repoSources: s.repoSources,
    samples: c.repair.samples,
    maxInputTokens: c.repair.max_input_tokens,
    locations: c.repair.locations,
    params: samplingParams(c.model, c.repair.samples),
    seed: c.model.seed ?? 0,
    concurrency: c.model.concurrency,
    maxN: c.model.max_n,
    systemPrompt: repairSystemPrompt(c.model),
    parser: c.repair.parser,
    syntaxCheck: c.repair.syntax_check,
    locationFill: c.repair.location_fill,
    sampling: c.repair.sampling,
    retryFailed: s.retryFailed,
    shouldStop: s.shouldStop,
  });
}
