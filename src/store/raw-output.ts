// How a record holds the model's answer (docs/pipeline-records.md, "Raw model outputs"): plain
// in `raw_output` (a string, or null when the call failed), or gzip-compressed in
// `raw_output_gz` (base64 of one gzip member of the UTF-8 text; no `raw_output` key then).
// Compressed is the default (model.raw_output): the answers are most of a run's bytes and gzip
// stores real text in ~0.42 of its size (base64 included) at ~0.3 ms of CPU a sample
// (bench/raw-output.ts). Each record stays one self-contained JSONL line, so appending, resume,
// torn-tail recovery, shard merges and byte-offset reads work as for any other field, and one
// answer is read back with `jq -r .raw_output_gz | base64 -d | gunzip`.
import { gunzipSync, gzipSync } from "node:zlib";

export const RAW_OUTPUT_STORAGES = ["gzip", "plain"] as const;
export type RawOutputStorage = (typeof RAW_OUTPUT_STORAGES)[number];

/** The raw-output fields of a record: exactly one of them is set. */
export interface RawOutputFields {
  raw_output?: string | null;
  raw_output_gz?: string;
}

/** The fields that store `text` (null: the call failed, stored plain as null). */
export function rawOutputFields(text: string | null, storage: RawOutputStorage = "gzip"): RawOutputFields {
  if (text === null || storage === "plain") return { raw_output: text };
  return { raw_output_gz: gzipSync(Buffer.from(text, "utf8")).toString("base64") };
}

/**
 * The answer a record holds, from either form (runs written before compression have only
 * `raw_output`); null when the call failed or the record has neither field. A field of the wrong
 * type or a raw_output_gz that is not base64 gzip throws, naming `where`.
 */
export function rawOutputOf(
  record: Readonly<{ raw_output?: unknown; raw_output_gz?: unknown }>,
  where = "record",
): string | null {
  const gz = record.raw_output_gz;
  if (gz !== undefined) {
    if (typeof gz !== "string") throw new Error(`${where}: "raw_output_gz" must be a base64 string`);
    try {
      return gunzipSync(Buffer.from(gz, "base64")).toString("utf8");
    } catch (err) {
      throw new Error(`${where}: "raw_output_gz" is not base64 gzip (${(err as Error).message})`);
    }
  }
  const plain = record.raw_output;
  if (plain === undefined || plain === null) return null;
  if (typeof plain !== "string") throw new Error(`${where}: "raw_output" must be a string or null`);
  return plain;
}
