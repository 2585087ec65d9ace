// `swerl reward`: SWE-RL rewards for a JSONL file of pairs, one JSON answer per line on stdout.
import { createReadStream, existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { Command, Option } from "commander";
import { log } from "../log/logger.js";
import { REWARD_KINDS, rewardLines, type RewardKind } from "./batch.js";
import { InputError } from "../util/input-error.js";

interface RewardOptions {
  input: string;
  kind: RewardKind;
  details?: boolean;
}

export async function runReward(
  opts: RewardOptions,
  write: (text: string) => void = (t) => process.stdout.write(t),
): Promise<{ lines: number; malformed: number }> {
  if (opts.input !== "-" && !existsSync(opts.input)) throw new InputError(`--input ${opts.input}: no such file`);
  const input = opts.input === "-" ? process.stdin : createReadStream(opts.input, "utf8");
  const lines = createInterface({ input, crlfDelay: Infinity });
  let count = 0;
  let malformed = 0;
  let formatErrors = 0;
  let sum = 0;
  for await (const answer of rewardLines(lines, opts.kind, opts.details)) {
    count++;
    if (answer.reward === null) {
      malformed++;
      log.error(`${opts.input} ${answer.error}`);
    } else {
      sum += answer.reward;
      if (answer.reward === -1 && answer.error) formatErrors++;
    }
    write(JSON.stringify(answer) + "\n");
  }
  const scored = count - malformed;
  log.info(
    `${count} lines: mean reward ${scored ? (sum / scored).toFixed(4) : "n/a"}, ${formatErrors} format errors, ${malformed} malformed`,
  );
  return { lines: count, malformed };
}

export function rewardCommand(): Command {
  return new Command("reward")
    .description("Compute SWE-RL rewards: one {reward, error?} JSON line per input line")
    .requiredOption(
      "--input <file>",
      "JSONL of {code_context, oracle_new_content, output} (or {oracle_patch, pred_patch} for unified_diff); - for stdin",
    )
    .addOption(new Option("--kind <kind>", "reward variant").choices(REWARD_KINDS).default("search_replace"))
    .option("--details", "also print each file's similarity")
    .action(async (opts: RewardOptions) => {
      const { malformed } = await runReward(opts);
      if (malformed > 0) process.exitCode = 1;
    });
}
