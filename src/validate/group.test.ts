// Grouping gives the same keys as the normalizer did before it was made fast: keys recorded
// with the original normalizePatch (bench/record-grouping-keys.ts) on noisy samples of every
// SWE-bench Verified gold patch (files rebuilt from the hunks), of 9 sympy instances on the real
// files at their base commit, and of the demo repos.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import {
  demoGroupingCases,
  readGzipJson,
  realFilesGroupingCases,
  verifiedGroupingCases,
  type GoldRow,
  type GroupingCase,
  type RealFilesRow,
} from "../../test/support/grouping-cases.js";
import { InstanceNormalizer } from "../normalize/instance-normalizer.js";
import { groupByNormalized, normalizeDistinctPatches } from "./group.js";
import { patchIdOf } from "../records/validation.js";

const testdata = new URL("../normalize/testdata/", import.meta.url);
const recorded = readGzipJson<Record<string, string[]>>(new URL("grouping-keys.json.gz", testdata));
const sympy = readGzipJson<RealFilesRow[]>(new URL("sympy-files.json.gz", testdata));

async function expectRecordedKeys(cases: readonly GroupingCase[]): Promise<void> {
  for (const c of cases) {
    const distinct = [...new Set(c.patches)];
    const normalized = await normalizeDistinctPatches(c.files, distinct);
    const keyOf = new Map(distinct.map((p, i) => [p, normalized[i] === "" ? "" : patchIdOf(normalized[i]!)]));
    expect(
      c.patches.map((p) => keyOf.get(p)),
      c.id,
    ).toEqual(recorded[c.id]);
    await new Promise((r) => setImmediate(r)); // long synchronous stretches starve vitest's RPC
  }
}

describe("grouping keys match the ones recorded before the speed-up", () => {
  it("SWE-bench Verified gold patches, rebuilt files", async () => {
    const rows = readFileSync(resolve(__dirname, "../../../shared/datasets/swe-bench-verified.test.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as GoldRow);
    const cases = verifiedGroupingCases(rows);
    expect(cases).toHaveLength(500);
    await expectRecordedKeys(cases);
  }, 600_000);

  it("sympy instances on their real files", async () => {
    const cases = realFilesGroupingCases(sympy);
    expect(cases.map((c) => new Set(c.patches).size).every((n) => n >= 20)).toBe(true);
    await expectRecordedKeys(cases);
  }, 600_000);

  it("demo repos", async () => {
    await expectRecordedKeys(await demoGroupingCases());
  }, 120_000);
});

describe("grouping work", () => {
  it("parses each original once and renders only the statements a sample changed", () => {
    const [c] = realFilesGroupingCases(sympy.filter((r) => r.instance_id === "sympy__sympy-12096"));
    const distinct = [...new Set(c!.patches)];
    const normalizer = new InstanceNormalizer(c!.files);
    for (const p of distinct) normalizer.normalize(p);
    const original = Object.values(c!.files)[0]!;
    const topLevel = original.split("\n").filter((l) => /^(def|class|@|import|from) /.test(l)).length;
    // the original's statements once, then a few new ones per distinct new file
    expect(normalizer.stats.statementsRendered).toBeLessThan(topLevel + 5 * distinct.length);
    expect(normalizer.stats.filesDiffed).toBeLessThanOrEqual(distinct.length);
    // the original once; an edited file whole only when its changed spans do not parse alone
    expect(normalizer.stats.parses).toBe(1 + normalizer.chunked!.stats.fallbacks);
    expect(normalizer.chunked!.stats.fallbacks).toBeLessThan(distinct.length / 10);
  });

  it("groups samples by normalized text, earliest sample's patch first, empty keys dropped", () => {
    const samples = [0, 1, 2, 3, 4].map((sample) => ({
      instance_id: "x",
      sample,
      patch: ["p", "q", "p", "r", "s"][sample]!,
    }));
    const groups = groupByNormalized(samples, ["p", "q", "r", "s"], ["A", "A", "", "B"]);
    expect(groups.map((g) => [g.normalized, g.patch, g.samples])).toEqual([
      ["A", "p", [0, 1, 2]],
      ["B", "s", [4]],
    ]);
  });
});
