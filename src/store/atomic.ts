// Whole-file rewrites go to a temp file in the same directory, then rename: a reader sees
// the old file or the new one, never half of one.
import { randomBytes } from "node:crypto";
import { rename, writeFile } from "node:fs/promises";

export async function writeFileAtomic(path: string, content: string | Buffer): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(tmp, content);
  await rename(tmp, path);
}

export const writeJsonAtomic = (path: string, value: unknown): Promise<void> =>
  writeFileAtomic(path, JSON.stringify(value, null, 2) + "\n");
