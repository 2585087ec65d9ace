// validation.jsonl: one line per (instance, patch_id); see docs/pipeline-records.md.
import { createHash } from "node:crypto";
import { RECORD_FILES } from "./files.js";
import type { Isolation } from "../testbed/testbed.js";
import type { RegressionInput } from "./regression.js";
import type { ReproductionTestsInput } from "./reproduction.js";

export const VALIDATION_STAGE = RECORD_FILES.validation;

export type ReproductionOutcome = "reproduced" | "resolved" | "other" | "no_verdict" | "timed_out" | "error";

export interface ValidationRecord {
  instance_id: string;
  patch_id: string;
  normalized_patch: string;
  /** The earliest sample's original patch. */
  patch: string;
  samples: number[];
  isolation: Isolation;
  applied: boolean;
  apply_method: string | null;
  /** Selected regression tests that did not pass; null = no result (no regression record, not applied, timeout, violation). */
  regression_failures: number | null;
  regression_failed_tests: string[];
  /** test_ids that printed "Issue resolved"; null = no result (no kept tests, not applied). */
  reproduction_passed: string[] | null;
  reproduction_outcomes: Record<string, ReproductionOutcome>;
  violation: string | null;
  timed_out: boolean;
  /** Infrastructure error (the patch was not validated; a later run tries again). */
  error: string | null;
  /** ms; install: the reinstall after the patch (when one ran). */
  timings_ms: {
    apply: number;
    regression: number;
    reproduction: number;
    reset: number;
    total: number;
    install?: number;
  };
  /**
   * Exit status of the spec's install step run after the patch (see reinstall.ts); absent when
   * none ran, null when it never reported back.
   */
  reinstall_exit?: number | null;
  /** Digests of the regression and reproduction inputs used (null = absent): changed inputs → validated again. */
  inputs: { regression: string | null; reproduction: string | null };
  created_at: string;
}

const sha = (text: string): string => createHash("sha1").update(text).digest("hex");

/** patch_id: first 16 hex of sha1(normalized patch). */
export const patchIdOf = (normalized: string): string => sha(normalized).slice(0, 16);

export const regressionDigest = (r: RegressionInput | undefined): string | null =>
  r ? sha(JSON.stringify([r.command, r.log_parser, r.selected_tests])).slice(0, 16) : null;

/** The tests validation runs: the first top_tests of the ranked list. */
export const keptTests = (r: ReproductionTestsInput | undefined) => (r ? r.tests.slice(0, r.top_tests) : []);

export const reproductionDigest = (r: ReproductionTestsInput | undefined): string | null =>
  r ? sha(JSON.stringify(keptTests(r).map((t) => [t.test_id, t.script]))).slice(0, 16) : null;

export interface ValidateSummary {
  instances: number;
  /** Unique non-empty normalized patches of the selected instances. */
  patches: number;
  validated: number;
  /** Already recorded with the same inputs (only the sample list may have been updated). */
  reused: number;
  applied: number;
  /** Patches after which the spec's install step ran (see reinstall.ts). */
  reinstalled: number;
  violations: number;
  timed_out: number;
  errors: number;
  /** instance → why it was not validated. */
  failed_instances: Record<string, string>;
  wall_ms: number;
  test_ms: number;
}

export function formatValidateSummary(s: ValidateSummary): string {
  const lines = [
    `Instances: ${s.instances} (${Object.keys(s.failed_instances).length} failed)`,
    `Unique patches: ${s.patches} (${s.validated} validated now, ${s.reused} already recorded)`,
    `Applied: ${s.applied}/${s.validated}; reinstalled after the patch: ${s.reinstalled}; violations: ${s.violations}; ` +
      `timed out: ${s.timed_out}; infrastructure errors: ${s.errors}`,
    `Wall time: ${(s.wall_ms / 1000).toFixed(1)} s; test time in containers: ${(s.test_ms / 1000).toFixed(1)} s`,
  ];
  for (const [id, why] of Object.entries(s.failed_instances)) lines.push(`  ${id}: ${why}`);
  return lines.join("\n") + "\n";
}
