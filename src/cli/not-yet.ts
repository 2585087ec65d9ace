// A command whose stage lands in a later issue: listed in --help, exits with a clear message.
import { Command } from "commander";

export function notYetCommand(name: string, summary: string, issue: number): Command {
  return new Command(name)
    .description(`${summary} (not yet: issue #${issue})`)
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .action(() => {
      process.stderr.write(`swerl ${name}: not yet implemented (tracked in issue #${issue})\n`);
      process.exitCode = 2;
    });
}
