// Rewards for a JSONL stream of pairs, one answer per input line, in order. A line that is
// not a valid pair gets `{reward: null, error: "line N: ..."}` and the others go on.
import { z } from "zod";
import { calculateSearchReplaceReward, calculateUnifiedDiffReward, type RewardResult } from "./reward.js";

export const REWARD_KINDS = ["search_replace", "unified_diff"] as const;
export type RewardKind = (typeof REWARD_KINDS)[number];

const contents = z.record(z.string(), z.string());
const patches = z.union([z.string(), z.array(z.string())]);
const searchReplacePair = z.object({ code_context: contents, oracle_new_content: contents, output: z.string() });
const unifiedDiffPair = z.object({ oracle_patch: patches, pred_patch: patches });

export interface RewardLine {
  /** null when the input line itself is malformed. */
  reward: number | null;
  error?: string;
  similarities?: { path: string; similarity: number }[];
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  const field = issue.path.length ? issue.path.join(".") : "(line)";
  return `field ${field}: ${issue.message}`;
}

/** The reward of one parsed JSON value; throws a message naming what is wrong with it. */
export function rewardOf(value: unknown, kind: RewardKind): RewardResult {
  if (kind === "search_replace") {
    const pair = searchReplacePair.safeParse(value);
    if (!pair.success)
      throw new Error(`not a {code_context, oracle_new_content, output} pair: ${describeIssue(pair.error)}`);
    return calculateSearchReplaceReward(pair.data.code_context, pair.data.oracle_new_content, pair.data.output);
  }
  const pair = unifiedDiffPair.safeParse(value);
  if (!pair.success) throw new Error(`not an {oracle_patch, pred_patch} pair: ${describeIssue(pair.error)}`);
  return calculateUnifiedDiffReward(pair.data.oracle_patch, pair.data.pred_patch);
}

/** One answer per line of `lines` (numbered from 1). */
export async function* rewardLines(
  lines: AsyncIterable<string>,
  kind: RewardKind,
  details = false,
): AsyncGenerator<RewardLine> {
  let n = 0;
  for await (const line of lines) {
    n++;
    let value: unknown;
    try {
      if (line.trim() === "") throw new Error("empty line");
      value = JSON.parse(line);
    } catch (err) {
      yield { reward: null, error: `line ${n}: not JSON (${(err as Error).message})` };
      continue;
    }
    let result: RewardResult;
    try {
      result = rewardOf(value, kind);
    } catch (err) {
      yield { reward: null, error: `line ${n}: ${(err as Error).message}` };
      continue;
    }
    const out: RewardLine = { reward: result.reward };
    if (result.error !== undefined) out.error = result.error;
    if (details && result.similarities) {
      out.similarities = result.similarities.map(({ path, similarity }) => ({ path, similarity }));
    }
    yield out;
  }
}
