// The model filter over the passing tests, as Agentless 1.5's select_regression_tests.py
// (on by default there): the model sees the issue and the tests that pass on the original code
// and names those a fix may legitimately change; they are dropped. Its prompt, greedy sampling
// (temperature 0, 1,024 tokens) and parsing are the reference's: the answer's lines, stripped,
// compared exactly with the test names. A thought (<think>…</think>) is removed first; lines
// that name no passing test are kept in the record as `unknown_from_model`.
import { estimatePromptTokens } from "../model/context-clamp.js";
import type { ChatMessage } from "../model/types.js";
import type { OracleAnswerBuilder } from "../model/oracle.js";
import type { Instance } from "../dataset/schema.js";

export const REGRESS_FILTER_STAGE = "regress_filter";
/** select_regression_tests.py: the filter's greedy call asks for at most 1,024 tokens. */
export const FILTER_MAX_TOKENS = 1024;

const PROMPT_HEAD =
  "We are currently solving the following issue within our repository. Here is the issue text:\n--- BEGIN ISSUE ---\n";
const PROMPT_TAIL = [
  "```",
  "",
  "Please identify the tests that should not be run after applying the patch to fix the issue.",
  "These tests should be excluded as the original functionality may change due to the patch.",
  "",
  "### Example",
  "```",
  "test1",
  "test2",
  "test5",
  "```",
  "Return only the selected tests.",
].join("\n");

/** The reference's prompt (its template, formatted, then stripped). */
export function filterMessages(problem: string, tests: readonly string[]): ChatMessage[] {
  const text = `\n${PROMPT_HEAD}${problem}\n--- END ISSUE ---\n\nBelow are a list of existing tests in the repository.\n\`\`\`\n${tests.join("\n")}\n${PROMPT_TAIL}\n`;
  return [{ role: "user", content: text.trim() }];
}

/** select_regression_tests.py's MAX_CONTEXT_LENGTH: a longer prompt is cut by halving the test list. */
export const FILTER_MAX_PROMPT_TOKENS = 128_000;

/** The tests the prompt can list: halved until the prompt is under the limit (counted with the Llama 3 tokenizer). */
export function filterTestsThatFit(problem: string, tests: readonly string[]): string[] {
  let listed = [...tests];
  while (listed.length > 0 && estimatePromptTokens(filterMessages(problem, listed)) >= FILTER_MAX_PROMPT_TOKENS)
    listed = listed.slice(0, Math.floor(listed.length / 2));
  return listed;
}

/** The answer's lines that are passing tests (dropped) and the other non-empty lines (reported). */
export function parseFilterAnswer(answer: string, passing: readonly string[]): { drop: string[]; unknown: string[] } {
  const lines = answer
    .replace(/<think>[\s\S]*?<\/think>/g, "")
    .trim()
    .split("\n");
  const named = new Set(lines);
  const drop = passing.filter((t) => named.has(t));
  const known = new Set(passing);
  const unknown = [...new Set(lines.map((l) => l.trim()).filter((l) => l !== "" && !known.has(l) && !/^```/.test(l)))];
  return { drop, unknown };
}

/**
 * The test function a test id names: "a/b.py::C::test_x[1]" → test_x; "test_x (m.C)" → test_x;
 * Go "TestX/sub" → TestX; Rust "tests::parses" → parses; a tap/jest description stays whole.
 */
const testFunction = (id: string): string =>
  id
    .split("::")
    .pop()!
    .split(" (")[0]!
    .replace(/\[.*$/, "")
    .replace(/^(Test\w*)\/.*$/, "$1");

/** Test functions a test patch adds, removes or edits: Python/Go/Rust/JS definitions and JS test("…") calls. */
function editedTestNames(testPatch: string): Set<string> {
  const names = new Set<string>();
  for (const m of testPatch.matchAll(/^[+-]\s*(?:pub\s+)?(?:async\s+)?(?:def|func|fn|function)\s+(\w+)/gm))
    names.add(m[1]!);
  for (const m of testPatch.matchAll(/^[+-]\s*(?:test|it)\(\s*(["'`])(.+?)\1/gm)) names.add(m[2]!);
  return names;
}

/**
 * The oracle's answer (it may look at the gold test patch: it is the oracle): the passing tests
 * whose function the test patch edits. Noise: sometimes nothing, sometimes a made-up name.
 */
export function regressOracleAnswers(instances: readonly Instance[]): Record<string, OracleAnswerBuilder> {
  const byId = new Map(instances.map((i) => [i.instance_id, i]));
  return {
    [REGRESS_FILTER_STAGE]: ({ req, random }) => {
      const inst = byId.get(req.instanceId);
      const listed =
        req.messages[0]?.content
          .split("in the repository.\n```\n")[1]
          ?.split("\n```\n")[0]
          ?.split("\n")
          .filter(Boolean) ?? [];
      const edited = editedTestNames(inst?.test_patch ?? "");
      const u = random();
      let names = listed.filter((t) => edited.has(testFunction(t)));
      if (u < 0.1) names = [];
      else if (u < 0.2) names = [...names, "tests/not_a_real_test.py::test_made_up"];
      return "```\n" + names.join("\n") + (names.length ? "\n" : "") + "```\n";
    },
  };
}
