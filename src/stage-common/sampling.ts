// The model-driven stages' sampling parameters from the config.
import type { SwerlConfig } from "../config/schema.js";
import type { SamplingParams } from "../model/types.js";

/**
 * The sampling parameters of a stage drawing `samples` samples per instance: a single sample is
 * drawn at temperature 0 when model.greedy_single_sample is on (SWE-RL's README greedy recipe).
 */
export const samplingParams = (m: SwerlConfig["model"], samples?: number): SamplingParams => ({
  temperature: samples === 1 && m.greedy_single_sample !== false ? 0 : m.temperature,
  top_p: m.top_p,
  max_tokens: m.max_tokens,
  seed: m.seed,
  stop: m.stop,
});

/**
 * Localization's sampling parameters: with `localize.sampling: agentless` and several samples,
 * temperature 0.8 for each, as Agentless 1.5 samples its edit-location sets (README_swebench.md:144-152).
 */
export function localizeSamplingParams(c: Pick<SwerlConfig, "model" | "localize">): SamplingParams {
  const base = samplingParams(c.model, c.localize.samples);
  return c.localize.sampling === "agentless" && c.localize.samples > 1 ? { ...base, temperature: 0.8 } : base;
}
