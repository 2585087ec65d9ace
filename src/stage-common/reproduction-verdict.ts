// The verdict of a reproduction test from what it printed (reproduce and validate both read
// it), and the file name a test is written under in the repository root.
import type { ReproductionOutcome } from "../records/validation.js";

const VERDICTS = ["Issue reproduced", "Issue resolved", "Other issues"] as const;

/**
 * reproduce.verdict: strict — Agentless 1.5's txt_file_contains_string (agentless/test/
 * run_tests.py:50-78, 466-475) on the whole log: ANSI colour codes (\x1b[<digits>m) removed,
 * then "reproduced" when "Issue reproduced" is there and neither other message is, "resolved"
 * likewise; any other mix of messages is "other", none is "no_verdict".
 */
export function strictReproductionOutcome(log: string): ReproductionOutcome {
  // eslint-disable-next-line no-control-regex
  const text = log.replace(/\x1b\[\d+m/g, "");
  const has = VERDICTS.map((v) => text.includes(v));
  if (has[0] && !has[1] && !has[2]) return "reproduced";
  if (has[1] && !has[0] && !has[2]) return "resolved";
  return has.some(Boolean) ? "other" : "no_verdict";
}

/** The verdict of a test's log under reproduce.verdict (strict: Agentless 1.5's; lenient: the first message found). */
export const verdictOf = (log: string, mode: "strict" | "lenient" = "lenient"): ReproductionOutcome =>
  mode === "strict" ? strictReproductionOutcome(log) : reproductionOutcome(log);

/** reproduce.verdict: lenient — the first of the three messages the script printed, in this order. */
export function reproductionOutcome(stdout: string): ReproductionOutcome {
  if (stdout.includes("Issue reproduced")) return "reproduced";
  if (stdout.includes("Issue resolved")) return "resolved";
  if (stdout.includes("Other issues")) return "other";
  return "no_verdict";
}

/** A file name for a test in the repo root (test ids are `repro-<hex>`; anything else is made safe). */
export const testFileName = (testId: string, extension = "py"): string =>
  `${testId.replace(/[^A-Za-z0-9_.-]/g, "_")}.${extension}`;
