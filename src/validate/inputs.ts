// What validation reads from a run (docs/pipeline-records.md): the latest repair sample of each
// (instance, sample), the latest regression record and reproduction_tests record of each
// instance, and its own validation records (resume). A bad line names its file and line.
import { createReadStream, existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { z } from "zod";
import type { RunStore } from "../store/run-store.js";
import { VALIDATION_STAGE, type ValidationRecord } from "./records.js";

export const regressionRecordSchema = z.object({
  instance_id: z.string().min(1),
  command: z.string(),
  log_parser: z.string().min(1),
  selected_tests: z.array(z.string()),
  error: z.string().nullable().optional(),
}).passthrough();
export type RegressionInput = z.infer<typeof regressionRecordSchema>;

export const reproductionTestsSchema = z.object({
  instance_id: z.string().min(1),
  tests: z.array(z.object({ test_id: z.string().min(1), script: z.string() }).passthrough()),
  top_tests: z.number().int().nonnegative(),
}).passthrough();
export type ReproductionTestsInput = z.infer<typeof reproductionTestsSchema>;

const repairSampleSchema = z.object({ instance_id: z.string().min(1), sample: z.number().int().min(0), patch: z.string() });
export interface RepairSample { instance_id: string; sample: number; patch: string }

/** Every JSON line of a stage file (none if the file is absent), checked against a schema. */
async function* lines<T>(path: string, schema: z.ZodType<T>): AsyncGenerator<T> {
  if (!existsSync(path)) return;
  let n = 0;
  for await (const text of createInterface({ input: createReadStream(path, "utf8"), crlfDelay: Infinity })) {
    n++;
    if (text.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new Error(`${path}:${n}: not JSON (${(err as Error).message})`);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(`${path}:${n}: ${issue.path.join(".") || "line"}: ${issue.message}`);
    }
    yield parsed.data;
  }
}

/** instance → its samples (latest record per sample), sorted by sample index. */
export async function repairSamples(run: RunStore, ids: ReadonlySet<string>): Promise<Map<string, RepairSample[]>> {
  const latest = new Map<string, Map<number, string>>();
  for await (const r of lines(run.stagePath("repair"), repairSampleSchema)) {
    if (!ids.has(r.instance_id)) continue;
    if (!latest.has(r.instance_id)) latest.set(r.instance_id, new Map());
    latest.get(r.instance_id)!.set(r.sample, r.patch);
  }
  return new Map([...latest].map(([id, m]) => [id, [...m].sort((a, b) => a[0] - b[0]).map(([sample, patch]) => ({ instance_id: id, sample, patch }))]));
}

async function latestByInstance<T extends { instance_id: string }>(path: string, schema: z.ZodType<T>, ids: ReadonlySet<string>): Promise<Map<string, T>> {
  const out = new Map<string, T>();
  for await (const r of lines(path, schema)) if (ids.has(r.instance_id)) out.set(r.instance_id, r);
  return out;
}

export const regressionRecords = (run: RunStore, ids: ReadonlySet<string>) =>
  latestByInstance(run.stagePath("regression"), regressionRecordSchema, ids);

export const reproductionTests = (run: RunStore, ids: ReadonlySet<string>) =>
  latestByInstance(run.stagePath("reproduction_tests"), reproductionTestsSchema, ids);

/** (instance, patch_id) → its latest validation record. */
export async function validationRecords(run: RunStore): Promise<Map<string, ValidationRecord>> {
  const out = new Map<string, ValidationRecord>();
  for await (const r of run.records<ValidationRecord>(VALIDATION_STAGE)) out.set(`${r.instance_id}\u0000${r.patch_id}`, r);
  return out;
}
