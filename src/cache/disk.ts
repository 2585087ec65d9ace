// Size and clearing of the model response cache. Only files laid out as the cache writes them
// (<2 hex>/<64 hex>.json and their temp files) are counted or removed, so pointing --dir at
// the wrong directory deletes nothing else.
import { existsSync } from "node:fs";
import { readdir, rm, rmdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { CACHE_FILE_PATTERN, CACHE_SUBDIR_PATTERN } from "../model/cache.js";

export interface CacheStats {
  dir: string;
  exists: boolean;
  entries: number;
  bytes: number;
  /** Leftover temp files of interrupted writes. */
  temp_files: number;
}

const TEMP_FILE_PATTERN = /^[0-9a-f]{64}\.json\.\d+\.[0-9a-f]+\.tmp$/;

async function* cacheFiles(dir: string): AsyncGenerator<{ path: string; sub: string; temp: boolean }> {
  if (!existsSync(dir)) return;
  for (const sub of await readdir(dir, { withFileTypes: true })) {
    if (!sub.isDirectory() || !CACHE_SUBDIR_PATTERN.test(sub.name)) continue;
    for (const f of await readdir(join(dir, sub.name), { withFileTypes: true })) {
      if (!f.isFile()) continue;
      const entry = CACHE_FILE_PATTERN.test(f.name) && f.name.startsWith(sub.name);
      const temp = TEMP_FILE_PATTERN.test(f.name);
      if (entry || temp) yield { path: join(dir, sub.name, f.name), sub: join(dir, sub.name), temp };
    }
  }
}

export async function cacheStats(dir: string): Promise<CacheStats> {
  const stats: CacheStats = { dir, exists: existsSync(dir), entries: 0, bytes: 0, temp_files: 0 };
  for await (const f of cacheFiles(dir)) {
    if (f.temp) stats.temp_files++;
    else stats.entries++;
    stats.bytes += (await stat(f.path)).size;
  }
  return stats;
}

/** Remove every cache entry (and temp file) under `dir`; returns what was removed. */
export async function clearCache(dir: string): Promise<CacheStats> {
  const removed: CacheStats = { dir, exists: existsSync(dir), entries: 0, bytes: 0, temp_files: 0 };
  const subs = new Set<string>();
  for await (const f of cacheFiles(dir)) {
    const size = (await stat(f.path)).size;
    await rm(f.path, { force: true });
    if (f.temp) removed.temp_files++;
    else removed.entries++;
    removed.bytes += size;
    subs.add(f.sub);
  }
  for (const sub of subs) await rmdir(sub).catch(() => undefined); // only if now empty
  return removed;
}

export function formatBytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} B` : `${v.toFixed(1)} ${units[u]}`;
}
