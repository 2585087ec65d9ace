// Predictions as the SWE-bench harness takes them: JSONL (or a JSON list) of
// {instance_id, model_name_or_path, model_patch}, or the words "gold" (the dataset's own
// patches) and "empty" (no patch at all). Each line is validated; a bad one is named.
import { createReadStream, existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import { z } from "zod";
import type { Instance } from "../dataset/schema.js";
import { InputError } from "../util/input-error.js";

export const predictionSchema = z.object({
  instance_id: z.string().min(1),
  model_name_or_path: z
    .string()
    .nullish()
    .transform((v) => v ?? "None"),
  model_patch: z.string().nullish(),
});
export type Prediction = z.infer<typeof predictionSchema>;

export class PredictionsError extends InputError {}

function parsePrediction(raw: unknown, where: string): Prediction {
  const r = predictionSchema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw new PredictionsError(`${where}: field ${issue.path.join(".") || "(row)"} ${issue.message}`);
}

async function readPredictionFile(path: string): Promise<Prediction[]> {
  if (!existsSync(path)) throw new PredictionsError(`${path}: no such predictions file (or use "gold" / "empty")`);
  if (path.endsWith(".json")) {
    let data: unknown;
    try {
      data = JSON.parse(await readFile(path, "utf8"));
    } catch (err) {
      throw new PredictionsError(`${path}: not valid JSON (${(err as Error).message})`);
    }
    const list = Array.isArray(data) ? data : data && typeof data === "object" ? Object.values(data) : null;
    if (!list) throw new PredictionsError(`${path}: expected a JSON list (or map) of predictions`);
    return list.map((row, i) => parsePrediction(row, `${path} item ${i}`));
  }
  const out: Prediction[] = [];
  let n = 0;
  for await (const line of createInterface({ input: createReadStream(path, "utf8"), crlfDelay: Infinity })) {
    n++;
    if (!line.trim()) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (err) {
      throw new PredictionsError(`${path} line ${n}: not valid JSON (${(err as Error).message})`);
    }
    out.push(parsePrediction(raw, `${path} line ${n}`));
  }
  return out;
}

/**
 * Predictions for the selected instances, keyed by instance id. Duplicates and ids that are
 * not in the whole dataset (`allIds`) are errors, as in the harness; predictions for
 * instances outside the selection are left out.
 */
export async function loadPredictions(
  source: string,
  dataset: Instance[],
  allIds: Set<string>,
): Promise<Map<string, Prediction>> {
  const list: Prediction[] =
    source === "gold"
      ? dataset.map((i) => ({ instance_id: i.instance_id, model_name_or_path: "gold", model_patch: i.patch }))
      : source === "empty"
        ? dataset.map((i) => ({ instance_id: i.instance_id, model_name_or_path: "empty", model_patch: "" }))
        : await readPredictionFile(source);
  const byId = new Map<string, Prediction>();
  for (const p of list) {
    if (byId.has(p.instance_id)) throw new PredictionsError(`${source}: two predictions for ${p.instance_id}`);
    byId.set(p.instance_id, p);
  }
  const unknown = [...byId.keys()].filter((id) => !allIds.has(id));
  if (unknown.length)
    throw new PredictionsError(
      `${source}: predictions for instances not in the dataset: ${unknown.slice(0, 10).join(" ")}${unknown.length > 10 ? " …" : ""}`,
    );
  const selected = new Set(dataset.map((i) => i.instance_id));
  for (const id of byId.keys()) if (!selected.has(id)) byId.delete(id);
  return byId;
}

export const isEmptyPatch = (p: Prediction): boolean => p.model_patch == null || p.model_patch === "";
