// The validate step: its options from the config, then the stage (`swerl validate` and `swerl run`).
import type { EnginePool } from "../docker/engines.js";
import { containerLimits } from "../stage-common/engines.js";
import type { StepInput } from "../stage-common/step-input.js";
import { runValidateStage } from "./stage.js";

export interface ValidateStepInput extends StepInput {
  engines: EnginePool;
  repoSources: Readonly<Record<string, string>>;
}

export function runValidateStep(s: ValidateStepInput): ReturnType<typeof runValidateStage> {
  const c = s.config;
  return runValidateStage({
    run: s.run,
    instances: s.instances,
    engines: s.engines,
    repoSources: s.repoSources,
    namespace: c.docker.namespace,
    isolation: c.validate.isolation,
    limits: containerLimits(c.docker),
    regressionTimeoutS: c.docker.timeout_s,
    testTimeoutS: c.validate.test_timeout_s,
    verdict: c.reproduce.verdict,
    normalize: c.validate.normalize,
    shouldStop: s.shouldStop,
  });
}
