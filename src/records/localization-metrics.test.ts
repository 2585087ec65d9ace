// Localization metrics against the gold patch's files, by hand on small cases.
import { describe, expect, it } from "vitest";
import type { Instance } from "../dataset/schema.js";
import { goldLocalizationFiles, localizationMetrics } from "./localization-metrics.js";

const modify = (path: string) =>
  `diff --git a/${path} b/${path}\nindex 1111111..2222222 100644\n--- a/${path}\n+++ b/${path}\n@@ -1 +1 @@\n-old\n+new\n`;
const create = (path: string) =>
  `diff --git a/${path} b/${path}\nnew file mode 100644\nindex 0000000..2222222\n--- /dev/null\n+++ b/${path}\n@@ -0,0 +1 @@\n+new\n`;

const inst = (instance_id: string, patch: string): Instance =>
  ({
    instance_id,
    repo: "o/r",
    base_commit: "0".repeat(40),
    patch,
    test_patch: "",
    problem_statement: "",
    hints_text: "",
    created_at: "",
    version: "1",
    environment_setup_commit: "",
    FAIL_TO_PASS: [],
    PASS_TO_PASS: [],
  }) as Instance;

describe("localization metrics", () => {
  it("gold files: the .py files the patch modifies, not those it creates nor non-.py files", () => {
    expect(
      goldLocalizationFiles(modify("a/x.py") + modify("docs/index.rst") + create("a/new.py") + modify("a/y.py")),
    ).toEqual(["a/x.py", "a/y.py"]);
    expect(goldLocalizationFiles("")).toEqual([]);
    expect(goldLocalizationFiles("diff --git a/x.py b/x.py\n--- a/x.py\n+++ b/x.py\n@@ -1,3 +1 @@\n-a\n")).toBeNull();
  });

  it("any-hit, all-hit, set sizes and coverage per instance and overall; the latest record of a sample wins", () => {
    const instances = [
      inst("A", modify("x.py") + modify("y.py")),
      inst("B", modify("q.py")),
      inst("C", modify("c.py")),
      inst("D", modify("README.md") + create("d.py")),
    ];
    const records = [
      { instance_id: "A", sample: 0, found_files: ["x.py"], error: null },
      { instance_id: "A", sample: 1, found_files: ["z.py"], error: null },
      { instance_id: "A", sample: 1, found_files: ["x.py", "z.py", "y.py"], error: null }, // a retry: wins
      { instance_id: "A", sample: 2, found_files: null, error: "model call failed: timeout" },
      { instance_id: "B", sample: 0, found_files: ["r.py"], error: null },
      { instance_id: "B", sample: 1, found_files: [], error: "empty answer" },
      { instance_id: "Z", sample: 0, found_files: ["q.py"], error: null }, // not among the instances
    ];
    const m = localizationMetrics(records, instances);
    expect(m.per_instance).toEqual([
      {
        instance_id: "A",
        gold_files: ["x.py", "y.py"],
        samples: 3,
        unique_sets: 2,
        any_hit: true,
        all_hit: true,
        mean_set_size: 4 / 3,
        max_coverage: 1,
        mean_coverage: (0.5 + 1 + 0) / 3,
      },
      {
        instance_id: "B",
        gold_files: ["q.py"],
        samples: 2,
        unique_sets: 1,
        any_hit: false,
        all_hit: false,
        mean_set_size: 0.5,
        max_coverage: 0,
        mean_coverage: 0,
      },
      {
        instance_id: "C",
        gold_files: ["c.py"],
        samples: 0,
        unique_sets: 0,
        any_hit: false,
        all_hit: false,
        mean_set_size: 0,
        max_coverage: 0,
        mean_coverage: 0,
      },
    ]);
    expect(m).toMatchObject({
      instances: 3,
      any_hit_count: 1,
      all_hit_count: 1,
      any_hit: 1 / 3,
      all_hit: 1 / 3,
      mean_set_size: 5 / 5,
      not_localized: ["C"],
      no_gold: ["D"],
      no_files: 0,
    });
    expect(m.mean_max_coverage).toBeCloseTo(1 / 3, 12);
    expect(m.mean_coverage).toBeCloseTo(0.5 / 3, 12);
  });

  it("all-hit needs one set holding every gold file, not the union of sets", () => {
    const m = localizationMetrics(
      [
        { instance_id: "A", sample: 0, found_files: ["x.py"], error: null },
        { instance_id: "A", sample: 1, found_files: ["y.py"], error: null },
      ],
      [inst("A", modify("x.py") + modify("y.py"))],
    );
    expect(m).toMatchObject({ any_hit: 1, all_hit: 0 });
    const none = localizationMetrics(
      [{ instance_id: "A", sample: 0, found_files: [], error: "empty answer" }],
      [inst("A", modify("x.py"))],
    );
    expect(none).toMatchObject({ any_hit: 0, no_files: 1, mean_set_size: 0 });
  });
});
