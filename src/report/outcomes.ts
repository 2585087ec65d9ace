// The graded outcome of each instance's chosen patch, from run_report.json (the harness's
// id lists plus swerl's error_kinds). Failures of the patch (it does not apply, its tests
// time out, it is empty, there is none) are kept apart from infrastructure errors (Docker,
// a missing image), which say nothing about the model.
import type { RunReport } from "../records/run-report.js";

export type Outcome =
  | "resolved"
  | "unresolved"
  | "empty_patch"
  | "no_prediction"
  | "patch_apply_failed"
  | "timed_out"
  | "infrastructure_error"
  | "not_evaluated";

export const FAILURE_OUTCOMES: readonly Outcome[] = [
  "unresolved",
  "empty_patch",
  "no_prediction",
  "patch_apply_failed",
  "timed_out",
];

/** instance → outcome, for every instance the run report covers. */
export function outcomesFromRunReport(report: RunReport): Map<string, Outcome> {
  const out = new Map<string, Outcome>();
  for (const id of report.incomplete_ids ?? []) out.set(id, "no_prediction");
  for (const id of report.empty_patch_ids ?? []) out.set(id, "empty_patch");
  for (const id of report.unresolved_ids ?? []) out.set(id, "unresolved");
  for (const id of report.resolved_ids ?? []) out.set(id, "resolved");
  for (const id of report.error_ids ?? []) {
    const kind = report.error_kinds?.[id];
    out.set(
      id,
      kind === "patch_apply_failed"
        ? "patch_apply_failed"
        : kind === "timed_out"
          ? "timed_out"
          : "infrastructure_error",
    );
  }
  return out;
}

/** Repo of an instance id when the dataset is not at hand: "owner__name-123" → "owner/name". */
export function repoFromInstanceId(id: string): string {
  const sep = id.indexOf("__");
  if (sep < 0) return "unknown";
  return `${id.slice(0, sep)}/${id.slice(sep + 2).replace(/-\d+$/, "")}`;
}
