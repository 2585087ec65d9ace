// The agentless normalizer against Agentless's own normalize_patch. testdata/agentless-normalize
// holds, per SWE-bench Verified gold patch, each touched file rebuilt from its hunks (old: context
// and removed lines, new: context and added lines; a hunk region dedented and given `if True:`
// headers when that makes it parse), the same with the new side reformatted (comments, quotes,
// docstrings, indentation width, blank lines, redundant parentheses; "all_both_sides": all of
// them and comments on the old side too), and the output of the fetched
// agentless/util/postprocess_data.py normalize_patch run once with python3 3.11 on exactly those
// contents. Where the reference raises (is_just_new_function parses a file that does not parse),
// expected_no_raise is its output with that call treated as False, which is what we do.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NormalizedPatch } from "./normalize-patch.js";
import { gitDiff } from "../../test/support/verified-cases.js";
import { createAgentlessNormalizer } from "./agentless.js";
import { canonicalNormalizer } from "./patch-normalizer.js";

interface Case {
  id: string;
  variant: string;
  files: { path: string; old: string; new: string }[];
  expected?: string;
  expected_error?: string;
  expected_no_raise?: string;
}

const cases: Case[] = gunzipSync(readFileSync(join(import.meta.dirname, "testdata", "agentless-normalize.jsonl.gz")))
  .toString("utf8")
  .split("\n")
  .filter((l) => l.trim() !== "")
  .map((l) => JSON.parse(l) as Case);

const normalizer = createAgentlessNormalizer();
afterAll(() => normalizer.close());

const inputsOf = (c: Case) => {
  const before = Object.fromEntries(c.files.map((f) => [f.path, f.old]));
  const after = Object.fromEntries(c.files.map((f) => [f.path, f.new]));
  return { before, patch: gitDiff(before, after) };
};

describe("agentless normalizer = Agentless normalize_patch", () => {
  // every case once, all queued together as grouping queues them (4,000 cases: minutes on 2 busy cores)
  let got: NormalizedPatch[] = [];
  beforeAll(async () => {
    got = await Promise.all(
      cases.map((c, k) => {
        const { before, patch } = inputsOf(c);
        return normalizer.normalize(patch, before, `case${k}`);
      }),
    );
  }, 900_000);

  it("has the test data: all 500 Verified gold patches and reformatted copies", () => {
    expect(new Set(cases.filter((c) => c.variant === "gold").map((c) => c.id)).size).toBe(500);
    expect(cases.filter((c) => c.variant !== "gold").length).toBeGreaterThanOrEqual(500);
    expect(cases.filter((c) => c.expected !== undefined).length).toBeGreaterThan(cases.length * 0.7);
  });

  it("gives the reference's text on ≥ 99% of cases of every variant, and normalizes reformatting away", async () => {
    const byVariant = new Map<string, { n: number; same: number; differ: string[] }>();
    got.forEach((r, k) => {
      const c = cases[k];
      const want = c.expected ?? c.expected_no_raise;
      if (want === undefined) return;
      const v = byVariant.get(c.variant) ?? { n: 0, same: 0, differ: [] };
      v.n++;
      if (r.normalized === want && r.error === undefined) v.same++;
      else v.differ.push(`${c.id} (${r.error ?? "text differs"})`);
      byVariant.set(c.variant, v);
    });
    for (const [variant, v] of byVariant) {
      if (v.differ.length) console.log(`${variant}: ${v.differ.length}/${v.n} differ: ${v.differ.join(", ")}`);
      expect(v.same / v.n, variant).toBeGreaterThanOrEqual(0.99);
    }
    expect(byVariant.get("gold")?.n).toBeGreaterThanOrEqual(500 * 0.7);

    // a reformatted copy normalizes to its gold patch's text wherever the reference says so
    const goldOf = new Map(
      cases
        .map((c, k) => [c, k] as const)
        .filter(([c]) => c.variant === "gold")
        .map(([c, k]) => [c.id, got[k].normalized]),
    );
    let sameAsGold = 0;
    let refSameAsGold = 0;
    got.forEach((r, k) => {
      const c = cases[k];
      if (c.variant === "gold" || c.expected === undefined) return;
      const goldWant = cases.find((g) => g.id === c.id && g.variant === "gold")?.expected;
      if (goldWant === undefined || c.expected !== goldWant) return;
      refSameAsGold++;
      if (r.normalized === goldOf.get(c.id)) sameAsGold++;
    });
    expect(refSameAsGold).toBeGreaterThan(100);
    expect(sameAsGold / refSameAsGold).toBeGreaterThanOrEqual(0.99);
  });

  it("groups what the canonical form splits: quote changes (so the data tells the two apart)", async () => {
    const gold = new Map(cases.filter((c) => c.variant === "gold").map((c) => [c.id, c]));
    const resultOf = new Map(cases.map((c, k) => [c, got[k]]));
    // quote-swapped copies the reference normalizes to its gold patch's text
    const quoted = cases.filter(
      (c) =>
        c.variant === "quotes" &&
        c.expected !== undefined &&
        c.expected === gold.get(c.id)?.expected &&
        c.files.some((f, i) => f.new !== gold.get(c.id)?.files[i]?.new),
    );
    expect(quoted.length).toBeGreaterThan(20);
    let canonicalSplits = 0;
    for (const c of quoted) {
      const g = inputsOf(gold.get(c.id)!);
      const q = inputsOf(c);
      const [cg, cq] = [
        await canonicalNormalizer.normalize(g.patch, g.before, ""),
        await canonicalNormalizer.normalize(q.patch, q.before, ""),
      ];
      if (cg.normalized !== cq.normalized) canonicalSplits++;
      expect(resultOf.get(c)?.normalized, c.id).toBe(resultOf.get(gold.get(c.id)!)?.normalized);
    }
    expect(canonicalSplits).toBeGreaterThan(quoted.length / 2);
  });
});

