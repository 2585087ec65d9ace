// Reproduction tests in a repo of another language (the Agentless contract: the script prints
// exactly one of "Issue reproduced" / "Issue resolved" / "Other issues"): the prompt asks for
// a script of the language's kind (language/profile.ts: a Node.js, Ruby or PHP script, or a bash
// script for compiled languages), the script taken out of the answer by its fence tag, and its
// normalized form for the vote (comments dropped, whitespace canonical: the grammar's canonical
// form when we have one for the script, else its lines trimmed, bash comment lines dropped).
import type { ChatMessage } from "../model/types.js";
import { canonicalCode } from "../normalize/canonical-code.js";
import { languageProfile, type ReproductionScriptKind } from "../language/profile.js";
import { createParserFor, type CodeLanguage, type LanguageFamily } from "../treesitter/languages.js";
import { type ExampleTest, issueAndExampleParts } from "./script.js";

export function reproduceCodeMessages(
  problem: string,
  example: ExampleTest | null,
  family: LanguageFamily,
): ChatMessage[] {
  const p = languageProfile(family);
  const kind = p.reproduction;
  const parts = issueAndExampleParts(problem, example, "\n... (cut)\n");
  parts.push(
    `The repository is written in ${p.name}. Please write a complete, standalone ${kind.describe} that reproduces the issue. It must:`,
    "1. set up what it needs,",
    "2. contain the code that triggers the issue,",
    '3. print "Issue reproduced" if the outcome shows the issue is still there,',
    '4. print "Issue resolved" if the outcome shows the issue has been fixed,',
    '5. print "Other issues" if something else goes wrong (e.g. it does not build, or an unexpected error).',
    `Print exactly one of the three messages. The script is run as \`${kind.run(`script.${kind.extension}`)}\` from the`,
    `repository root, with no network. Wrap the whole script in one \`\`\`${kind.fence} block.`,
  );
  return [{ role: "user", content: parts.join("\n") }];
}

const fencesOf = (kind: ReproductionScriptKind): string[] => [kind.fence, ...kind.aliases];

/**
 * The script of an answer: its last block fenced with the kind's tag (or an alias), else its
 * last fenced block; `first`: the first such block (Agentless's extraction), stripped.
 */
export function extractCodeScript(
  answer: string,
  kind: ReproductionScriptKind,
  first = false,
): { script: string | null; error: string | null } {
  const noThink = answer.replace(/<think>[\s\S]*?<\/think>/g, "");
  if (noThink.trim() === "") return { script: null, error: "empty answer" };
  const blocks = [...noThink.matchAll(/```([\w+-]*)[^\n]*\n([\s\S]*?)```/g)];
  const tags = new Set(fencesOf(kind));
  const tagged = blocks.filter((b) => tags.has(b[1]!.toLowerCase()));
  const pool = first ? tagged : tagged.length > 0 ? tagged : blocks;
  const pick = first ? pool[0] : pool.at(-1);
  if (!pick)
    return {
      script: null,
      error: first ? `no \`\`\`${kind.fence} block in the answer` : "no fenced code block in the answer",
    };
  const script = first ? pick[2]!.trim() + "\n" : pick[2]!.trimEnd() + "\n";
  if (script.trim() === "") return { script: null, error: "the code block is empty" };
  return { script, error: null };
}

// Script kinds with a grammar of ours: their canonical form.
const SCRIPT_GRAMMAR: Record<string, CodeLanguage> = { js: "javascript", rb: "ruby", php: "php" };

/** The vote's form of a script: comments and blank lines dropped, whitespace canonical. */
export function normalizeCodeTest(script: string, kind: Pick<ReproductionScriptKind, "extension">): string {
  const lang = SCRIPT_GRAMMAR[kind.extension];
  if (lang) {
    const form = canonicalCode(createParserFor(lang), lang, script);
    if (form) return form.lines.join("\n");
  }
  return script
    .split("\n")
    .map((l) => l.trim().replace(/\s+/g, " "))
    .filter((l) => l !== "" && !(l.startsWith("#") && !l.startsWith("#!")))
    .join("\n");
}
