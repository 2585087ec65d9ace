// The normalize pool gives what the inline normalizers give, on worker threads for a big batch
// and inline for a small one; another language goes through its own canonical form.
import { afterAll, describe, expect, it } from "vitest";
import { demoGroupingCases } from "../../test/support/grouping-cases.js";
import { InstanceNormalizer } from "./instance-normalizer.js";
import { CodePatchNormalizer } from "./normalize-code.js";
import { INLINE_PATCHES, NormalizePool } from "./normalize-pool.js";

const pool = new NormalizePool(2);
afterAll(() => pool.close());

describe("NormalizePool", () => {
  it("normalizes a big batch on the workers and a small one inline, with the inline normalizer's results", async () => {
    const cases = await demoGroupingCases(120);
    for (const c of cases.slice(0, 3)) {
      const distinct = [...new Set(c.patches.filter((p) => p.trim() !== ""))];
      expect(distinct.length).toBeGreaterThanOrEqual(INLINE_PATCHES);
      const inline = new InstanceNormalizer(c.files);
      const expected = distinct.map((p) => inline.normalize(p));
      const before = { ...pool.stats };
      const got = await Promise.all(distinct.map((p) => pool.normalizer().normalize(p, c.files, c.id)));
      expect(got).toEqual(expected);
      expect(pool.stats.onWorkers - before.onWorkers).toBe(distinct.length);
      // a few patches: inline, same results
      const few = distinct.slice(0, 5);
      const small = await Promise.all(few.map((p) => pool.normalizer().normalize(p, c.files, `${c.id}-few`)));
      expect(small).toEqual(expected.slice(0, 5));
      expect(pool.stats.inline - before.inline).toBe(5);
    }
  });

  it("another language: its own canonical form on the workers (Go comments and layout normalize away)", async () => {
    const original = "package p\n\nfunc f(a int) int {\n\treturn a\n}\n";
    const files = { "p.go": original };
    const patches = Array.from({ length: 60 }, (_, k) => {
      const body = k % 2 ? `\treturn a + ${k % 7} // note ${k}` : `\treturn a + ${k % 7}`;
      return `diff --git a/p.go b/p.go\n--- a/p.go\n+++ b/p.go\n@@ -3,3 +3,3 @@\n func f(a int) int {\n-\treturn a\n+${body}\n }\n`;
    });
    const code = new CodePatchNormalizer("go");
    const expected = patches.map((p) => code.normalizeNow(p, files));
    const before = pool.stats.onWorkers;
    const got = await Promise.all(patches.map((p) => pool.normalizer("go").normalize(p, files, "go-scope")));
    expect(got).toEqual(expected);
    expect(pool.stats.onWorkers - before).toBe(60);
    expect(new Set(got.map((r) => r.normalized)).size).toBe(7); // the comment does not split a group
  });

  it("a closed pool refuses work", async () => {
    const p = new NormalizePool(1);
    await p.close();
    await expect(p.normalizer().normalize("x", {}, "s")).rejects.toThrow(/closed/);
  });
});
