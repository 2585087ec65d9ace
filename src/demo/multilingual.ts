// The embedded multilingual demo (Go, Rust, JavaScript repos in src/demo/benchmark-multilingual)
// in SWE-bench Multilingual's row format: besides SWE-bench's columns each row carries the
// harness's log_parser, image and eval_script (the "dataset" rules' script, as published).
import { instanceSchema } from "../dataset/schema.js";
import { DEMO_MULTILINGUAL_REPO_SPECS } from "../spec/data/demo-multilingual.js";
import { makeTestSpec } from "../spec/test-spec.js";
import {
  buildBenchmark,
  buildDemoBenchmark,
  defaultDemoDir,
  multilingualDemoSourceDir,
  type DemoBenchmark,
  type DemoDataset,
  type RowColumns,
} from "./build.js";

const multilingualColumns: RowColumns = (row) => {
  const spec = makeTestSpec(instanceSchema.parse(row));
  return { log_parser: spec.logParser, image: spec.image, eval_script: spec.evalScript };
};

/** Build (or reuse) the multilingual demo's repos and dataset; the specs are part of its key. */
export function buildMultilingualDemoBenchmark(outDir = defaultDemoDir("demo-multilingual")): Promise<DemoBenchmark> {
  return buildBenchmark(
    multilingualDemoSourceDir,
    outDir,
    multilingualColumns,
    JSON.stringify(DEMO_MULTILINGUAL_REPO_SPECS),
  );
}

/** The embedded benchmark a `--dataset` name stands for, built on first use. */
export function buildDemoDataset(name: DemoDataset): Promise<DemoBenchmark> {
  return name === "demo" ? buildDemoBenchmark() : buildMultilingualDemoBenchmark();
}