describe("agentless normalizer plumbing", () => {
  const base = "def f(x):\n    return x\n";
  const patchTo = (after: string) => gitDiff({ "m.py": base }, { "m.py": after });

  it("empty, unapplicable and comment-only patches", async () => {
    expect(await normalizer.normalize("  \n", { "m.py": base }, "p")).toEqual({ normalized: "" });
    const bad = await normalizer.normalize(
      patchTo("def f(x):\n    return x + 1\n").replace("return x\n", "return y\n"),
      { "m.py": base },
      "p",
    );
    expect(bad.normalized).toBe("");
    expect(bad.error).toMatch(/does not apply/);
    expect(await normalizer.normalize(patchTo("def f(x):\n    # why\n    return x\n"), { "m.py": base }, "p")).toEqual({
      normalized: "",
    });
  });

  it("a patched file whose original has characters beyond the BMP (python indexes code points, we UTF-16 units)", async () => {
    // the characters sit before the hunk (its context starts below them), code follows it
    const filler = "a = 1\nb = 2\nc = 3\nd = 4\n";
    for (const head of ["s = '\u00e9 \u4e2d'\n", "s = '\u{1F600} \u00e9'\n"]) {
      const files = { "m.py": `${head}${filler}${base}e = 5\n` };
      const patch = gitDiff(files, { "m.py": `${head}${filler}def f(x):\n    return x + 1\ne = 5\n` });
      const r = await normalizer.normalize(patch, files, `astral ${head}`);
      expect(r.error, head).toBeUndefined();
      const changed = r.normalized.split("\n").filter((l) => /^[-+](?![-+]{2} )/.test(l));
      expect(changed, head).toEqual(["-    return x", "+    return x + 1"]);
    }
  });

  it("an original evicted from the worker's cache is sent again", async () => {
    const before = process.env.SWERL_NORMALIZE_CACHE_CHARS;
    process.env.SWERL_NORMALIZE_CACHE_CHARS = "10";
    const tiny = createAgentlessNormalizer({ batchSize: 1 });
    try {
      const files = { "a.py": base, "b.py": "y = 1\n" };
      const pa = gitDiff(files, { ...files, "a.py": "def f(x):\n    return -x\n" });
      const pb = gitDiff(files, { ...files, "b.py": "y = 2\n" });
      const first = await Promise.all([tiny.normalize(pa, files, "s"), tiny.normalize(pb, files, "s")]);
      // a.py was evicted when b.py came in: a new patch of a.py makes the worker ask for it again
      const pa2 = gitDiff(files, { ...files, "a.py": "def f(x):\n    return x * 2\n" });
      const again = await Promise.all([tiny.normalize(pa2, files, "s"), tiny.normalize(pb, files, "s")]);
      expect(first[0].normalized).toContain("+    return -x");
      expect(first[1].normalized).toContain("+y = 2");
      expect(again[0].normalized).toContain("+    return x * 2");
      expect(again[0].error).toBeUndefined();
      expect(again[1]).toEqual(first[1]);
    } finally {
      if (before === undefined) delete process.env.SWERL_NORMALIZE_CACHE_CHARS;
      else process.env.SWERL_NORMALIZE_CACHE_CHARS = before;
      await tiny.close();
    }
  });

  it("spreads one instance's patches over several python processes, with the same results as one process", async () => {
    const many = Array.from({ length: 40 }, (_, k) => patchTo(`def f(x):\n    return x + ${k}\n`));
    const children = () =>
      readdirSync("/proc/self/task")
        .flatMap((t) => readFileSync(`/proc/self/task/${t}/children`, "utf8").trim().split(/\s+/))
        .filter((pid) => pid !== ""); // python3 may be a launcher (pyenv's shim): count direct children
    const before = children().length;
    const three = createAgentlessNormalizer({ processes: 3 });
    const one = createAgentlessNormalizer({ processes: 1 });
    try {
      const spread = await Promise.all(many.map((p) => three.normalize(p, { "m.py": base }, "p")));
      expect(children().length - before).toBe(3);
      const alone = await Promise.all(many.map((p) => one.normalize(p, { "m.py": base }, "p")));
      expect(spread).toEqual(alone);
      expect(new Set(spread.map((r) => r.normalized)).size).toBe(40);
    } finally {
      await Promise.all([three.close(), one.close()]);
    }
  });

  it("a missing interpreter is one clear error", async () => {
    const none = createAgentlessNormalizer({ python: "/nonexistent/python3" });
    await expect(none.normalize(patchTo("def f(x):\n    return 2\n"), { "m.py": base }, "p")).rejects.toThrow(
      /validate\.normalize.*canonical/,
    );
    await none.close();
  });
});
