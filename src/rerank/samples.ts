// Per-sample records (one line per sample, as other tools write them) → candidates per
// instance → one prediction per instance. Samples whose normalized patches are equal are one
// candidate; its written patch and its test results are those of its earliest sample.
import { z } from "zod";
import { rerank, type RerankOptions, type RerankResult } from "./rerank.js";

export const sampleLineSchema = z.object({
  instance_id: z.string().min(1),
  sample: z.number().int().min(0),
  patch: z.string(),
  normalized_patch: z.string().optional(),
  regression_failures: z.number().int().min(0).nullable(),
  reproduction_passed: z.array(z.string()).nullable().optional(),
});

export type SampleLine = z.infer<typeof sampleLineSchema>;

export interface Prediction {
  instance_id: string;
  model_name_or_path: string;
  model_patch: string;
  sample: number | null;
}

export interface InstanceChoice { prediction: Prediction; result: RerankResult; samples: number; conflicts: number }

/** Parse one JSONL line; the error names the line and the field. */
export function parseSampleLine(text: string, where: string): SampleLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`${where}: not JSON (${(err as Error).message})`);
  }
  const parsed = sampleLineSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${where}: ${issue.path.join(".") || "line"}: ${issue.message}`);
  }
  return parsed.data;
}

/**
 * Rerank the samples of one instance. `normalize(line)` gives the normalized patch of a line
 * without one. Conflicts counts samples whose test results differ from their candidate's
 * earliest sample (whose results are used).
 */
export function chooseForInstance(
  lines: readonly SampleLine[],
  modelName: string,
  options: RerankOptions,
  normalize: (line: SampleLine) => string,
): InstanceChoice {
  const sorted = [...lines].sort((a, b) => a.sample - b.sample);
  const groups = new Map<string, SampleLine[]>();
  for (const line of sorted) {
    const key = line.normalized_patch ?? normalize(line);
    groups.set(key, [...(groups.get(key) ?? []), line]);
  }
  let conflicts = 0;
  const candidates = [...groups].map(([normalized, members]) => {
    const first = members[0];
    const passedKey = (l: SampleLine) => JSON.stringify(l.reproduction_passed ? [...new Set(l.reproduction_passed)].sort() : null);
    for (const m of members) {
      if (m.regression_failures !== first.regression_failures || passedKey(m) !== passedKey(first)) conflicts++;
    }
    return {
      normalized,
      sampleIndices: members.map((m) => m.sample),
      originalPatch: first.patch,
      regressionFailures: first.regression_failures,
      reproductionPassed: first.reproduction_passed ?? null,
    };
  });
  const result = rerank(candidates, options);
  const prediction = { instance_id: lines[0].instance_id, model_name_or_path: modelName, model_patch: result.patch, sample: result.sample };
  return { prediction, result, samples: lines.length, conflicts };
}

/** Group lines by instance (in first-appearance order), rejecting a sample given twice. */
export function groupByInstance(lines: readonly { line: SampleLine; where: string }[]): Map<string, SampleLine[]> {
  const byInstance = new Map<string, SampleLine[]>();
  const seen = new Map<string, string>();
  for (const { line, where } of lines) {
    const id = `${line.instance_id}#${line.sample}`;
    const before = seen.get(id);
    if (before) throw new Error(`${where}: sample ${line.sample} of ${line.instance_id} already given at ${before}`);
    seen.set(id, where);
    byInstance.set(line.instance_id, [...(byInstance.get(line.instance_id) ?? []), line]);
  }
  return byInstance;
}
