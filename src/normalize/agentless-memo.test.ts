// The agentless normalizer's memos of re-rendered member and statement texts: one text
// inserted at many places of one process's files (contexts in which it strips differently,
// two depths) must give the whole-file computation each time (test/support/agentless-memo-check.ts).
import { describe, expect, it } from "vitest";
import { runPythonCheck } from "../../test/support/python-check.js";
import { MEMO_CHECK } from "../../test/support/agentless-memo-check.js";
import { AGENTLESS_WORKER_MODEL } from "./agentless-worker-model.js";

interface MemoCheckResult {
  cases: number;
  levels: Record<string, number>;
  mismatches: { line: number; snippet: string[]; problems: string[] }[];
  /** [sources rendered, renderings differing from the unparser's own string-literal helper] */
  literals: [number, string[]];
}

const runCheck = (): Promise<MemoCheckResult> => runPythonCheck<MemoCheckResult>(AGENTLESS_WORKER_MODEL + MEMO_CHECK);

describe("agentless normalizer: memos of re-rendered texts", () => {
  it("one new text re-rendered in many contexts of one process = the whole-file computation", async () => {
    const r = await runCheck();
    console.log(`memo check: ${r.cases} edits, levels ${JSON.stringify(r.levels)}`);
    expect(r.mismatches).toEqual([]);
    expect(r.cases).toBeGreaterThan(200);
    // the texts went through the member and statement re-rendering the memos keep
    expect(r.levels.member ?? 0).toBeGreaterThan(50);
    expect(r.levels.statement ?? 0).toBeGreaterThan(10);
  }, 120_000);

  it("docstrings and f-strings sharing string values render as through the unparser's own helper", async () => {
    const [rendered, differing] = (await runCheck()).literals;
    expect(differing).toEqual([]);
    expect(rendered).toBeGreaterThan(40);
  }, 120_000);
});
