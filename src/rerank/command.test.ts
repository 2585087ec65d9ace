// `swerl rerank` on per-sample records: demo gold patches (originals read from the demo repos
// at their base commits), a reformatted copy that must vote with the gold, a rival patch, and
// lines that bring their own normalized_patch.
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDemoBenchmark } from "../demo/build.js";
import { buildMultilingualDemoBenchmark } from "../demo/multilingual.js";
import { runRerankFile, type RerankFileOptions } from "./command.js";

interface Row {
  instance_id: string;
  patch: string;
}
let work: string;
let datasetPath: string;
let gold: Row;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "swerl-rerank-"));
  const bench = await buildDemoBenchmark(join(work, "demo"));
  datasetPath = bench.datasetPath;
  const rows = readFileSync(datasetPath, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Row);
  gold = rows.find((r) => r.instance_id === "swerl-demo__durations-2")!;
});
afterAll(async () => rm(work, { recursive: true, force: true }));

const jsonl = (xs: object[]) => xs.map((x) => JSON.stringify(x) + "\n").join("");
const read = (path: string) =>
  readFileSync(path, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));

async function run(lines: object[], extra: Partial<RerankFileOptions> = {}) {
  const input = join(work, `in-${Math.random().toString(36).slice(2)}.jsonl`);
  await writeFile(input, jsonl(lines));
  const out = input.replace("in-", "out-");
  const explain = input.replace("in-", "why-");
  await runRerankFile({ input, out, explain, rule: "swerl", filter: "both", modelName: "m", ...extra });
  return { preds: read(out), why: read(explain) };
}

describe("swerl rerank --input", () => {
  it("normalizes lines against the base commit: a reformatted gold votes with the gold", async () => {
    // same fix, different formatting and comments (sample 2) → one candidate with 2 samples
    const reformatted = gold.patch.replace('+        return "0s"', '+        return "0s"  # zero is special');
    const rival = gold.patch.replace('+        return "0s"', '+        return "0m"');
    expect(reformatted).not.toBe(gold.patch);
    const base = { instance_id: gold.instance_id, regression_failures: 0, reproduction_passed: [] };
    const lines = [
      { ...base, sample: 0, patch: rival },
      { ...base, sample: 1, patch: reformatted },
      { ...base, sample: 2, patch: gold.patch },
      { ...base, sample: 3, patch: "" },
    ];
    const { preds, why } = await run(lines, { dataset: datasetPath });
    expect(preds).toEqual([
      { instance_id: gold.instance_id, model_name_or_path: "m", model_patch: reformatted, sample: 1 },
    ]);
    expect(why[0].reason).toContain("vote: 2 samples of 3");
    // the rival passes the reproduction test: its group scores 1×1² against 0
    const passing = lines.map((l) => (l.sample === 0 ? { ...l, reproduction_passed: ["t1"] } : l));
    expect((await run(passing, { dataset: datasetPath })).preds[0].sample).toBe(0);
    // --max-samples 2: the gold's second sample is cut, the tie goes to the earliest sample
    expect((await run(lines, { dataset: datasetPath, maxSamples: 2 })).preds[0].sample).toBe(0);
  });

  it("groups with the profile's normalization: agentless (ast.unparse) merges a quote-style copy, canonical keeps it apart", async () => {
    const quotes = gold.patch.replace('+        return "0s"', "+        return '0s'");
    const rival = gold.patch.replace('+        return "0s"', '+        return "0m"');
    expect(quotes).not.toBe(gold.patch);
    const base = { instance_id: gold.instance_id, regression_failures: 0, reproduction_passed: [] };
    const lines = [
      { ...base, sample: 0, patch: rival },
      { ...base, sample: 1, patch: quotes },
      { ...base, sample: 2, patch: gold.patch },
    ];
    // agentless (the default, as validate.normalize in the swe-rl and agentless profiles): 2 votes for sample 1's patch
    const agentless = await run(lines, { dataset: datasetPath });
    expect(agentless.preds[0].sample).toBe(1);
    expect(agentless.why[0].reason).toContain("vote: 2 samples of 3");
    // canonical (the swerl profile): three patches of one vote each, the earliest wins
    expect((await run(lines, { dataset: datasetPath, normalize: "canonical" })).preds[0].sample).toBe(0);
  });

  it("groups another language's samples with that language's canonical form (Go: comments and layout do not split a vote)", async () => {
    const ml = await buildMultilingualDemoBenchmark(join(work, "demo-multilingual"));
    const goGold = readFileSync(ml.datasetPath, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Row)
      .find((r) => r.instance_id === "swerl-demo__semver-1")!;
    const line = "+\t\treturn compareNum(an, bn)";
    expect(goGold.patch).toContain(line);
    const commented = goGold.patch.replace(line, `${line} // both numeric`);
    const rival = goGold.patch.replace(line, "+\t\treturn compareNum(bn, an)");
    const base = { instance_id: goGold.instance_id, regression_failures: 0, reproduction_passed: [] };
    const lines = [
      { ...base, sample: 0, patch: rival },
      { ...base, sample: 1, patch: commented },
      { ...base, sample: 2, patch: goGold.patch },
    ];
    for (const normalize of ["agentless", "canonical"] as const) {
      const { preds, why } = await run(lines, { dataset: ml.datasetPath, normalize });
      expect(preds[0].sample).toBe(1);
      expect(why[0].reason).toContain("vote: 2 samples of 3");
    }
  });

  it("lines with normalized_patch need no dataset; all-empty instances get an empty patch", async () => {
    const lines = [
      {
        instance_id: "x__y-1",
        sample: 0,
        patch: "P0",
        normalized_patch: "A",
        regression_failures: 1,
        reproduction_passed: null,
      },
      {
        instance_id: "x__y-1",
        sample: 1,
        patch: "P1",
        normalized_patch: "B",
        regression_failures: 0,
        reproduction_passed: null,
      },
      {
        instance_id: "x__y-2",
        sample: 0,
        patch: "",
        normalized_patch: "",
        regression_failures: null,
        reproduction_passed: null,
      },
    ];
    const { preds } = await run(lines, { rule: "agentless" });
    expect(preds).toEqual([
      { instance_id: "x__y-1", model_name_or_path: "m", model_patch: "P1", sample: 1 },
      { instance_id: "x__y-2", model_name_or_path: "m", model_patch: "", sample: null },
    ]);
  });

  it("bad input: one clear error naming the line", async () => {
    const ok = {
      instance_id: "x__y-1",
      sample: 0,
      patch: "P",
      normalized_patch: "A",
      regression_failures: 0,
      reproduction_passed: [],
    };
    await expect(run([ok, ok])).rejects.toThrow(/in-.*\.jsonl:2: sample 0 of x__y-1 already given at .*:1/);
    await expect(run([{ ...ok, regression_failures: -1 }])).rejects.toThrow(/:1: regression_failures: /);
    await expect(run([{ ...ok, normalized_patch: undefined }])).rejects.toThrow(
      /without normalized_patch: pass --dataset/,
    );
    await expect(run([{ ...ok, normalized_patch: undefined }], { dataset: datasetPath })).rejects.toThrow(
      /no instance x__y-1/,
    );
  });
});
