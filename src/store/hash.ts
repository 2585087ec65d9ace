// Stable hashes: canonical JSON (sorted keys) so the same value always hashes the same.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";

export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

export const sha256 = (text: string | Buffer): string => createHash("sha256").update(text).digest("hex");

export const hashValue = (value: unknown): string => sha256(canonicalJson(value));

export async function hashFile(path: string): Promise<string> {
  const h = createHash("sha256");
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest("hex");
}
