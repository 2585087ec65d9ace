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
  private constructor(private readonly fh: FileHandle, readonly path: string) {}

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
