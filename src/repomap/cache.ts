// On-disk cache of file maps, keyed by git blob id: a blob's map never changes, so a second
// commit of a repo (or another repo vendoring the same file) only parses what differs.
// Layout: <dir>/<format key>/<blob[0:2]>/<blob[2:]>.json. Writes are atomic (temp + rename),
// so concurrent processes and threads may share a cache directory. File I/O is synchronous
// (faster here for many small files).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { threadId } from "node:worker_threads";
import type { ParseMode } from "./extract.js";
import { pythonGrammarVersion } from "../treesitter/python.js";
import type { PyFileMap } from "./types.js";

// Bump when extract.ts changes what it records.
const EXTRACTOR_VERSION = 1;

export const defaultRepoMapCacheDir = (): string =>
  join(process.env.SWERL_HOME ?? join(homedir(), ".cache", "swerl"), "repomap");

export class MapCache {
  readonly dir: string;

  constructor(root: string, mode: ParseMode) {
    this.dir = join(root, `py-v${EXTRACTOR_VERSION}-tsp${pythonGrammarVersion()}-${mode}`);
  }

  /** Where the map of a blob lives. */
  fileFor(blob: string): string {
    return join(this.dir, blob.slice(0, 2), `${blob.slice(2)}.json`);
  }

  /** Synchronous on purpose: for ~1,500 small files, 5x faster than fs.promises here. */
  get(blob: string): PyFileMap | undefined {
    let text: string;
    try {
      text = readFileSync(this.fileFor(blob), "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw err;
    }
    try {
      return JSON.parse(text) as PyFileMap;
    } catch {
      return undefined; // a damaged entry is re-parsed and rewritten
    }
  }
}

/**
 * Store one map (atomically: temp file, then rename). Called where the file was parsed, worker
 * threads included, so that ~1,500 writes do not hold up the thread that feeds the workers.
 */
export function writeCacheFile(file: string, map: PyFileMap): void {
  const tmp = `${file}.${process.pid}-${threadId}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify(map));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(tmp, JSON.stringify(map));
  }
  renameSync(tmp, file);
}
