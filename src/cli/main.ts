#!/usr/bin/env node
// swerl's entry point: one commander program, one file per command (src/<stage>/command.ts).
// Only the command being run is loaded (commands.ts); the others are listed in --help from the
// table, so `swerl --help` and `--version` import no stage.
import { Command, CommanderError, Help } from "commander";
import { configureLogging } from "../log/logger.js";
import { isInputError } from "../util/input-error.js";
import { COMMANDS, invokedCommandName, type CommandEntry } from "./commands.js";
import { resolvePathOptions } from "./path-options.js";
import { swerlVersion } from "../util/version.js";

const program = new Command("swerl")
  .description("Evaluate code LLMs on SWE-bench the way SWE-RL did (Agentless-style pipeline, real Docker grading)")
  .version(swerlVersion())
  .option("-q, --quiet", "no progress or info lines on stderr")
  .option("--log-level <level>", "debug | info | warn | error", "info")
  .option("--log-json", "log lines as JSON on stderr")
  .hook("preAction", (root, action) => {
    const o = root.opts<{ quiet?: boolean; logLevel: string; logJson?: boolean }>();
    configureLogging({ quiet: o.quiet ?? false, level: o.logLevel, json: o.logJson ?? false });
    resolvePathOptions(action);
  });

// A command that is not run: its name and description only, as its help line.
const listedTerms = new Map<Command, string>();
function listedOnly(entry: CommandEntry): Command {
  const cmd = new Command(entry.name).description(entry.description).action(() => {
    throw new Error(`internal: swerl ${entry.name} was run without being loaded`);
  });
  listedTerms.set(cmd, entry.term);
  return cmd;
}
const defaultHelp = new Help();
program.configureHelp({ subcommandTerm: (cmd) => listedTerms.get(cmd) ?? defaultHelp.subcommandTerm(cmd) });

// Exit codes: 0 done, 1 failed, 2 bad input (arguments commander rejects, or an InputError), 130 interrupted.
function exitOnUsageErrors(command: Command): void {
  command.exitOverride();
  for (const sub of command.commands) exitOnUsageErrors(sub);
}

async function main(): Promise<void> {
  const invoked = invokedCommandName(process.argv.slice(2));
  for (const entry of COMMANDS) program.addCommand(entry.name === invoked ? await entry.load() : listedOnly(entry));
  exitOnUsageErrors(program);
  await program.parseAsync(process.argv);
}

main().catch((err: unknown) => {
  if (err instanceof CommanderError) {
    // commander has printed its message (or the help/version) already.
    process.exitCode = err.exitCode === 0 ? 0 : 2;
    return;
  }
  process.stderr.write(`swerl: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = isInputError(err) ? 2 : 1;
});
