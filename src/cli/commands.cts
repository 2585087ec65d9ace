// The table of swerl's commands: name, what `swerl --help` shows for it, and how to load it.
// CommonJS (.cts) like main.cts, which needs the table before any ES module loads (start-up
// time). Only the command being run is imported (each pulls in its stage: openai, dockerode,
// tree-sitter, ...), so `swerl --help` and `--version` load none of them. The help line
// (`term`, `description`) must equal the loaded command's own: test/cli-commands.test.ts checks.
import type { Command } from "commander";

export interface CommandEntry {
  name: string;
  /** The command's usage term in the root help, e.g. "compare [options] <run-a> <run-b>". */
  term: string;
  description: string;
  load: () => Promise<Command>;
}

// Pipeline order first, then tools.
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: "run",
    term: "run [options]",
    description:
      "Run the whole pipeline (localize → repair → reproduce → regress → validate → rerank → evaluate) and report",
    load: async () => (await import("../run/command.js")).runCommand(),
  },
  {
    name: "localize",
    term: "localize [options]",
    description:
      "Localize the files to edit: SWE-RL's prompt over the tree-sitter repo listing, k samples per instance",
    load: async () => (await import("../localize/command.js")).localizeCommand(),
  },
  {
    name: "repair",
    term: "repair [options]",
    description: "Sample repair patches (SWE-RL prompts, SEARCH/REPLACE edits) and score them with the SWE-RL reward",
    load: async () => (await import("../repair/command.js")).repairCommand(),
  },
  {
    name: "reproduce",
    term: "reproduce [options]",
    description:
      "Generate reproduction tests (Agentless's contract), keep those that reproduce on the original code, rank them by vote",
    load: async () => (await import("../reproduce/command.js")).reproduceCommand(),
  },
  {
    name: "regress",
    term: "regress [options]",
    description:
      "Find regression tests: existing tests that pass on the original code (optionally filtered by the model)",
    load: async () => (await import("../regress/command.js")).regressCommand(),
  },
  {
    name: "validate",
    term: "validate [options]",
    description: "Run regression and reproduction tests on each unique patch (one reused container per instance)",
    load: async () => (await import("../validate/command.js")).validateCommand(),
  },
  {
    name: "rerank",
    term: "rerank [options]",
    description: "Choose one patch per instance (tests, then majority vote) and write SWE-bench predictions",
    load: async () => (await import("../rerank/command.js")).rerankCommand(),
  },
  {
    name: "evaluate",
    term: "evaluate [options]",
    description: "Grade predictions in Docker exactly as the SWE-bench harness does",
    load: async () => (await import("../evaluate/command.js")).evaluateCommand(),
  },
  {
    name: "report",
    term: "report [options]",
    description:
      "Summarize a run: solve rate (95% CI), breakdowns, localization, rerank losses, usage; report.{json,md,html}",
    load: async () => (await import("../report/command.js")).reportCommand(),
  },
  {
    name: "ablate",
    term: "ablate [options]",
    description:
      "Solve rate vs repair samples (with oracle@k) and vs reproduction tests, by subsampling the graded pool (no Docker, no model)",
    load: async () => (await import("../ablate/command.js")).ablateCommand(),
  },
  {
    name: "compare",
    term: "compare [options] <run-a> <run-b>",
    description: "Compare two graded runs: solve rates, instances won/lost, McNemar's exact test",
    load: async () => (await import("../compare/command.js")).compareCommand(),
  },
  {
    name: "merge",
    term: "merge [options] <runs...>",
    description: "Join the run directories of a sharded run (swerl run --shard i/n) into one",
    load: async () => (await import("../merge/command.js")).mergeCommand(),
  },
  {
    name: "slurm",
    term: "slurm",
    description: "Run on a Slurm cluster: submit a run as a job array of shards plus a merge job, follow it, cancel it",
    load: async () => (await import("./slurm.js")).slurmCommand(),
  },
  {
    name: "repo-map",
    term: "repo-map [options]",
    description: "Print the tree-sitter map of a repository: classes, methods and functions of every .py file",
    load: async () => (await import("../repomap/command.js")).repoMapCommand(),
  },
  {
    name: "reward",
    term: "reward [options]",
    description: "Compute SWE-RL rewards: one {reward, error?} JSON line per input line",
    load: async () => (await import("../reward/command.js")).rewardCommand(),
  },
  {
    name: "spec",
    term: "spec [options]",
    description: "Write SWE-bench eval scripts, test directives and image names (JSONL)",
    load: async () => (await import("../spec/command.js")).specCommand(),
  },
  {
    name: "grade",
    term: "grade [options]",
    description: "Grade one test log (test_output.txt) against an instance; prints its report.json",
    load: async () => (await import("../grading/command.js")).gradeCommand(),
  },
  {
    name: "images",
    term: "images",
    description: "Build, list and clean instance images",
    load: async () => (await import("../images/command.js")).imagesCommand(),
  },
  {
    name: "dataset",
    term: "dataset",
    description: "Inspect SWE-bench datasets",
    load: async () => (await import("../dataset/command.js")).datasetCommand(),
  },
  {
    name: "cache",
    term: "cache",
    description: "Inspect or clear the model response cache",
    load: async () => (await import("../cache/command.js")).cacheCommand(),
  },
];

// Root options that take a value (the scan below must skip the value, too).
const ROOT_OPTIONS_WITH_VALUE = new Set(["--log-level"]);

/**
 * The command a command line runs, found as commander finds it: the first operand once the
 * root's own options are set aside (`swerl help X` asks for X's help). undefined: none.
 */
export function invokedCommandName(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") return args[i + 1];
    if (ROOT_OPTIONS_WITH_VALUE.has(arg)) {
      i++;
      continue;
    }
    if (arg.startsWith("-")) continue;
    return arg === "help" ? args.slice(i + 1).find((a) => !a.startsWith("-")) : arg;
  }
  return undefined;
}
