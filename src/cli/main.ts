#!/usr/bin/env node
// swerl's entry point: one commander program, one file per command (src/<stage>/command.ts).
import { Command, CommanderError } from "commander";
import { ablateCommand } from "../ablate/command.js";
import { cacheCommand } from "../cache/command.js";
import { compareCommand } from "../compare/command.js";
import { datasetCommand } from "../dataset/command.js";
import { evaluateCommand } from "../evaluate/command.js";
import { gradeCommand } from "../grading/command.js";
import { imagesCommand } from "../images/command.js";
import { localizeCommand } from "../localize/command.js";
import { mergeCommand } from "../merge/command.js";
import { regressCommand } from "../regress/command.js";
import { repairCommand } from "../repair/command.js";
import { repoMapCommand } from "../repomap/command.js";
import { reportCommand } from "../report/command.js";
import { reproduceCommand } from "../reproduce/command.js";
import { rerankCommand } from "../rerank/command.js";
import { rewardCommand } from "../reward/command.js";
import { runCommand } from "../run/command.js";
import { specCommand } from "../spec/command.js";
import { validateCommand } from "../validate/command.js";
import { configureLogging } from "../log/logger.js";
import { isInputError } from "../util/input-error.js";
import { swerlVersion } from "./version.js";

const program = new Command("swerl")
  .description("Evaluate code LLMs on SWE-bench the way SWE-RL did (Agentless-style pipeline, real Docker grading)")
  .version(swerlVersion())
  .option("-q, --quiet", "no progress or info lines on stderr")
  .option("--log-level <level>", "debug | info | warn | error", "info")
  .option("--log-json", "log lines as JSON on stderr")
  .hook("preAction", (root) => {
    const o = root.opts<{ quiet?: boolean; logLevel: string; logJson?: boolean }>();
    configureLogging({ quiet: o.quiet ?? false, level: o.logLevel, json: o.logJson ?? false });
  });

// Pipeline order first, then tools.
for (const make of [
  runCommand, localizeCommand, repairCommand, reproduceCommand, regressCommand, validateCommand,
  rerankCommand, evaluateCommand, reportCommand, ablateCommand, compareCommand, mergeCommand,
  repoMapCommand, rewardCommand, specCommand, gradeCommand, imagesCommand, datasetCommand, cacheCommand,
]) {
  program.addCommand(make());
}

// Exit codes: 0 done, 1 failed, 2 bad input (arguments commander rejects, or an InputError), 130 interrupted.
function exitOnUsageErrors(command: Command): void {
  command.exitOverride();
  for (const sub of command.commands) exitOnUsageErrors(sub);
}
exitOnUsageErrors(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof CommanderError) {
    // commander has printed its message (or the help/version) already.
    process.exitCode = err.exitCode === 0 ? 0 : 2;
    return;
  }
  process.stderr.write(`swerl: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = isInputError(err) ? 2 : 1;
});
