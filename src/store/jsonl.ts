// Append-only JSONL files that survive a kill -9: each record is one write(2) of a whole line
// (O_APPEND), and readers stream line by line, ignoring a torn last line (no "\n" yet).
// A writer that finds a torn tail first truncates it away, so records never fuse together.
import { createReadStream, existsSync } from "node:fs";
import { open, stat, truncate, type FileHandle } from "node:fs/promises";
import { createInterface } from "node:readline";

/** Stream the complete records of a JSONL file (none if it does not exist). */
export async function* readRecords<T = unknown>(path: string): AsyncGenerator<T> {
  if (!existsSync(path)) return;
  const size = (await stat(path)).size;
  if (size === 0) return;
  const end = await lastNewlineOffset(path, size);
  if (end < 0) return;
  const lines = createInterface({ input: createReadStream(path, { encoding: "utf8", end }), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (line.trim() === "") continue;
    try {
      yield JSON.parse(line) as T;
    } catch (err) {
      throw new Error(`${path} line ${n}: not a JSON record (${(err as Error).message})`);
    }
  }
}

/** What readCheckedRecords checks each record against (a zod schema fits). */
export interface RecordSchema<T> {
  safeParse(
    value: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
}

/**
 * The complete records of a JSONL file (none if it does not exist), each checked against a
 * schema; a torn last line is skipped as readRecords does. Errors name the file and line.
 */
export async function* readCheckedRecords<T>(path: string, schema: RecordSchema<T>): AsyncGenerator<T> {
  let n = 0;
  for await (const { text } of linesWithOffsets(path)) {
    n++;
    if (text.trim() === "") continue;
    yield checkedLine(text, schema, `${path}:${n}`);
  }
}

/** One JSON line checked against a schema; errors name `where` (file:line or file byte offset). */
export function checkedLine<T>(text: string, schema: RecordSchema<T>, where: string): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`${where}: not JSON (${(err as Error).message})`);
  }
  return checkedValue(value, schema, where);
}

/** A parsed record checked against a schema; the first problem names `where`. */
export function checkedValue<T>(value: unknown, schema: RecordSchema<T>, where: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new Error(`${where}: ${issue.path.map(String).join(".") || "line"}: ${issue.message}`);
}

/**
 * Every complete line of a JSONL file with its byte offset (none if the file does not exist),
 * read in large chunks: for indexing a big file without keeping its records.
 */
export async function* linesWithOffsets(path: string): AsyncGenerator<{ offset: number; text: string }> {
  if (!existsSync(path)) return;
  const fh = await open(path, "r");
  try {
    const chunk = Buffer.alloc(1 << 20);
    let carry: Buffer = Buffer.alloc(0);
    let carryOffset = 0;
    for (let pos = 0; ; ) {
      const { bytesRead } = await fh.read(chunk, 0, chunk.length, pos);
      if (bytesRead === 0) return; // a torn last line (no "\n" yet) is not a record
      const data =
        carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
      let start = 0;
      for (let nl = data.indexOf(10); nl >= 0; nl = data.indexOf(10, start)) {
        yield { offset: carryOffset + start, text: data.toString("utf8", start, nl) };
        start = nl + 1;
      }
      carryOffset += start;
      carry = Buffer.from(data.subarray(start));
      pos += bytesRead;
    }
  } finally {
    await fh.close();
  }
}

/** The records starting at these byte offsets (from linesWithOffsets), in the order given. */
export async function readRecordsAt<T = unknown>(path: string, offsets: readonly number[]): Promise<T[]> {
  const fh = await open(path, "r");
  try {
    const out: T[] = [];
    let buf = Buffer.alloc(64 * 1024);
    for (const offset of offsets) {
      let len = 0;
      for (;;) {
        const { bytesRead } = await fh.read(buf, len, buf.length - len, offset + len);
        const nl = buf.indexOf(10, len);
        len += bytesRead;
        if (nl >= 0 && nl < len) {
          len = nl;
          break;
        }
        if (bytesRead === 0) throw new Error(`${path}: no complete record at byte ${offset}`);
        if (len === buf.length) {
          const bigger = Buffer.alloc(buf.length * 2);
          buf.copy(bigger);
          buf = bigger;
        }
      }
      try {
        out.push(JSON.parse(buf.toString("utf8", 0, len)) as T);
      } catch (err) {
        throw new Error(`${path} byte ${offset}: not a JSON record (${(err as Error).message})`);
      }
    }
    return out;
  } finally {
    await fh.close();
  }
}

/** Offset of the last "\n" in the file, or -1. Reads backwards in small chunks. */
async function lastNewlineOffset(path: string, size: number): Promise<number> {
  const fh = await open(path, "r");
  try {
    const chunk = Buffer.alloc(64 * 1024);
    for (let pos = size; pos > 0; ) {
      const len = Math.min(chunk.length, pos);
      pos -= len;
      await fh.read(chunk, 0, len, pos);
      const i = chunk.subarray(0, len).lastIndexOf(10);
      if (i >= 0) return pos + i;
    }
    return -1;
  } finally {
    await fh.close();
  }
}

/** An append handle; `append` writes one whole line per record. */
export class JsonlWriter {
  private constructor(
    private readonly fh: FileHandle,
    readonly path: string,
  ) {}

  static async open(path: string): Promise<JsonlWriter> {
    if (existsSync(path)) {
      const size = (await stat(path)).size;
      const end = size === 0 ? -1 : await lastNewlineOffset(path, size);
      if (end + 1 !== size) await truncate(path, end + 1); // drop a torn tail from a killed writer
    }
    return new JsonlWriter(await open(path, "a"), path);
  }

  async append(record: unknown): Promise<void> {
    await this.fh.write(JSON.stringify(record) + "\n");
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}
