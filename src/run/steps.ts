// The stages of `swerl run`, each a thin adapter from the pipeline context to the stage's own
// library function (the same one its `swerl <stage>` command calls).
import { existsSync } from "node:fs";
import { evaluatePredictions } from "../evaluate/evaluate-predictions.js";
import { containerLimits } from "../stage-common/engines.js";
import { loadPredictions } from "../records/predictions.js";
import { runLocalizeStep } from "../localize/step.js";
import { runRepairStep } from "../repair/step.js";
import { rerankRun } from "../rerank/run-candidates.js";
import { runRegressStep } from "../regress/step.js";
import { runReproduceStep } from "../reproduce/step.js";
import { runValidateStep } from "../validate/step.js";
import { gradeAllPatches } from "./grade-all.js";
import type { PipelineContext, StageStep } from "./pipeline.js";

export const dockerLimits = (c: PipelineContext["config"]) => containerLimits(c.docker);

/** The instances that have an image (the Docker stages skip the others), once images are ready. */
export async function withImages(ctx: PipelineContext): Promise<PipelineContext["instances"]> {
  const noImage = await ctx.noImage;
  return ctx.instances.filter((i) => !(i.instance_id in noImage));
}

export const localizeStep: StageStep = {
  name: "localize",
  async run(ctx) {
    const { summary, interrupted } = await runLocalizeStep({
      config: ctx.config,
      run: ctx.run,
      instances: ctx.instances,
      provider: ctx.provider,
      repos: ctx.repos,
      retryFailed: ctx.retryFailed,
      shouldStop: ctx.shouldStop,
    });
    return { summary: `${summary.samples} samples, ${summary.model_errors} model errors`, interrupted };
  },
};

export const repairStep: StageStep = {
  name: "repair",
  async run(ctx) {
    const { summary, interrupted } = await runRepairStep({
      config: ctx.config,
      run: ctx.run,
      instances: ctx.instances,
      provider: ctx.provider,
      repoSources: ctx.repos.dirs,
      retryFailed: ctx.retryFailed,
      shouldStop: ctx.shouldStop,
    });
    return {
      summary: `${summary.samples} samples, ${summary.usable_patches} usable patches, format errors ${(100 * summary.format_error_rate).toFixed(1)}%`,
      interrupted,
    };
  },
};

export const reproduceStep: StageStep = {
  name: "reproduce",
  async run(ctx) {
    const { summary, interrupted } = await runReproduceStep({
      config: ctx.config,
      run: ctx.run,
      instances: await withImages(ctx),
      provider: ctx.provider,
      engines: ctx.engines,
      repoSources: ctx.repos.dirs,
      shouldStop: ctx.shouldStop,
    });
    return {
      summary: `${summary.samples} samples, ${summary.reproducing} reproduce, ${summary.unique_tests} unique tests, ${summary.errors} errors`,
      interrupted,
    };
  },
};

export const regressStep: StageStep = {
  name: "regress",
  async run(ctx) {
    const { summary, interrupted } = await runRegressStep({
      config: ctx.config,
      run: ctx.run,
      instances: await withImages(ctx),
      provider: ctx.provider,
      engines: ctx.engines,
      repoSources: ctx.repos.dirs,
      shouldStop: ctx.shouldStop,
    });
    return {
      summary: `scope ${summary.scope}: ${summary.test_files} test files, ${summary.passing} tests selected, ${summary.dropped} dropped by the model, ${summary.errors} errors`,
      interrupted,
    };
  },
};

export const validateStep: StageStep = {
  name: "validate",
  async run(ctx) {
    const { summary, interrupted } = await runValidateStep({
      config: ctx.config,
      run: ctx.run,
      instances: await withImages(ctx),
      engines: ctx.engines,
      repoSources: ctx.repos.dirs,
      shouldStop: ctx.shouldStop,
    });
    return {
      summary: `${summary.patches} unique patches, ${summary.validated} validated, ${summary.violations} contained violations, ${summary.errors} errors`,
      interrupted,
    };
  },
};

export const rerankStep: StageStep = {
  name: "rerank",
  async run(ctx) {
    const c = ctx.config;
    const r = await rerankRun(ctx.run, ctx.instances, { rule: c.rerank.rule, filter: "both", modelName: c.model.name });
    return { summary: `${r.withPatch}/${r.instances} instances with a patch (rule ${c.rerank.rule}) → ${r.predsPath}` };
  },
};

/** Official grading of the chosen patch of every instance (preds.jsonl from rerank). */
export const evaluateStep: StageStep = {
  name: "evaluate",
  async run(ctx) {
    const c = ctx.config;
    const predsPath = ctx.run.path("preds.jsonl");
    if (!existsSync(predsPath)) throw new Error(`evaluate: ${predsPath} is missing (the rerank stage writes it)`);
    const instances = await withImages(ctx);
    const predictions = await loadPredictions(
      predsPath,
      [...instances],
      new Set(ctx.instances.map((i) => i.instance_id)),
    );
    const { report, interrupted } = await evaluatePredictions({
      engines: ctx.engines,
      run: ctx.run,
      instances,
      predictions,
      namespace: c.docker.namespace,
      timeoutS: c.docker.timeout_s,
      limits: dockerLimits(c),
      rules: c.evaluate.rules,
      shouldStop: ctx.shouldStop,
    });
    let summary = `${report.resolved_instances}/${report.total_instances} resolved, ${report.error_instances} errors`;
    if (ctx.gradeAll && !interrupted) {
      const g = await gradeAllPatches({
        engines: ctx.engines,
        run: ctx.run,
        instances,
        namespace: c.docker.namespace,
        timeoutS: c.docker.timeout_s,
        limits: dockerLimits(c),
        rules: c.evaluate.rules,
        shouldStop: ctx.shouldStop,
      });
      summary += `; grade-all: ${g.graded} patches graded`;
      return { summary, interrupted: g.interrupted };
    }
    return { summary, interrupted };
  },
};
