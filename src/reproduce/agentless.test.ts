import { describe, expect, it } from "vitest";
import {
  agentlessFirstBlock,
  agentlessRename,
  agentlessReproduceMessages,
  agentlessScript,
  AGENTLESS_TEST_SAMPLING,
} from "./agentless.js";
import { normalizeTest } from "./script.js";

describe("reproduction tests as Agentless 1.5 makes them", () => {
  it("sends the template alone, the issue filled in, stripped, braces in the issue kept", () => {
    const [m, ...rest] = agentlessReproduceMessages("  KeyError: {'a': $1} \n");
    expect(rest).toEqual([]);
    expect(m.role).toBe("user");
    expect(m.content.startsWith("We are currently solving the following issue")).toBe(true);
    expect(m.content).toContain("--- BEGIN ISSUE ---\n  KeyError: {'a': $1} \n\n--- END ISSUE ---");
    expect(m.content.endsWith("Wrap the complete test in ```python...```.")).toBe(true);
    expect(AGENTLESS_TEST_SAMPLING).toEqual({ temperature: 0.8, max_tokens: 1024 });
  });

  it("takes the first python block, thoughts included, and nothing from a blank one", () => {
    const answer = "<think>\n```python\nprint('draft')\n```\n</think>\n```python\nfinal()\n```";
    expect(agentlessFirstBlock(answer)).toBe("print('draft')");
    expect(agentlessScript("```python\n   \n```\n```python\nx()\n```")).toEqual({
      script: null,
      error: expect.stringMatching(/python block/),
    });
    expect(agentlessScript("```py\nx()\n```").script).toBeNull();
    expect(agentlessScript("```python3\nx()\n```").script).toBe("3\nx()\n");
  });

  it("renames the last line's callee everywhere (Agentless's normalize_test)", () => {
    expect(agentlessRename("def check_it():\n    print(1)\ncheck_it()")).toBe(
      "def test_func():\n    print(1)\ntest_func()",
    );
    expect(agentlessRename("")).toBe("");
    const a = normalizeTest("def test_a():\n    print('Issue reproduced')\n\ntest_a()\n", "agentless");
    const b = normalizeTest(
      "# other name\ndef run_case():\n    print('Issue reproduced')\n\nrun_case()\n",
      "agentless",
    );
    expect(a).toBe(b);
  });
});
