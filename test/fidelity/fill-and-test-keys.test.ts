// Location fill and the reproduction-test vote key against the references' own outputs, run
// once with python3 (scripts/fidelity/generate_fill_cases.py, run_reference_fill.py):
// - SWE-RL's fill (agentless_mini/repair.py process_loc) = repair.location_fill: cycle;
// - Agentless 1.5's sample order over its per-set repair runs (repair/rerank.py _load_results)
//   = repair.location_fill: per_set (sample s: set s mod K, the (s div K)-th of that set);
// - Agentless 1.5's normalize_test(code).strip() = reproduce.normalize: agentless.
import { gunzipSync } from "node:zlib";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isFirstOfSet, locationSetIndex, repairLocationSets } from "../../src/records/locations.js";
import { sharedAstWorker } from "../../src/pyast/worker.js";
import { normalizeTest } from "../../src/reproduce/script.js";

interface Data {
  fill: Array<{ id: number; sets: string[][]; samples: number; ref: string[][] | null }>;
  order: Array<{ id: number; sets: number; per_set: number; ref: Array<[number, number]> }>;
  test_keys: Array<{ id: number; code: string; ref: { key: string | null } }>;
}

const data = JSON.parse(
  gunzipSync(readFileSync(new URL("./fill-and-test-keys-reference.json.gz", import.meta.url))).toString("utf8"),
) as Data;

describe("location fill equals the references", () => {
  it("cycle: SWE-RL's location set of every repair sample, on 600 cases", () => {
    expect(data.fill.length).toBeGreaterThanOrEqual(500);
    expect(data.fill.filter((c) => c.ref === null).length).toBeGreaterThan(5); // every set empty: no repair
    const bad = data.fill
      .filter((c) => {
        const sets = repairLocationSets(c.sets, c.samples, "cycle");
        const ours =
          sets.length === 0
            ? null
            : Array.from({ length: c.samples }, (_, s) => sets[locationSetIndex(s, sets.length)]);
        return JSON.stringify(ours) !== JSON.stringify(c.ref);
      })
      .map((c) => c.id);
    expect(bad).toEqual([]);
  });

  it("per_set: Agentless 1.5's rerank reads sample i of each set's run in turn (60 shapes)", () => {
    const bad = data.order
      .filter((c) => {
        const n = c.sets * c.per_set;
        const ours = Array.from({ length: n }, (_, s) => [locationSetIndex(s, c.sets), Math.floor(s / c.sets)]);
        return JSON.stringify(ours) !== JSON.stringify(c.ref);
      })
      .map((c) => c.id);
    expect(bad).toEqual([]);
    // the greedy sample of each run is its sample 0: the first K of swerl's numbering
    for (const c of data.order) {
      c.ref.forEach(([, round], s) => expect(isFirstOfSet(s, c.sets)).toBe(round === 0));
    }
  });

  it("per_set keeps every localization sample's set, duplicates and empty ones included", () => {
    const sets = [["a.py"], [], ["a.py"], ["b.py", "a.py"]];
    expect(repairLocationSets(sets, 40, "per_set")).toEqual(sets);
    expect(repairLocationSets([[], []], 40, "per_set")).toEqual([]);
    expect(repairLocationSets(sets, 40, "cycle")).toEqual([["a.py"], ["b.py", "a.py"]]);
  });
});

describe("reproduction-test vote key equals Agentless's normalize_test", () => {
  it("reproduce.normalize agentless (python3 worker): 600/600, on the script the stage writes", async () => {
    expect(data.test_keys.length).toBeGreaterThanOrEqual(500);
    // the stage passes the extracted script (the stripped block + "\n")
    const keys = await sharedAstWorker().testVoteKeys(data.test_keys.map((c) => c.code + "\n"));
    const bad = data.test_keys.filter((c, k) => keys[k] !== (c.ref.key ?? "")).map((c) => c.id);
    expect(bad).toEqual([]);
    expect(new Set(keys).size).toBeGreaterThan(20);
  });

  it("the canonical form (reproduce.normalize canonical) differs from it on many of the same cases", () => {
    const differ = data.test_keys.filter(
      (c) => c.code !== "" && normalizeTest(c.code + "\n", "agentless") !== c.ref.key,
    ).length;
    expect(differ).toBeGreaterThan(100);
  });
});
