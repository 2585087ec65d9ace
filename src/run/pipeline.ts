// `swerl run`'s engine: the stages in order, each resuming from the run store, under one
// progress prefix ("run R [i/n] stage …"), with started/success/error lines per stage. A
// stage whose work all failed for some instances goes on with the others; an exception out
// of a stage (a bug, Docker gone) ends the run with status error, everything recorded so far
// kept. Ctrl-C lets work in flight finish, then stops; the same command resumes.
import type Docker from "dockerode";
import type { SwerlConfig } from "../config/schema.js";
import type { Instance } from "../dataset/schema.js";
import type { EnginePool } from "../docker/engines.js";
import type { InstanceRepos } from "../localize/repos.js";
import { log } from "../log/logger.js";
import { setProgressContext } from "../log/progress.js";
import { assertModelAnswered, type ModelClient } from "../model/factory.js";
import { rememberSavedUsage, saveUsageTotals } from "../model/usage-file.js";
import { writeJsonAtomic } from "../store/atomic.js";
import type { RunStore } from "../store/run-store.js";
import { reuseStage } from "./reuse.js";

export interface PipelineContext {
  config: SwerlConfig;
  run: RunStore;
  instances: readonly Instance[];
  datasetPath: string;
  repos: InstanceRepos;
  provider: ModelClient;
  /** The first engine of the pool, for stages that use one engine. */
  docker: Docker;
  engines: EnginePool;
  resultsDir: string;
  gradeAll: boolean;
  retryFailed: boolean;
  shouldStop: () => boolean;
  /** Instances left out of the Docker stages (no image), with why; settles once images are ready. */
  noImage: Promise<Record<string, string>>;
}

export interface StageStep {
  name: string;
  /** Runs the stage; returns a one-line summary, and whether it was interrupted. */
  run(ctx: PipelineContext): Promise<{ summary: string; interrupted?: boolean }>;
}

export interface PipelineOptions {
  steps: readonly StageStep[];
  reuse: Readonly<Record<string, string>>;
  /** Stop after this stage (inclusive). */
  until?: string;
}

export type PipelineOutcome = "success" | "interrupted";

export async function runPipeline(ctx: PipelineContext, o: PipelineOptions): Promise<PipelineOutcome> {
  const last = o.until ? o.steps.findIndex((s) => s.name === o.until) : o.steps.length - 1;
  if (last < 0) throw new Error(`--until ${o.until}: not a stage (stages: ${o.steps.map((s) => s.name).join(", ")})`);
  const steps = o.steps.slice(0, last + 1);
  const ids = new Set(ctx.instances.map((i) => i.instance_id));
  await rememberSavedUsage(ctx.run);
  try {
    for (const [i, step] of steps.entries()) {
      if (ctx.shouldStop()) return "interrupted";
      setProgressContext(`run ${ctx.run.runId} [${i + 1}/${steps.length}]`);
      const from = o.reuse[step.name];
      if (from) await reuseStage(ctx.run, step.name, from, ids, ctx.resultsDir);
      const started = Date.now();
      log.info(`stage ${step.name}: started`);
      let result;
      try {
        result = await step.run(ctx);
      } catch (err) {
        log.error(
          `stage ${step.name}: error after ${((Date.now() - started) / 1000).toFixed(1)}s: ${(err as Error).message}`,
        );
        throw err;
      }
      await saveUsageTotals(ctx.run, ctx.provider.usage);
      assertModelAnswered(ctx.provider);
      const inner = ctx.provider.inner as { serverStats?: () => unknown };
      if (inner.serverStats) await writeJsonAtomic(ctx.run.path("servers.json"), inner.serverStats());
      log.info(
        `stage ${step.name}: ${result.interrupted ? "interrupted" : "success"} in ${((Date.now() - started) / 1000).toFixed(1)}s: ${result.summary}`,
      );
      if (result.interrupted) return "interrupted";
    }
    return "success";
  } finally {
    setProgressContext(null);
  }
}
