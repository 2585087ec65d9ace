// Compare generated eval scripts with a dataset's published `eval_script` column.
import type { Instance } from "../dataset/schema.js";
import type { TestSpec } from "./test-spec.js";

export interface ScriptMismatch {
  instanceId: string;
  /** 1-based line of the first difference, with both versions of that line. */
  line: number;
  ours: string | undefined;
  theirs: string | undefined;
}

export interface CheckResult {
  /** Instances that have an eval_script column value. */
  compared: number;
  matched: number;
  mismatches: ScriptMismatch[];
}

export function firstDifference(
  ours: string,
  theirs: string,
): { line: number; ours?: string; theirs?: string } | undefined {
  if (ours === theirs) return undefined;
  const a = ours.split("\n");
  const b = theirs.split("\n");
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return { line: i + 1, ours: a[i], theirs: b[i] };
}

export function checkAgainstDataset(pairs: Array<{ instance: Instance; spec: TestSpec }>): CheckResult {
  const result: CheckResult = { compared: 0, matched: 0, mismatches: [] };
  for (const { instance, spec } of pairs) {
    if (typeof instance.eval_script !== "string") continue;
    result.compared++;
    const diff = firstDifference(spec.evalScript, instance.eval_script);
    if (!diff) result.matched++;
    else result.mismatches.push({ instanceId: spec.instanceId, line: diff.line, ours: diff.ours, theirs: diff.theirs });
  }
  return result;
}

const clip = (s: string | undefined) => (s === undefined ? "(none)" : s.length > 160 ? s.slice(0, 157) + "..." : s);

export function formatCheck(result: CheckResult): string {
  if (result.compared === 0) return "check: the dataset has no eval_script column; nothing to compare\n";
  const lines = [
    `check: ${result.matched}/${result.compared} eval scripts byte-identical to the dataset's eval_script`,
  ];
  for (const m of result.mismatches) {
    lines.push(
      `  ${m.instanceId}: line ${m.line} differs`,
      `    ours:   ${clip(m.ours)}`,
      `    theirs: ${clip(m.theirs)}`,
    );
  }
  return lines.join("\n") + "\n";
}
