// Tar archives for putArchive/getArchive: pack in-memory files, pull one file out.
import { posix } from "node:path";
import tar from "tar-stream";
import type { Readable } from "node:stream";

export interface SandboxFile {
  path: string;
  content: string | Buffer;
  mode?: number;
}

/** A tar stream of the files, names relative to "/" (so the archive is put at "/"). */
export function packFiles(files: SandboxFile[], workdir: string): Readable {
  const pack = tar.pack();
  const mtime = new Date();
  for (const f of files) {
    const abs = posix.resolve(workdir, f.path);
    if (abs === "/") throw new Error(`putFiles: "${f.path}" is not a file path`);
    const body = typeof f.content === "string" ? Buffer.from(f.content, "utf8") : f.content;
    pack.entry({ name: abs.slice(1), size: body.length, mode: f.mode ?? 0o644, mtime, uid: 0, gid: 0 }, body);
  }
  pack.finalize();
  return pack as unknown as Readable;
}

export type ArchiveEntry =
  | { kind: "file"; content: Buffer }
  | { kind: "symlink"; target: string }
  | { kind: "other"; type: string };

/** The first entry of a tar stream (getArchive of one path puts that path first). */
export function firstEntry(archive: NodeJS.ReadableStream): Promise<ArchiveEntry> {
  return new Promise((resolve, reject) => {
    const extract = tar.extract();
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      extract.destroy();
    };
    extract.on("entry", (header, stream, next) => {
      if (header.type === "symlink") {
        finish(() => resolve({ kind: "symlink", target: header.linkname ?? "" }));
        stream.resume();
        return;
      }
      if (header.type !== "file" && header.type !== "contiguous-file") {
        finish(() => resolve({ kind: "other", type: header.type ?? "unknown" }));
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      stream.on("data", (c: unknown) => void chunks.push(c as Buffer));
      stream.on("end", () => {
        finish(() => resolve({ kind: "file", content: Buffer.concat(chunks) }));
        next();
      });
      stream.on("error", (e: Error) => finish(() => reject(e)));
    });
    extract.on("finish", () => finish(() => reject(new Error("empty archive"))));
    extract.on("error", (e: Error) => finish(() => reject(e)));
    (archive as Readable).on("error", (e: Error) => finish(() => reject(e)));
    (archive as Readable).pipe(extract as unknown as NodeJS.WritableStream);
  });
}
