// The localize step: its options from the config, then the stage (`swerl localize` and `swerl run`).
import type { ModelProvider } from "../model/types.js";
import type { StepInput } from "../stage-common/step-input.js";
import { localizeSamplingParams } from "../stage-common/sampling.js";
import type { InstanceRepos } from "./repos.js";
import { runLocalizeStage, type LocalizeStageOptions, type LocalizeStageResult } from "./stage.js";

export interface LocalizeStepInput extends StepInput {
  provider: ModelProvider;
  repos: InstanceRepos;
  map?: LocalizeStageOptions["map"];
}

export function runLocalizeStep(s: LocalizeStepInput): Promise<LocalizeStageResult> {
  const c = s.config;
  return runLocalizeStage({
    run: s.run,
    rawOutput: s.config.model.raw_output,
    instances: s.instances,
    provider: s.provider,
    repos: s.repos,
    samples: c.localize.samples,
    maxFiles: c.localize.max_files,
    params: localizeSamplingParams(c),
    parser: c.localize.parser,
    thinking: c.model.system_prompt === "swe-rl",
    seed: c.model.seed ?? 0,
    concurrency: c.model.concurrency,
    maxN: c.model.max_n,
    retryFailed: s.retryFailed,
    map: s.map,
    shouldStop: s.shouldStop,
  });
}
