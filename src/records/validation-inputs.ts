// What validation reads from a run (docs/pipeline-records.md): the latest repair sample of each
// (instance, sample), the latest regression record and reproduction_tests record of each
// instance, and its own validation records (resume). A bad line names its file and line.
import { createReadStream, existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { z } from "zod";
import { linesWithOffsets, readRecordsAt } from "../store/jsonl.js";
import type { RunStore } from "../store/run-store.js";
import { VALIDATION_STAGE, type ValidationRecord } from "./validation.js";
import { regressionRecordSchema } from "./regression.js";
import { reproductionTestsSchema } from "./reproduction.js";

const repairSampleSchema = z.object({ instance_id: z.string().min(1), sample: z.number().int().min(0), patch: z.string() });
export interface RepairSample { instance_id: string; sample: number; patch: string }

const checked = <T>(value: unknown, schema: z.ZodType<T>, where: string): T => {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new Error(`${where}: ${issue.path.join(".") || "line"}: ${issue.message}`);
};

/** Every JSON line of a stage file (none if the file is absent), checked against a schema. */
async function* lines<T>(path: string, schema: z.ZodType<T>): AsyncGenerator<T> {
  if (!existsSync(path)) return;
  let n = 0;
  for await (const text of createInterface({ input: createReadStream(path, "utf8"), crlfDelay: Infinity })) {
    n++;
    if (text.trim() === "") continue;
    yield parsedLine(text, schema, `${path}:${n}`);
  }
}

/** One JSON line checked against a schema; errors name `where` (file:line). */
function parsedLine<T>(text: string, schema: z.ZodType<T>, where: string): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`${where}: not JSON (${(err as Error).message})`);
  }
  return checked(value, schema, where);
}

/** The byte offset of each instance's latest repair record per sample: instance → sample → offset. */
export type RepairIndex = Map<string, Map<number, number>>;


/**
 * One pass over repair.jsonl that keeps only where each instance's latest samples are: a
 * paper-scale run has 250,000 records of 10–30 KB, read again one instance at a time.
 */
export async function repairIndex(run: RunStore, ids: ReadonlySet<string>): Promise<RepairIndex> {
  const path = run.stagePath("repair");
  const index: RepairIndex = new Map();
  let n = 0;
  for await (const { offset, text } of linesWithOffsets(path)) {
    n++;
    if (text.trim() === "") continue;
    const r = parsedLine(text, repairSampleSchema, `${path}:${n}`);
    if (!ids.has(r.instance_id)) continue;
    if (!index.has(r.instance_id)) index.set(r.instance_id, new Map());
    index.get(r.instance_id)!.set(r.sample, offset);
  }
  return index;
}

/** One instance's samples (latest record per sample, sorted by sample index), read at their offsets. */
export async function repairSamplesAt(run: RunStore, offsets: ReadonlyMap<number, number>): Promise<RepairSample[]> {
  if (offsets.size === 0) return []; // no sample (and maybe no repair.jsonl): nothing to open
  const path = run.stagePath("repair");
  const entries = [...offsets].sort((a, b) => a[0] - b[0]);
  const records = await readRecordsAt<unknown>(path, entries.map(([, offset]) => offset));
  return records.map((value, i) => {
    const r = checked(value, repairSampleSchema, `${path} byte ${entries[i]![1]}`);
    return { instance_id: r.instance_id, sample: r.sample, patch: r.patch };
  });
}

/** instance → its samples (latest record per sample), sorted by sample index. */
export async function repairSamples(run: RunStore, ids: ReadonlySet<string>): Promise<Map<string, RepairSample[]>> {
  const index = await repairIndex(run, ids);
  const out = new Map<string, RepairSample[]>();
  for (const [id, offsets] of index) out.set(id, await repairSamplesAt(run, offsets));
  return out;
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

/** instance → patch_id → byte offset of its latest validation record (one pass; records not kept). */
export async function validationIndex(run: RunStore, ids: ReadonlySet<string>): Promise<Map<string, Map<string, number>>> {
  const path = run.stagePath(VALIDATION_STAGE);
  const index = new Map<string, Map<string, number>>();
  let n = 0;
  for await (const { offset, text } of linesWithOffsets(path)) {
    n++;
    if (text.trim() === "") continue;
    let r: { instance_id?: unknown; patch_id?: unknown };
    try {
      r = JSON.parse(text) as typeof r;
    } catch (err) {
      throw new Error(`${path}:${n}: not JSON (${(err as Error).message})`);
    }
    if (typeof r.instance_id !== "string" || typeof r.patch_id !== "string") throw new Error(`${path}:${n}: instance_id and patch_id must be strings`);
    if (!ids.has(r.instance_id)) continue;
    if (!index.has(r.instance_id)) index.set(r.instance_id, new Map());
    index.get(r.instance_id)!.set(r.patch_id, offset);
  }
  return index;
}

/** One instance's latest validation records, read at their offsets (from validationIndex). */
export const validationRecordsAt = (run: RunStore, offsets: ReadonlyMap<string, number> | undefined): Promise<ValidationRecord[]> =>
  offsets ? readRecordsAt<ValidationRecord>(run.stagePath(VALIDATION_STAGE), [...offsets.values()]) : Promise.resolve([]);

/** (instance, patch_id) → its latest validation record. */
export async function validationRecords(run: RunStore): Promise<Map<string, ValidationRecord>> {
  const out = new Map<string, ValidationRecord>();
  for await (const r of run.records<ValidationRecord>(VALIDATION_STAGE)) out.set(`${r.instance_id}\u0000${r.patch_id}`, r);
  return out;
}
