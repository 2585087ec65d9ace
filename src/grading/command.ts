// `swerl grade`: grade one test_output.txt against an instance, printing the harness's
// report.json content for it on stdout.
import { readFile } from "node:fs/promises";
import { Command } from "commander";
import { loadDataset } from "../dataset/load.js";
import { Option } from "commander";
import { formatReportJson, gradeInstance, type GradingRules } from "./grade.js";
import { InputError } from "../util/input-error.js";

interface GradeCliOptions {
  dataset: string;
  split: string;
  instanceId: string;
  log: string;
  patchFailed?: boolean;
  emptyPatch?: boolean;
  rules?: GradingRules;
}

export async function runGrade(o: GradeCliOptions, out: (text: string) => void): Promise<void> {
  const instances = await loadDataset(o.dataset, { split: o.split });
  const instance = instances.find((i) => i.instance_id === o.instanceId);
  if (!instance) throw new InputError(`instance ${o.instanceId} is not in dataset ${o.dataset}`);
  let testOutput: string;
  try {
    testOutput = await readFile(o.log, "utf8");
  } catch (err) {
    throw new InputError(`cannot read test log ${o.log}: ${(err as Error).message}`);
  }
  const report = gradeInstance(instance, testOutput, {
    patchApplied: !o.patchFailed,
    modelPatchIsEmpty: o.emptyPatch ?? false,
    rules: o.rules,
  });
  out(formatReportJson(report) + "\n");
}

export const gradeCommand = (): Command =>
  new Command("grade")
    .description("Grade one test log (test_output.txt) against an instance; prints its report.json")
    .requiredOption("--dataset <path|hf-id>", "dataset: .jsonl, .json, .parquet or a Hugging Face id")
    .option("--split <name>", "split of a Hugging Face dataset", "test")
    .requiredOption("--instance-id <id>", "the instance the log belongs to")
    .addOption(
      new Option(
        "--rules <rules>",
        "grading rules: v4.1 (the harness v4.1.0's) or latest (its current release: SKIPPED, truncated ids, infra_failure)",
      )
        .choices(["v4.1", "latest"])
        .default("v4.1"),
    )
    .requiredOption("--log <path>", "the test output of the instance's eval script")
    .option("--patch-failed", "the model patch did not apply (report without test results)")
    .option("--empty-patch", "the prediction had no patch (report with patch_is_None)")
    .action(async (o: GradeCliOptions) => {
      await runGrade(o, (text) => process.stdout.write(text));
    });
