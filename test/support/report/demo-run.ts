// One complete, hand-countable run over the demo benchmark (the oracle answered). Outcomes:
// textkit-1 and durations-1 resolved, textkit-2 unresolved (a gold-equivalent patch was
// sampled but rerank chose another), durations-2's tests timed out, ledger-1 hit an
// infrastructure error.
import { loadDataset } from "../../../src/dataset/load.js";
import type { Instance } from "../../../src/dataset/schema.js";
import type { DemoBenchmark } from "../../../src/demo/build.js";
import {
  D1,
  D2,
  L1,
  PATCHES,
  repairRecord,
  runReport,
  stageUsage,
  T1,
  T2,
  validationRecord,
  writeRunDir,
  type SampleSpec,
} from "./run-fixture.js";

export const DEMO_CONFIG = (datasetPath: string) => ({
  dataset: { path: datasetPath, split: "test" },
  model: { provider: "oracle", name: "oracle", temperature: 1 },
  localize: { samples: 2 },
  repair: { samples: 4, locations: "localized" },
  reproduce: { samples: 4, top_tests: 2 },
  regress: { scope: "touched", model_filter: false },
  validate: { isolation: "reuse" },
  rerank: { rule: "swerl" },
});

export async function writeDemoRun(
  bench: DemoBenchmark,
  resultsDir: string,
  runId: string,
  extra: { ablation?: unknown; grading?: boolean } = {},
): Promise<{ dir: string; instances: Map<string, Instance> }> {
  const instances = new Map((await loadDataset(bench.datasetPath)).map((i) => [i.instance_id, i]));
  const gold = (id: string) => instances.get(id)!.patch;
  const ok = (patch: string, reward: number): SampleSpec => ({ patch, format_ok: true, reward });
  const fmt: SampleSpec = { patch: "", format_ok: false, reward: -1 };
  const samples: Record<string, SampleSpec[]> = {
    [T1]: [ok(gold(T1), 1), ok(gold(T1), 1), fmt, ok(PATCHES.textkitWrong, 0.5)],
    [T2]: [
      ok(PATCHES.caseGoldWithComment, 0.8),
      ok(PATCHES.caseWrong, 0.2),
      ok(PATCHES.caseWrong, 0.2),
      { patch: "", format_ok: null, reward: null, model_error: true },
    ],
    [D1]: [ok(PATCHES.parseAlt, 0.6), fmt, ok(PATCHES.parseAlt, 0.6), ok(PATCHES.parseAlt, 0.6)],
    [D2]: [ok(PATCHES.formatWrong, 0.3), fmt, fmt, fmt],
    [L1]: [ok(gold(L1), 1), ok(gold(L1), 1), ok(gold(L1), 1), ok(gold(L1), 1)],
  };
  const repair = Object.entries(samples).flatMap(([id, specs]) => specs.map((s, i) => repairRecord(id, i, s)));
  const repoOf = (id: string) => bench.repoSources[instances.get(id)!.repo];
  const v = async (id: string, patch: string, sampleIds: number[]) =>
    validationRecord(instances.get(id)!, repoOf(id), patch, sampleIds);
  const validation = [
    await v(T1, gold(T1), [0, 1]),
    await v(T1, PATCHES.textkitWrong, [3]),
    await v(T2, PATCHES.caseGoldWithComment, [0]),
    await v(T2, PATCHES.caseWrong, [1, 2]),
    await v(D1, PATCHES.parseAlt, [0, 2, 3]),
    await v(D2, PATCHES.formatWrong, [0]),
    await v(L1, gold(L1), [0, 1, 2, 3]),
  ] as { instance_id: string; patch_id: string; patch: string; samples: number[] }[];
  const chosen = {
    [T1]: validation[0],
    [T2]: validation[3],
    [D1]: validation[4],
    [D2]: validation[5],
    [L1]: validation[6],
  };
  const rerank = Object.entries(chosen).map(([id, c]) => ({
    instance_id: id,
    rule: "swerl",
    filter: "both",
    max_samples: null,
    max_tests: null,
    sample: c.samples[0],
    patch_id: c.patch_id,
    reason: "largest group by |P|·|T|², then majority vote",
    candidates: validation.filter((x) => x.instance_id === id).length,
    samples: 4,
  }));
  const preds = Object.entries(chosen).map(([id, c]) => ({
    instance_id: id,
    model_name_or_path: "oracle",
    model_patch: c.patch,
    sample: c.samples[0],
  }));
  const localization = [
    [T1, 0, ["textkit/slug.py", "textkit/case.py"]],
    [T1, 1, ["textkit/slug.py"]],
    [T2, 0, ["textkit/slug.py"]],
    [T2, 1, null],
    [D1, 0, ["durations/parse.py"]],
    [D2, 0, ["durations/parse.py", "durations/format.py"]],
    [L1, 0, ["ledger/account.py"]],
  ].map(([id, sample, files]) => ({
    instance_id: id,
    stage: "localize",
    sample,
    model: "oracle",
    provider: "oracle",
    found_files: files,
    error: files === null ? "model call failed: timeout" : null,
    created_at: "2026-11-23T20:01:00.000Z",
  }));
  const evaluation = [
    {
      instance_id: L1,
      model_name_or_path: "oracle",
      status: "error",
      error_kind: "infrastructure",
      error: "image sweb.eval.x86_64.swerl-demo__ledger-1:latest not found\nmore",
      timings_ms: { setup: 10, eval: 0, total: 10 },
    },
    {
      instance_id: D2,
      model_name_or_path: "oracle",
      status: "error",
      error_kind: "timed_out",
      error: "Test timed out after 300 seconds.",
      timings_ms: { setup: 900, eval: 300000, total: 300900 },
    },
  ];
  const dir = writeRunDir(resultsDir, runId, {
    config: DEMO_CONFIG(bench.datasetPath),
    usage: { localize: stageUsage(10, 50_000, 2_000, 4_000), repair: stageUsage(20, 400_000, 30_000, 20_000) },
    localization,
    repair,
    validation,
    rerank,
    preds,
    evaluation,
    runReport: runReport({
      resolved: [T1, D1],
      unresolved: [T2],
      errors: { [D2]: "timed_out", [L1]: "infrastructure" },
    }),
    ablation: extra.ablation,
    grading: extra.grading
      ? [
          // Every unique patch graded (ledger-1 not: its image is missing). textkit-2's gold-like patch resolves, the chosen one does not.
          {
            instance_id: T1,
            patch_id: validation[0].patch_id,
            resolved: true,
            error_kind: null,
            created_at: "2026-11-23T21:00:00.000Z",
          },
          {
            instance_id: T1,
            patch_id: validation[1].patch_id,
            resolved: false,
            error_kind: null,
            created_at: "2026-11-23T21:00:00.000Z",
          },
          {
            instance_id: T2,
            patch_id: validation[2].patch_id,
            resolved: true,
            error_kind: null,
            created_at: "2026-11-23T21:00:00.000Z",
          },
          {
            instance_id: T2,
            patch_id: validation[3].patch_id,
            resolved: false,
            error_kind: null,
            created_at: "2026-11-23T21:00:00.000Z",
          },
          {
            instance_id: D1,
            patch_id: validation[4].patch_id,
            resolved: true,
            error_kind: null,
            created_at: "2026-11-23T21:00:00.000Z",
          },
          {
            instance_id: D2,
            patch_id: validation[5].patch_id,
            resolved: false,
            error_kind: "timed_out",
            created_at: "2026-11-23T21:00:00.000Z",
          },
        ]
      : undefined,
  });
  return { dir, instances };
}
