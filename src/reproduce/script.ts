// Reproduction tests (after Agentless): the prompt asking for a standalone script that prints
// exactly one of "Issue reproduced" / "Issue resolved" / "Other issues", the script taken out
// of the answer, and its normalized form for voting (comments and docstrings dropped,
// formatting canonical, test functions renamed to one name) with its id.
import { createHash } from "node:crypto";
import type { ChatMessage } from "../model/types.js";
import { canonicalLines, parsePython } from "../normalize/canonical-python.js";
import { agentlessRename } from "./agentless.js";

export const REPRODUCE_STAGE = "reproduce";

export interface ExampleTest {
  path: string;
  content: string;
}

/** Longest example test file put in the prompt (characters); longer ones are cut. */
const EXAMPLE_LIMIT = 12_000;

/** The prompt's opening: the issue, then an existing test file of the repo (cut at EXAMPLE_LIMIT with `cutNote`). */
export function issueAndExampleParts(problem: string, example: ExampleTest | null, cutNote: string): string[] {
  const parts = [
    "We are currently solving the following issue within our repository. Here is the issue text:",
    "--- BEGIN ISSUE ---",
    problem.trim(),
    "--- END ISSUE ---",
    "",
  ];
  if (example) {
    const text =
      example.content.length > EXAMPLE_LIMIT ? example.content.slice(0, EXAMPLE_LIMIT) + cutNote : example.content;
    parts.push(
      "Here is an existing test file of the repository, to show how its tests are written:",
      `--- BEGIN TEST FILE ${example.path} ---`,
      text,
      "--- END TEST FILE ---",
      "",
    );
  }
  return parts;
}

export function reproduceMessages(problem: string, example: ExampleTest | null): ChatMessage[] {
  const parts = issueAndExampleParts(problem, example, "\n# ... (cut)\n");
  parts.push(
    "Please write a complete, standalone Python test script that reproduces the issue. It must:",
    "1. import what it needs,",
    "2. contain the code that triggers the issue,",
    '3. print "Issue reproduced" if the outcome shows the issue is still there,',
    '4. print "Issue resolved" if the outcome shows the issue has been fixed,',
    '5. print "Other issues" if something else goes wrong (e.g. an unexpected exception).',
    "Print exactly one of the three messages. The script is run as `python script.py` from the",
    "repository root. Wrap the whole script in one ```python block.",
  );
  return [{ role: "user", content: parts.join("\n") }];
}

/** The script of an answer: its last ```python (or plain ```) block; null with why when there is none. */
export function extractScript(answer: string): { script: string | null; error: string | null } {
  const noThink = answer.replace(/<think>[\s\S]*?<\/think>/g, "");
  if (noThink.trim() === "") return { script: null, error: "empty answer" };
  const blocks = [...noThink.matchAll(/```(python|py)?[^\n]*\n([\s\S]*?)```/g)];
  const python = blocks.filter((b) => b[1] !== undefined);
  const pick = (python.length > 0 ? python : blocks).pop();
  if (!pick) return { script: null, error: "no fenced code block in the answer" };
  const script = pick[2]!.trimEnd() + "\n";
  if (script.trim() === "") return { script: null, error: "the code block is empty" };
  return { script, error: null };
}

const TEST_NAME = "test_reproduction";

/**
 * Canonical text with every top-level test function (name starting "test") renamed to one name,
 * or (renaming "agentless") with Agentless's rename: the last line's callee becomes test_func.
 */
export function normalizeTest(script: string, renaming: "swerl" | "agentless" = "swerl"): string {
  const tree = parsePython(script);
  const lines = tree
    ? canonicalLines(tree)
    : script
        .split("\n")
        .map((l) => l.trimEnd())
        .filter((l) => l !== "");
  const text = lines.join("\n");
  if (renaming === "agentless") return agentlessRename(text);
  const names = [...new Set([...text.matchAll(/^(?:async\s+)?def\s+(test\w*)\s*\(/gm)].map((m) => m[1]!))];
  return names.reduce((t, name) => t.replace(new RegExp(`\\b${name}\\b`, "g"), TEST_NAME), text);
}

export const testIdOf = (normalized: string): string =>
  `repro-${createHash("sha1").update(normalized).digest("hex").slice(0, 12)}`;
