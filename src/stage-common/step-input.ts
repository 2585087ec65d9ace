// What every stage step (src/<stage>/step.ts) gets, whether `swerl <stage>` or `swerl run` calls
// it: the run config (flags already folded in), the open run, the selected instances and the
// stop flag. A step maps the config to its stage's options; nothing else does.
import type { SwerlConfig } from "../config/schema.js";
import type { Instance } from "../dataset/schema.js";
import type { RunStore } from "../store/run-store.js";

export interface StepInput {
  config: SwerlConfig;
  run: RunStore;
  instances: readonly Instance[];
  shouldStop: () => boolean;
  /** Run again the samples whose model call failed. */
  retryFailed?: boolean;
}
