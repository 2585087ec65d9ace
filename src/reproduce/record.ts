// reproduction.jsonl's records (one per instance and test sample) and how the reproducing
// samples' tests are ranked for reproduction_tests.jsonl (docs/pipeline-records.md).
import type { TokenUsage } from "../model/types.js";
import { RECORD_FILES } from "../records/files.js";
import type { ReproductionOutcome } from "../records/validation.js";
import type { REPRODUCE_STAGE } from "./script.js";

export const REPRODUCTION_STAGE = RECORD_FILES.reproduction;
export const REPRODUCTION_TESTS_STAGE = RECORD_FILES.reproductionTests;

export interface ReproductionRecord {
  instance_id: string;
  stage: typeof REPRODUCE_STAGE;
  sample: number;
  model: string;
  provider: string;
  /** The model's answer (null when the call failed), plain or gzip-compressed: read it with rawOutputOf (store/raw-output.ts). */
  raw_output?: string | null;
  raw_output_gz?: string;
  script: string | null;
  parse_error: string | null;
  normalized: string | null;
  test_id: string | null;
  run: { outcome: ReproductionOutcome; exit_code: number | null; duration_ms: number; output_tail: string } | null;
  reproduces: boolean;
  usage: TokenUsage;
  latency_ms: number;
  cached: boolean;
  model_error: string | null;
  oracle_variant: string | null;
  created_at: string;
}

export interface RankedTest {
  test_id: string;
  script: string;
  votes: number;
  samples: number[];
}

export interface ReproduceSummary {
  instances: number;
  samples: number;
  reproducing: number;
  unique_tests: number;
  errors: number;
}

/** Rank the reproducing samples' tests: votes (samples normalizing alike) desc, then earliest sample. */
export function rankTests(records: readonly ReproductionRecord[]): RankedTest[] {
  const byId = new Map<string, RankedTest>();
  for (const r of [...records].sort((a, b) => a.sample - b.sample)) {
    if (!r.reproduces || !r.test_id || !r.script) continue;
    const t = byId.get(r.test_id);
    if (t) {
      t.votes++;
      t.samples.push(r.sample);
    } else byId.set(r.test_id, { test_id: r.test_id, script: r.script, votes: 1, samples: [r.sample] });
  }
  return [...byId.values()].sort((a, b) => b.votes - a.votes || a.samples[0]! - b.samples[0]!);
}
