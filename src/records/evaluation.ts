// The evaluate stage's records: one line per graded instance in results/<run>/evaluation/
// (the harness's report.json per instance beside it), and grading.jsonl of `--grade-all`:
// one line per (instance, unique validated patch) graded officially.
import type { RunStore } from "../store/run-store.js";
import { RECORD_FILES } from "./files.js";

export type ErrorKind = "patch_apply_failed" | "timed_out" | "infrastructure";

export interface EvaluationRecord {
  instance_id: string;
  model_name_or_path: string;
  status: "resolved" | "unresolved" | "error";
  error_kind?: ErrorKind;
  error?: string;
  apply_method?: string;
  /** The Docker engine that graded it (several engines: see src/docker/engines.ts). */
  engine?: string;
  timings_ms: { setup: number; eval: number; total: number };
}

export const GRADING_STAGE = RECORD_FILES.grading;

export interface GradingRecord {
  instance_id: string;
  patch_id: string;
  resolved: boolean | null;
  error_kind: string | null;
  error?: string;
  created_at: string;
}

export const gradingKey = (instanceId: string, patchId: string) => `${instanceId}\u0000${patchId}`;

/** The latest grading record of every (instance, patch_id). */
export async function gradedPatches(run: RunStore): Promise<Map<string, GradingRecord>> {
  const out = new Map<string, GradingRecord>();
  for await (const r of run.records<GradingRecord>(GRADING_STAGE)) out.set(gradingKey(r.instance_id, r.patch_id), r);
  return out;
}
