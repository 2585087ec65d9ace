// Reproduction tests as Agentless 1.5 makes them (OpenAutoCoder/Agentless,
// agentless/test/generate_reproduction_tests.py): the prompt (lines 18-64, word for word, the
// issue filled in and the whole Python-stripped), the first ```python block of the answer,
// stripped (extract_first_code_block, lines 85-93), written as reproduce_bug.py with a final
// newline (create_patch_from_code, lines 67-82), and the sampling (lines 140-205): one greedy
// answer, the others at temperature 0.8, 1,024 tokens at most.
import type { ChatMessage } from "../model/types.js";
import { pyReplaceAll, pyStrip } from "../reward/py-str.js";
import { pySplitLines } from "../util/py-splitlines.js";

export const AGENTLESS_TEST_TEMPLATE = `
We are currently solving the following issue within our repository. Here is the issue text:
--- BEGIN ISSUE ---
{problem_statement}
--- END ISSUE ---

Please generate a complete test that can be used to reproduce the issue.

The complete test should contain the following:
1. Necessary imports
2. Code to reproduce the issue described in the issue text
3. Print "Issue reproduced" if the outcome indicates that the issue is reproduced
4. Print "Issue resolved" if the outcome indicates that the issue has been successfully resolved
5. Print "Other issues" if the outcome indicates there are other issues with the source code

Here is an example:

\`\`\`python
from sqlfluff import lint

def test__rules__std_L060_raised() -> None:
    try:
        sql = "SELECT   IFNULL(NULL, 100),
            NVL(NULL,100);"
        result = lint(sql, rules=["L060"])
        assert len(result) == 2
    except:
        print("Other issues")
        return

    try:
        assert result[0]["description"] == "Use 'COALESCE' instead of 'IFNULL'."
        assert result[1]["description"] == "Use 'COALESCE' instead of 'NVL'."
        print("Issue resolved")
    except AssertionError:
        print("Issue reproduced")
        return

    return

test__rules__std_L060_raised()
\`\`\`

Please ensure the generated test reflects the issue described in the provided issue text.
The generated test should be able to be used to both reproduce the issue as well as to verify the issue has been fixed.
Wrap the complete test in \`\`\`python...\`\`\`.
`;

export const AGENTLESS_TEST_SAMPLING = { temperature: 0.8, max_tokens: 1024 } as const;

export function agentlessReproduceMessages(problem: string): ChatMessage[] {
  return [{ role: "user", content: pyStrip(AGENTLESS_TEST_TEMPLATE.replace("{problem_statement}", () => problem)) }];
}

/** extract_first_code_block: the first ```python … ``` (no newline needed), stripped; null when absent or blank. */
export function agentlessFirstBlock(answer: string): string | null {
  const m = /```python([\s\S]*?)```/.exec(answer);
  if (!m) return null;
  const code = pyStrip(m[1]!);
  return code === "" ? null : code;
}

/** The script Agentless writes to reproduce_bug.py, or why there is none. */
export function agentlessScript(answer: string): { script: string | null; error: string | null } {
  const code = agentlessFirstBlock(answer);
  return code === null
    ? { script: null, error: "no non-empty ```python block in the answer" }
    : { script: code + "\n", error: null };
}

/**
 * normalize_test's renaming (lines 349-355): the text before "(" on the last line of the
 * normalized test is taken for the test's name and every occurrence replaced with test_func.
 */
export function agentlessRename(normalized: string): string {
  const lines = pySplitLines(normalized);
  if (lines.length === 0) return normalized; // Python's IndexError, caught there: the text unchanged
  return pyReplaceAll(normalized, lines[lines.length - 1]!.split("(")[0]!, "test_func");
}
