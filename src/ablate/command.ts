// `swerl ablate --run R --samples 1,2,4,… --tests 1,5,10,…`: solve rate vs repair samples and
// vs reproduction tests from the run's validated and graded pool (ablate.ts); reads files only
// (no Docker, no model). Writes results/<run>/ablation.json (the report plots it).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Command, Option } from "commander";
import type { SwerlConfig } from "../config/schema.js";
import { loadSelectedInstances, selectionOfConfig } from "../dataset/options.js";
import { loadInstancePools } from "../rerank/run-candidates.js";
import { RERANK_RULES, type RerankFilter, type RerankRule } from "../rerank/rerank.js";
import { gradedPatches } from "../records/evaluation.js";
import { writeJsonAtomic } from "../store/atomic.js";
import { RunStore } from "../store/run-store.js";
import { ablate, AblationInputError } from "./ablate.js";
import { InputError } from "../util/input-error.js";

const numbers = (text: string, flag: string): number[] =>
  text
    .split(",")
    .filter((x) => x.trim() !== "")
    .map((x) => {
      const n = Number(x);
      if (!Number.isInteger(n) || n <= 0) throw new InputError(`${flag}: "${x}" is not a positive integer`);
      return n;
    });

interface AblateOpts {
  run: string;
  samples?: string;
  tests?: string;
  rounds: string;
  seed: string;
  rule?: RerankRule;
  filter: RerankFilter;
  resultsDir: string;
}

export function ablateCommand(): Command {
  return new Command("ablate")
    .description(
      "Solve rate vs repair samples (with oracle@k) and vs reproduction tests, by subsampling the graded pool (no Docker, no model)",
    )
    .requiredOption("--run <id>", "a finished run (graded with --grade-all)")
    .option("--samples <k,…>", "repair sample counts (default: powers of 2 up to N, and N)")
    .option("--tests <t,…>", "reproduction test counts (default 1,5,10,20,30 capped at the run's tests)")
    .option("--rounds <n>", "random subsets per k", "200")
    .option("--seed <n>", "seed of the subsets", "0")
    .addOption(new Option("--rule <rule>", "rerank rule (default: the run's)").choices(RERANK_RULES))
    .addOption(
      new Option("--filter <which>", "test filters")
        .choices(["none", "regression", "reproduction", "both"])
        .default("both"),
    )
    .option("--results-dir <dir>", "where run directories live", "results")
    .action(async (o: AblateOpts) => {
      const dir = join(o.resultsDir, o.run);
      const manifest = await RunStore.readManifest(dir);
      if (!manifest) throw new InputError(`--run ${o.run}: no run at ${dir}`);
      const config = manifest.config as SwerlConfig;
      if (!existsSync(join(dir, "grading.jsonl"))) {
        throw new AblationInputError(
          `run ${o.run} has no grading.jsonl: exact curves need the official grade of every unique patch (run it again with --grade-all)`,
        );
      }
      const instances = await loadSelectedInstances(selectionOfConfig(config.dataset));
      const store = await RunStore.readOnly(dir);
      const pools = await loadInstancePools(
        store,
        instances.map((i) => i.instance_id),
      );
      const grades = new Map<string, Map<string, boolean>>();
      for (const g of (await gradedPatches(store)).values()) {
        if (g.resolved === null) continue;
        if (!grades.has(g.instance_id)) grades.set(g.instance_id, new Map());
        grades.get(g.instance_id)!.set(g.patch_id, g.resolved);
      }
      const n = config.repair.samples;
      const ks = o.samples
        ? numbers(o.samples, "--samples")
        : [...Array.from({ length: Math.floor(Math.log2(n)) + 1 }, (_, i) => 2 ** i), n];
      const maxTests = Math.max(1, ...[...pools.values()].map((p) => p.rankedTests.length));
      const ts = o.tests ? numbers(o.tests, "--tests") : [1, 5, 10, 20, 30].filter((t) => t <= maxTests);
      const result = ablate(
        { pools: [...pools.values()], grades, nSamples: n },
        {
          ks,
          ts,
          rounds: numbers(o.rounds, "--rounds")[0]!,
          seed: Number(o.seed),
          rule: o.rule ?? config.rerank.rule,
          filter: o.filter,
        },
      );
      await writeJsonAtomic(join(dir, "ablation.json"), result);
      const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
      process.stdout.write(
        [
          `Ablation of ${o.run}: ${result.n_instances} instances, N = ${n} samples, ${result.rounds} rounds per k (rule ${result.rule}, filter ${result.filter})`,
          "   k  solve rate  [2.5%, 97.5%]   oracle@k",
          ...result.samples.map(
            (p) =>
              `${String(p.k).padStart(4)}  ${pct(p.solve_rate).padStart(10)}  [${pct(p.lo)}, ${pct(p.hi)}]  ${pct(p.oracle_at_k).padStart(8)}`,
          ),
          "   t  solve rate (all N samples)",
          ...result.tests.map((p) => `${String(p.t).padStart(4)}  ${pct(p.solve_rate).padStart(10)}`),
          `Written to ${join(dir, "ablation.json")}`,
        ].join("\n") + "\n",
      );
    });
}
