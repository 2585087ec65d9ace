// The optional model filter over the passing tests (after Agentless's regression-test
// selection): the model sees the issue and the tests that pass on the original code and names
// the ones a correct fix may legitimately change; those are dropped. Answers are parsed
// tolerantly: names that are not among the passing tests are ignored (and reported).
import type { ChatMessage } from "../model/types.js";
import type { OracleAnswerBuilder } from "../model/oracle.js";
import type { Instance } from "../dataset/schema.js";

export const REGRESS_FILTER_STAGE = "regress_filter";

export function filterMessages(problem: string, tests: readonly string[]): ChatMessage[] {
  return [{
    role: "user",
    content: [
      "We are fixing the issue below in a repository. These existing tests pass on the current code.",
      "Some of them may check behaviour that the fix is meant to change; such tests should not be",
      "used to judge a fix. Name exactly those tests (copy their names as written), one per line,",
      "inside a single ``` block. If none should be excluded, answer with an empty ``` block.",
      "",
      "--- BEGIN ISSUE ---", problem.trim(), "--- END ISSUE ---",
      "",
      "--- BEGIN TESTS ---", ...tests, "--- END TESTS ---",
    ].join("\n"),
  }];
}

/** Names from the answer's last fenced block (or its lines when there is none) that are passing tests. */
export function parseFilterAnswer(answer: string, passing: readonly string[]): { drop: string[]; unknown: string[] } {
  const noThink = answer.replace(/<think>[\s\S]*?<\/think>/g, "");
  const blocks = [...noThink.matchAll(/```[^\n]*\n([\s\S]*?)```/g)];
  const body = blocks.length > 0 ? blocks[blocks.length - 1]![1]! : noThink;
  const known = new Set(passing);
  const drop: string[] = [];
  const unknown: string[] = [];
  for (const raw of body.split("\n")) {
    const line = raw.trim().replace(/^[-*]\s+/, "").replace(/^`|`$/g, "");
    if (line === "") continue;
    if (known.has(line)) { if (!drop.includes(line)) drop.push(line); } else unknown.push(line);
  }
  return { drop, unknown };
}

/** The function name a test id ends with: "a/b.py::C::test_x[1]" → test_x; "test_x (m.C)" → test_x. */
const testFunction = (id: string): string => id.split("::").pop()!.split(" ")[0]!.replace(/\[.*$/, "");

/**
 * The oracle's answer (it may look at the gold test patch: it is the oracle): the passing tests
 * whose function the test patch edits. Noise: sometimes nothing, sometimes a made-up name.
 */
export function regressOracleAnswers(instances: readonly Instance[]): Record<string, OracleAnswerBuilder> {
  const byId = new Map(instances.map((i) => [i.instance_id, i]));
  return {
    [REGRESS_FILTER_STAGE]: ({ req, random }) => {
      const inst = byId.get(req.instanceId);
      const listed = req.messages[0]?.content.split("--- BEGIN TESTS ---\n")[1]?.split("\n--- END TESTS ---")[0]?.split("\n").filter(Boolean) ?? [];
      const edited = new Set([...(inst?.test_patch ?? "").matchAll(/^[+-]\s*(?:async\s+)?def\s+(\w+)/gm)].map((m) => m[1]!));
      const u = random();
      let names = listed.filter((t) => edited.has(testFunction(t)));
      if (u < 0.1) names = [];
      else if (u < 0.2) names = [...names, "tests/not_a_real_test.py::test_made_up"];
      return "```\n" + names.join("\n") + (names.length ? "\n" : "") + "```\n";
    },
  };
}
