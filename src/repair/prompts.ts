// The repair prompts, word for word as SWE-RL has them (facebookresearch/swe-rl,
// src/swerl/core/prompts.py: THINKING_SYSTEM, AGENTLESS_REPAIR, CODE_FILE). The user prompt is
// the template filled in and then Python-`strip()`ped, as Agentless Mini does.
import type { InstanceLanguage } from "../language/instance-language.js";
import { languageProfile } from "../language/profile.js";
import type { ChatMessage } from "../model/types.js";
import { pyStrip } from "../reward/py-str.js";

export const THINKING_SYSTEM = `A user will ask you to solve a task. You should first draft your thinking process (inner monologue). Then, generate the solution.

Your response format must follow the template below:
<think>
Your thoughts or/and draft, like working through an exercise on scratch paper. Be as casual and as long as you want until you are confident to generate a correct solution.
</think>
<solution>
Final solution presented to the user.
</solution>`;

export const REPAIR_TEMPLATE = `We are currently solving the following issue within our repository. Here is the issue text:
--- BEGIN ISSUE ---
{problem_statement}
--- END ISSUE ---

Below are some code segments, each from a relevant file. One or more of these files may contain bugs.

--- BEGIN FILE ---
\`\`\`
{content}
\`\`\`
--- END FILE ---

Please first localize the bug based on the issue statement, and then generate *SEARCH/REPLACE* edits to fix the issue.

Every *SEARCH/REPLACE* edit must use this format:
1. The file path
2. The start of search block: <<<<<<< SEARCH
3. A contiguous chunk of lines to search for in the existing source code
4. The dividing line: =======
5. The lines to replace into the source code
6. The end of the replace block: >>>>>>> REPLACE

Here is an example:

\`\`\`python
### mathweb/flask/app.py
<<<<<<< SEARCH
from flask import Flask
=======
import math
from flask import Flask
>>>>>>> REPLACE
\`\`\`

Please note that the *SEARCH/REPLACE* edit REQUIRES PROPER INDENTATION. If you would like to add the line '        print(x)', you must fully write that out, with all those spaces before the code!
Wrap each *SEARCH/REPLACE* edit in a code block as shown in the example above. If you have multiple *SEARCH/REPLACE* edits, use a separate code block for each one.`;

/** One file of the context, as SWE-RL's CODE_FILE and Agentless Mini write it: `### path`, then the content. */
export const codeFile = (path: string, content: string): string => `### ${path}\n${content}`;

const PYTHON_EXAMPLE =
  "```python\n### mathweb/flask/app.py\n<<<<<<< SEARCH\nfrom flask import Flask\n=======\nimport math\nfrom flask import Flask\n>>>>>>> REPLACE\n```";
const PYTHON_INDENTED = "'        print(x)'";

/**
 * The template for a repo's language: SWE-RL's for Python; for another language the same text
 * with the example edit in that language (its fence tag, a path and lines of its own) and the
 * indentation advice about one of its lines.
 */
export function repairTemplate(language: InstanceLanguage = "python"): string {
  if (language === "python") return REPAIR_TEMPLATE;
  const p = languageProfile(language);
  const example = `\`\`\`${p.fence}\n### ${p.example.path}\n<<<<<<< SEARCH\n${p.example.search}\n=======\n${p.example.replace}\n>>>>>>> REPLACE\n\`\`\``;
  return REPAIR_TEMPLATE.replace(PYTHON_EXAMPLE, () => example).replace(PYTHON_INDENTED, () => `'${p.indentedLine}'`);
}

/**
 * Python's str.format for the two fields, in one pass so that braces inside the issue or the
 * code are never taken for fields.
 */
function fillTemplate(problemStatement: string, content: string, language: InstanceLanguage): string {
  return repairTemplate(language).replace(/\{(problem_statement|content)\}/g, (_, field: string) =>
    field === "problem_statement" ? problemStatement : content,
  );
}

export function repairUserPrompt(
  problemStatement: string,
  context: string,
  language: InstanceLanguage = "python",
): string {
  return pyStrip(fillTemplate(problemStatement, context, language));
}

/**
 * The system message of a repair request, from `model.system_prompt`: "swe-rl" (the thinking
 * format prompt of SWE-RL's core/prompts.py), "none" (the user message alone, as Agentless Mini's
 * released repair sends it), or any other text, sent as is.
 */
export function systemPromptText(setting: string): string | null {
  if (setting === "none") return null;
  return setting === "swe-rl" ? THINKING_SYSTEM : setting;
}

/** model.system_prompt as the run uses it: unset means none (Agentless Mini sends the user message alone). */
export const repairSystemPrompt = (model: { system_prompt?: string }): string => model.system_prompt ?? "none";

/** The messages of one repair request: the system message (when there is one), then the issue and the files. */
export function repairMessages(
  problemStatement: string,
  context: string,
  systemPrompt = "swe-rl",
  language: InstanceLanguage = "python",
): ChatMessage[] {
  const system = systemPromptText(systemPrompt);
  const user: ChatMessage = { role: "user", content: repairUserPrompt(problemStatement, context, language) };
  return system === null ? [user] : [{ role: "system", content: system }, user];
}
