// Our rerank rules against the reference code: 2,400 random per-sample cases (our generator,
// testing/reference-cases.ts) and the choice of SWE-RL's and Agentless's rerank.py on each,
// produced once with python3 outside the repo (docs/fidelity.md). Checked three ways: the
// rerank function, `swerl rerank --input` per-sample records, and `swerl rerank --run` records.
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Instance } from "../dataset/schema.js";
import { RunStore } from "../store/run-store.js";
import { runRerankFile } from "./command.js";
import { rerank, type RerankRule, type RerankSample } from "./rerank.js";
import { rerankRun } from "./run-candidates.js";
import {
  generateRerankCases,
  type RerankCase,
  type ReferenceOutput,
} from "../../test/support/rerank-reference-cases.js";

type Case = RerankCase & { reference: ReferenceOutput };
const data = JSON.parse(
  gunzipSync(readFileSync(new URL("./testdata/reference-cases.json.gz", import.meta.url))).toString("utf8"),
) as { cases: Case[] };
const cases = data.cases;
const RULES = ["swerl", "agentless"] as const;

const samplesOf = (c: RerankCase): RerankSample[] =>
  c.samples.map((s) => ({
    sample: s.sample,
    normalized: s.normalized,
    patch: s.patch,
    regressionFailures: s.regression_failures,
    reproductionPassed: s.reproduction_passed,
  }));
const testsOf = (c: RerankCase) => (c.tests ? c.tests.slice(0, c.max_tests ?? c.tests.length) : undefined);
const ours = (c: RerankCase, rule: RerankRule) => {
  const r = rerank(samplesOf(c), { rule, filter: c.filter, tests: testsOf(c) });
  return { patch: r.patch, sample: r.sample };
};

/** The cases (with their rule) where `choose` differs from the reference, at most 5 shown. */
function mismatches(
  list: readonly Case[],
  rule: (typeof RULES)[number],
  choose: (c: Case) => { patch: string; sample: number | null },
) {
  return list
    .filter((c) => {
      const got = choose(c);
      return got.sample !== c.reference[rule].sample || got.patch !== c.reference[rule].patch;
    })
    .map((c) => ({ id: c.id, rule, ours: choose(c).sample, reference: c.reference[rule].sample }));
}

describe("rerank equals the reference rerank.py on random per-sample cases", () => {
  it("the test data is our generator's output, with every kind of case", () => {
    expect(cases.length).toBeGreaterThanOrEqual(2000);
    expect(cases.map(({ reference: _, ...c }) => c)).toEqual(generateRerankCases(20261205, cases.length));
    const conflicting = cases.filter(
      (c) =>
        c.results !== "consistent" &&
        new Set(c.samples.filter((s) => s.normalized.trim()).map((s) => s.normalized.trim())).size <
          c.samples.filter((s) => s.normalized.trim()).length,
    );
    expect(conflicting.length).toBeGreaterThan(500);
    expect(cases.filter((c) => c.samples.some((s) => s.regression_failures === null)).length).toBeGreaterThan(500);
    expect(cases.filter((c) => c.samples.some((s) => s.normalized.trim() === "")).length).toBeGreaterThan(500);
    expect(cases.filter((c) => c.reference.swerl.sample === null).length).toBeGreaterThan(100);
  });

  for (const rule of RULES) {
    it(`--rule ${rule}: the same sample and patch on every case`, () => {
      expect(mismatches(cases, rule, (c) => ours(c, rule)).slice(0, 5)).toEqual([]);
    });
  }

  it("the data can tell rules apart: swerl-tiebreak and the two references disagree on many cases", () => {
    expect(mismatches(cases, "swerl", (c) => ours(c, "swerl-tiebreak")).length).toBeGreaterThan(200);
    expect(mismatches(cases, "agentless", (c) => ours(c, "swerl")).length).toBeGreaterThan(200);
  });
});

describe("the same through swerl rerank --input and --run", () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "swerl-rerank-ref-"));
  });
  afterAll(async () => rm(work, { recursive: true, force: true }));

  it("--input: per-sample records, each with its own results (cases without a ranked test list)", async () => {
    const eligible = cases.filter((c) => c.tests === null);
    expect(eligible.length).toBeGreaterThan(500);
    for (const rule of RULES) {
      for (const filter of ["none", "regression", "reproduction", "both"] as const) {
        const group = eligible.filter((c) => c.filter === filter);
        const input = join(work, `in-${rule}-${filter}.jsonl`);
        await writeFile(
          input,
          group
            .flatMap((c) =>
              c.samples.map((s) => JSON.stringify({ instance_id: c.id, ...s, normalized_patch: s.normalized }) + "\n"),
            )
            .join(""),
        );
        const out = join(work, `out-${rule}-${filter}.jsonl`);
        await runRerankFile({ input, out, rule, filter, modelName: "m" });
        const preds = new Map(
          (await readFile(out, "utf8"))
            .trim()
            .split("\n")
            .map((l) => JSON.parse(l))
            .map((p) => [p.instance_id, p]),
        );
        expect(
          mismatches(group, rule, (c) => ({
            patch: preds.get(c.id).model_patch,
            sample: preds.get(c.id).sample,
          })).slice(0, 5),
        ).toEqual([]);
      }
    }
  });

  it("--run: validation, repair and reproduction_tests records (cases with one result per normalized patch)", async () => {
    const eligible = cases.filter((c) => c.results === "consistent" && c.tests !== null);
    expect(eligible.length).toBeGreaterThan(500);
    const run = await RunStore.open({ runId: "ref", command: "test", config: {}, resultsDir: work });
    for (const c of eligible) {
      const byKey = new Map<string, number[]>();
      for (const s of c.samples) {
        await run.append("repair", { instance_id: c.id, sample: s.sample, patch: s.patch });
        if (s.normalized.trim() !== "") byKey.set(s.normalized, [...(byKey.get(s.normalized) ?? []), s.sample]);
      }
      let k = 0;
      for (const [normalized, samples] of byKey) {
        const first = c.samples[samples[0]!]!;
        await run.append("validation", {
          instance_id: c.id,
          patch_id: `${c.id}-p${k++}`,
          normalized_patch: normalized,
          patch: first.patch,
          samples,
          regression_failures: first.regression_failures,
          reproduction_passed: first.reproduction_passed,
        });
      }
      await run.append("reproduction_tests", {
        instance_id: c.id,
        tests: c.tests!.map((t) => ({ test_id: t, script: "" })),
        top_tests: c.tests!.length,
      });
    }
    for (const rule of RULES) {
      const groups = new Map<string, Case[]>();
      for (const c of eligible)
        groups.set(`${c.filter}/${c.max_tests}`, [...(groups.get(`${c.filter}/${c.max_tests}`) ?? []), c]);
      for (const group of groups.values()) {
        const { filter, max_tests } = group[0]!;
        await rerankRun(
          run,
          group.map((c) => ({ instance_id: c.id }) as Instance),
          { rule, filter, maxTests: max_tests ?? undefined, modelName: "m" },
        );
        const preds = new Map(
          (await readFile(run.path("preds.jsonl"), "utf8"))
            .trim()
            .split("\n")
            .map((l) => JSON.parse(l))
            .map((p) => [p.instance_id, p]),
        );
        expect(
          mismatches(group, rule, (c) => ({
            patch: preds.get(c.id).model_patch,
            sample: preds.get(c.id).sample,
          })).slice(0, 5),
        ).toEqual([]);
      }
    }
  });
});
