import { describe, expect, it } from "vitest";
import { rankTests, type ReproductionRecord } from "./record.js";
import { extractScript, normalizeTest, reproduceMessages, testIdOf } from "./script.js";

const script = (fn: string, comment: string) =>
  `# ${comment}\nimport sys\n\n\ndef ${fn}():\n    """Check it."""\n    if 1 + 1 == 2:\n        print("Issue reproduced")\n    else:\n        print("Issue resolved")\n\n\n${fn}()\n`;

describe("reproduction test scripts", () => {
  it("puts the issue and the example test file in the prompt", () => {
    const [m] = reproduceMessages("Slugs drop digits", {
      path: "tests/test_slug.py",
      content: "def test_a():\n    pass\n",
    });
    expect(m!.content).toContain("Slugs drop digits");
    expect(m!.content).toContain("--- BEGIN TEST FILE tests/test_slug.py ---");
    expect(m!.content).toContain('"Issue reproduced"');
    expect(reproduceMessages("x", null)[0]!.content).not.toContain("TEST FILE");
  });

  it("takes the last python block, ignores the thought, and says why there is no script", () => {
    expect(
      extractScript("<think>```python\nwrong()\n```</think>\n```python\nprint('Issue reproduced')\n```").script,
    ).toBe("print('Issue reproduced')\n");
    expect(extractScript("```text\nnot it\n```\n```python\nright()\n```\n").script).toBe("right()\n");
    expect(extractScript("")).toEqual({ script: null, error: "empty answer" });
    expect(extractScript("I would test it like this.").error).toBe("no fenced code block in the answer");
    expect(extractScript("```python\n\n```").error).toBe("the code block is empty");
  });

  it("normalizes cosmetic variants to one test and keeps different tests apart", () => {
    const a = normalizeTest(script("test_issue", "first"));
    const b = normalizeTest(script("test_issue_42", "variant 7"));
    expect(a).toBe(b);
    expect(testIdOf(a)).toMatch(/^repro-[0-9a-f]{12}$/);
    expect(normalizeTest(script("test_issue", "x").replace("1 + 1 == 2", "1 + 2 == 2"))).not.toBe(a);
  });

  it("ranks reproducing tests by votes, then by earliest sample, and leaves the others out", () => {
    const rec = (sample: number, id: string, reproduces: boolean) =>
      ({ sample, test_id: id, script: `# ${id}`, reproduces }) as ReproductionRecord;
    const ranked = rankTests([
      rec(0, "repro-b", true),
      rec(1, "repro-a", true),
      rec(2, "repro-a", true),
      rec(3, "repro-c", true),
      rec(4, "repro-d", false),
      rec(5, "repro-b", true),
    ]);
    expect(ranked.map((t) => [t.test_id, t.votes, t.samples])).toEqual([
      ["repro-b", 2, [0, 5]],
      ["repro-a", 2, [1, 2]],
      ["repro-c", 1, [3]],
    ]);
  });
});
