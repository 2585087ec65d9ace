// The reproduce step: its options from the config, then the stage (`swerl reproduce` and `swerl run`).
import type { EnginePool } from "../docker/engines.js";
import type { ModelProvider } from "../model/types.js";
import { containerLimits } from "../stage-common/engines.js";
import type { StepInput } from "../stage-common/step-input.js";
import { samplingParams } from "../stage-common/sampling.js";
import { runReproduceStage } from "./stage.js";

export interface ReproduceStepInput extends StepInput {
  provider: ModelProvider;
  engines: EnginePool;
  repoSources: Readonly<Record<string, string>>;
}

export function runReproduceStep(s: ReproduceStepInput): ReturnType<typeof runReproduceStage> {
  const c = s.config;
  return runReproduceStage({
    run: s.run,
    rawOutput: s.config.model.raw_output,
    instances: s.instances,
    provider: s.provider,
    engines: s.engines,
    repoSources: s.repoSources,
    namespace: c.docker.namespace,
    samples: c.reproduce.samples,
    topTests: c.reproduce.top_tests,
    params: samplingParams(c.model),
    prompt: c.reproduce.prompt,
    sampling: c.reproduce.sampling,
    extraction: c.reproduce.extraction,
    verdict: c.reproduce.verdict,
    normalize: c.reproduce.normalize,
    limits: containerLimits(c.docker),
    testTimeoutS: c.validate.test_timeout_s,
    maxWorkers: c.docker.max_workers,
    shouldStop: s.shouldStop,
    concurrency: c.model.concurrency,
    maxN: c.model.max_n,
  });
}
