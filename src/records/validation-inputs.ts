// What validation reads from a run (docs/pipeline-records.md): the latest repair sample of each
// (instance, sample), the latest regression record and reproduction_tests record of each
// instance, and its own validation records (resume). A bad line names its file and line.
import { z } from "zod";
import { checkedLine, checkedValue, linesWithOffsets, readCheckedRecords, readRecordsAt } from "../store/jsonl.js";
import type { RunStore } from "../store/run-store.js";
import { VALIDATION_STAGE, type ValidationRecord } from "./validation.js";
import { RECORD_FILES } from "./files.js";
import { regressionRecordSchema } from "./regression.js";
import { reproductionTestsSchema } from "./reproduction.js";

const repairSampleSchema = z.object({
  instance_id: z.string().min(1),
  sample: z.number().int().min(0),
  patch: z.string(),
});
export interface RepairSample {
  instance_id: string;
  sample: number;
  patch: string;
}
const validationKeySchema = z.object({ instance_id: z.string(), patch_id: z.string() });

/** The byte offset of each instance's latest repair record per sample: instance → sample → offset. */
export type RepairIndex = Map<string, Map<number, number>>;

/**
 * One pass over repair.jsonl that keeps only where each instance's latest samples are: a
 * paper-scale run has 250,000 records of 10–30 KB, read again one instance at a time.
 */
export async function repairIndex(run: RunStore, ids: ReadonlySet<string>): Promise<RepairIndex> {
  const path = run.stagePath(RECORD_FILES.repair);
  const index: RepairIndex = new Map();
  let n = 0;
  for await (const { offset, text } of linesWithOffsets(path)) {
    n++;
    if (text.trim() === "") continue;
    const r = checkedLine(text, repairSampleSchema, `${path}:${n}`);
    if (!ids.has(r.instance_id)) continue;
    if (!index.has(r.instance_id)) index.set(r.instance_id, new Map());
    index.get(r.instance_id)!.set(r.sample, offset);
  }
  return index;
}

/** One instance's samples (latest record per sample, sorted by sample index), read at their offsets. */
export async function repairSamplesAt(run: RunStore, offsets: ReadonlyMap<number, number>): Promise<RepairSample[]> {
  if (offsets.size === 0) return []; // no sample (and maybe no repair.jsonl): nothing to open
  const path = run.stagePath(RECORD_FILES.repair);
  const entries = [...offsets].sort((a, b) => a[0] - b[0]);
  const records = await readRecordsAt<unknown>(
    path,
    entries.map(([, offset]) => offset),
  );
  return records.map((value, i) => {
    const r = checkedValue(value, repairSampleSchema, `${path} byte ${entries[i]![1]}`);
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

async function latestByInstance<T extends { instance_id: string }>(
  path: string,
  schema: z.ZodType<T>,
  ids: ReadonlySet<string>,
): Promise<Map<string, T>> {
  const out = new Map<string, T>();
  for await (const r of readCheckedRecords(path, schema)) if (ids.has(r.instance_id)) out.set(r.instance_id, r);
  return out;
}

export const regressionRecords = (run: RunStore, ids: ReadonlySet<string>) =>
  latestByInstance(run.stagePath(RECORD_FILES.regression), regressionRecordSchema, ids);

export const reproductionTests = (run: RunStore, ids: ReadonlySet<string>) =>
  latestByInstance(run.stagePath(RECORD_FILES.reproductionTests), reproductionTestsSchema, ids);

/** instance → patch_id → byte offset of its latest validation record (one pass; records not kept). */
export async function validationIndex(
  run: RunStore,
  ids: ReadonlySet<string>,
): Promise<Map<string, Map<string, number>>> {
  const path = run.stagePath(VALIDATION_STAGE);
  const index = new Map<string, Map<string, number>>();
  let n = 0;
  for await (const { offset, text } of linesWithOffsets(path)) {
    n++;
    if (text.trim() === "") continue;
    const r = checkedLine(text, validationKeySchema, `${path}:${n}`);
    if (!ids.has(r.instance_id)) continue;
    if (!index.has(r.instance_id)) index.set(r.instance_id, new Map());
    index.get(r.instance_id)!.set(r.patch_id, offset);
  }
  return index;
}

/** One instance's latest validation records, read at their offsets (from validationIndex). */
export const validationRecordsAt = (
  run: RunStore,
  offsets: ReadonlyMap<string, number> | undefined,
): Promise<ValidationRecord[]> =>
  offsets
    ? readRecordsAt<ValidationRecord>(run.stagePath(VALIDATION_STAGE), [...offsets.values()])
    : Promise.resolve([]);

/** (instance, patch_id) → its latest validation record. */
export async function validationRecords(run: RunStore): Promise<Map<string, ValidationRecord>> {
  const out = new Map<string, ValidationRecord>();
  for await (const r of run.records<ValidationRecord>(VALIDATION_STAGE))
    out.set(`${r.instance_id}\u0000${r.patch_id}`, r);
  return out;
}
