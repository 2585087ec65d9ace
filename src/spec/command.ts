// `swerl spec`: write each instance's eval script, test directives and image as JSONL.
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { Command, Option } from "commander";
import { addDatasetOptions, loadSelectedInstances, type DatasetOptions } from "../dataset/options.js";
import { log } from "../log/logger.js";
import { checkAgainstDataset, formatCheck } from "./check.js";
import { DEFAULT_NAMESPACE, DEFAULT_SPEC_RULES, makeTestSpec, SPEC_RULES, type SpecRules } from "./test-spec.js";

interface SpecOptions extends DatasetOptions {
  out?: string;
  namespace: string;
  rules: SpecRules;
  check?: boolean;
}

/** One output record per instance. */
export interface SpecRecord {
  instance_id: string;
  eval_script: string;
  test_directives: string[];
  image: string;
}

async function writeLines(path: string | undefined, lines: string[]): Promise<void> {
  const out = path ? createWriteStream(path) : process.stdout;
  for (const line of lines) {
    if (!out.write(line + "\n")) await once(out, "drain");
  }
  if (path) {
    const done = once(out, "finish");
    out.end();
    await done;
  }
}

export const specCommand = () =>
  addDatasetOptions(new Command("spec"))
    .description("Write SWE-bench eval scripts, test directives and image names (JSONL)")
    .option("--out <file.jsonl>", "output file (default: stdout)")
    .option("--namespace <name>", "Docker Hub namespace of the instance images", DEFAULT_NAMESPACE)
    .addOption(
      new Option("--rules <rules>", "harness rules for the eval script")
        .choices(SPEC_RULES)
        .default(DEFAULT_SPEC_RULES),
    )
    .option("--check", "compare with the dataset's eval_script column and report matches on stderr")
    .action(async (o: SpecOptions) => {
      const instances = await loadSelectedInstances(o);
      const pairs = instances.map((instance) => ({
        instance,
        spec: makeTestSpec(instance, { namespace: o.namespace, rules: o.rules }),
      }));
      const records = pairs.map(
        ({ spec }): SpecRecord => ({
          instance_id: spec.instanceId,
          eval_script: spec.evalScript,
          test_directives: spec.testDirectives,
          image: spec.image,
        }),
      );
      await writeLines(
        o.out,
        records.map((r) => JSON.stringify(r)),
      );
      log.info(`spec: ${records.length} instances${o.out ? ` -> ${o.out}` : ""}`);
      if (o.check) process.stderr.write(formatCheck(checkAgainstDataset(pairs)));
    });
