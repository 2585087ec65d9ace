#!/usr/bin/env node
// swerl's entry point: one commander program, one file per command (src/<stage>/command.ts).
// Only the command being run is loaded (commands.cts); the others are listed in --help from the
// table, so `swerl --help` and `--version` import no stage.
//
// Start-up time (issue 17, bench/cli-start.ts): this file and the command table are CommonJS
// (.cts), the only ones in src/, because Node 20 starts an ES module entry ≈ 14 ms slower (its
// module loader, async reads) and `import "commander"` adds a cjs-module-lexer pass; a command
// that runs is an ES module, imported when it runs, as is what only a command run needs
// (logging, path options, InputError). `--version` alone is answered before commander loads.
import { readFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { Command as CommandType } from "commander";
import { COMMANDS, invokedCommandName, type CommandEntry } from "./commands.cjs";

const args = process.argv.slice(2);

/** The package version, read from package.json next to dist/ (as src/util/version.ts does). */
function swerlVersion(): string {
  return (JSON.parse(readFileSync(join(__dirname, "../../package.json"), "utf8")) as { version: string }).version;
}

/** commander, the same module instance the commands get from `import "commander"`. */
const commander = (): typeof import("commander") => require("commander") as typeof import("commander");

if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
  // What commander prints for them (see .version() below), without loading it; written
  // straight to fd 1 (process.stdout would load the stream modules for one short line).
  writeSync(1, `${swerlVersion()}\n`);
} else {
  main().catch(async (err: unknown) => {
    if (err instanceof commander().CommanderError) {
      // commander has printed its message (or the help/version) already.
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    process.stderr.write(`swerl: ${err instanceof Error ? err.message : String(err)}\n`);
    const { isInputError } = await import("../util/input-error.js");
    process.exitCode = isInputError(err) ? 2 : 1;
  });
}

async function main(): Promise<void> {
  const { Command, Help } = commander();
  const program = new Command("swerl")
    .description("Evaluate code LLMs on SWE-bench the way SWE-RL did (Agentless-style pipeline, real Docker grading)")
    .version(swerlVersion())
    .option("-q, --quiet", "no progress or info lines on stderr")
    .option("--log-level <level>", "debug | info | warn | error", "info")
    .option("--log-json", "log lines as JSON on stderr")
    .hook("preAction", async (root, action) => {
      const [{ configureLogging }, { resolvePathOptions }] = await Promise.all([
        import("../log/logger.js"),
        import("./path-options.js"),
      ]);
      const o = root.opts<{ quiet?: boolean; logLevel: string; logJson?: boolean }>();
      configureLogging({ quiet: o.quiet ?? false, level: o.logLevel, json: o.logJson ?? false });
      resolvePathOptions(action);
    });

  // A command that is not run: its name and description only, as its help line.
  const listedTerms = new Map<CommandType, string>();
  const listedOnly = (entry: CommandEntry): CommandType => {
    const cmd = new Command(entry.name).description(entry.description).action(() => {
      throw new Error(`internal: swerl ${entry.name} was run without being loaded`);
    });
    listedTerms.set(cmd, entry.term);
    return cmd;
  };
  const defaultHelp = new Help();
  program.configureHelp({ subcommandTerm: (cmd) => listedTerms.get(cmd) ?? defaultHelp.subcommandTerm(cmd) });

  const invoked = invokedCommandName(args);
  for (const entry of COMMANDS) program.addCommand(entry.name === invoked ? await entry.load() : listedOnly(entry));
  exitOnUsageErrors(program);
  await program.parseAsync(process.argv);
}

// Exit codes: 0 done, 1 failed, 2 bad input (arguments commander rejects, or an InputError), 130 interrupted.
function exitOnUsageErrors(command: CommandType): void {
  command.exitOverride();
  for (const sub of command.commands) exitOnUsageErrors(sub);
}
