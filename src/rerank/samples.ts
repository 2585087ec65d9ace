// Per-sample records (one line per sample, as other tools write them) → one prediction per
// instance. Every sample keeps its own patch as written and its own test results.
import { z } from "zod";
import { rerank, type RerankOptions, type RerankResult, type RerankSample } from "./rerank.js";

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

export interface InstanceChoice {
  prediction: Prediction;
  result: RerankResult;
  samples: number;
  conflicts: number;
}

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
 * Rerank the samples of one instance; each sample keeps its own test results (as the references
 * do), except under swerl-tiebreak, which uses the earliest sample's results for every sample of
 * a normalized patch. `normalize(line)` gives the normalized patch of a line without one.
 * Conflicts counts samples whose results differ from the earliest sample of their normalized patch.
 */
export function chooseForInstance(
  lines: readonly SampleLine[],
  modelName: string,
  options: RerankOptions,
  normalize: (line: SampleLine) => string,
): InstanceChoice {
  const sorted = [...lines].sort((a, b) => a.sample - b.sample);
  const firstOf = new Map<string, SampleLine>();
  const passedKey = (l: SampleLine) =>
    JSON.stringify(l.reproduction_passed ? [...new Set(l.reproduction_passed)].sort() : null);
  let conflicts = 0;
  const samples: RerankSample[] = sorted.map((line) => {
    const normalized = line.normalized_patch ?? normalize(line);
    const key = normalized.trim();
    const first = firstOf.get(key);
    if (!first) firstOf.set(key, line);
    else if (
      key !== "" &&
      (line.regression_failures !== first.regression_failures || passedKey(line) !== passedKey(first))
    )
      conflicts++;
    return {
      sample: line.sample,
      normalized,
      patch: line.patch,
      regressionFailures: line.regression_failures,
      reproductionPassed: line.reproduction_passed ?? null,
    };
  });
  const result = rerank(samples, options);
  const prediction = {
    instance_id: lines[0]!.instance_id,
    model_name_or_path: modelName,
    model_patch: result.patch,
    sample: result.sample,
  };
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
