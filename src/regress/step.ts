// The regress step: its options from the config, then the stage (`swerl regress` and `swerl run`).
// The model filter runs when regress.model_filter is on and a model is given.
import type { EnginePool } from "../docker/engines.js";
import type { ModelProvider } from "../model/types.js";
import { containerLimits } from "../stage-common/engines.js";
import type { StepInput } from "../stage-common/step-input.js";
import { samplingParams } from "../stage-common/sampling.js";
import { runRegressStage } from "./stage.js";

export interface RegressStepInput extends StepInput {
  provider?: ModelProvider;
  engines: EnginePool;
  repoSources: Readonly<Record<string, string>>;
}

export function runRegressStep(s: RegressStepInput): ReturnType<typeof runRegressStage> {
  const c = s.config;
  return runRegressStage({
    run: s.run,
    instances: s.instances,
    engines: s.engines,
    repoSources: s.repoSources,
    namespace: c.docker.namespace,
    scope: c.regress.scope,
    passing: c.regress.passing,
    limits: containerLimits(c.docker),
    timeoutS: c.docker.timeout_s,
    maxWorkers: c.docker.max_workers,
    filter:
      c.regress.model_filter && s.provider ? { provider: s.provider, params: samplingParams(c.model) } : undefined,
    shouldStop: s.shouldStop,
  });
}
