// The map of a non-Python repo's files (build.ts hands them over when MapOptions.language is
// set): each source file of the family (languages.ts; vendored code left out) with its
// definitions (extract-code.ts), through the same machinery as Python maps: the SQLite cache
// (keyed by grammar and blob), the missing files parsed largest first, on the parse pool's
// worker threads when there is enough to parse, else on this thread.
import { availableParallelism } from "node:os";
import { isVendoredPath } from "./code-listing.js";
import { MapCache } from "./cache.js";
import { mapCodeSource } from "./extract-code.js";
import type { TreeFile } from "./git-source.js";
import { INLINE_PARSE_BYTES, ParsePool, parsedMap } from "./pool.js";
import { languageOfPath, ParserSet, type CodeLanguage, type LanguageFamily } from "../treesitter/languages.js";
import type { CodeFileMap, RepoFile, RepoMap } from "./types.js";

export type BlobSource = (blobs: string[], onBlob: (blob: string, data: Buffer) => void) => Promise<void>;

export interface CodeBuildOptions {
  family: LanguageFamily;
  /** Cache root, or undefined for none. */
  cacheRoot: string | undefined;
  workers?: number;
  pool?: ParsePool;
  /** Parsers for this thread's inline parsing (reused across maps). */
  parsers?: ParserSet;
}

const keyOf = (lang: CodeLanguage, blob: string): string => `${lang}:${blob}`;

export async function mapCodeFiles(
  commit: string | null,
  files: TreeFile[],
  source: BlobSource,
  o: CodeBuildOptions,
  started: number,
): Promise<RepoMap> {
  const listed = performance.now();
  const langOf = new Map<string, CodeLanguage>(); // path → grammar
  const wanted = new Map<string, { lang: CodeLanguage; blob: string; size: number }>(); // key → what to parse
  for (const f of files) {
    const lang = isVendoredPath(f.path) ? undefined : languageOfPath(f.path, o.family);
    if (!lang) continue;
    langOf.set(f.path, lang);
    wanted.set(keyOf(lang, f.blob), { lang, blob: f.blob, size: f.size });
  }
  const cache = o.cacheRoot === undefined ? undefined : MapCache.forCode(o.cacheRoot);
  const maps = cache ? cache.getMany([...wanted.keys()]) : new Map<string, CodeFileMap>();
  const cacheHits = maps.size;
  const cached = performance.now();

  const missing = [...wanted].filter(([k]) => !maps.has(k)).sort((a, b) => b[1].size - a[1].size);
  const missingBytes = missing.reduce((n, [, w]) => n + w.size, 0);
  const threads = Math.min(o.workers ?? availableParallelism(), missing.length);
  const ownPool =
    !o.pool && missingBytes >= INLINE_PARSE_BYTES && threads >= 1
      ? await ParsePool.create(threads, "skeleton")
      : undefined;
  const pool = o.pool ?? ownPool;
  const parsers = o.parsers ?? new ParserSet();
  const decoder = new TextDecoder("utf-8");
  const toStore: Array<{ blob: string; json: string }> = [];
  try {
    // One blob may be wanted as two grammars (a .h file in C and C++ paths of one repo).
    const keysOfBlob = new Map<string, string[]>();
    for (const [k, w] of missing) keysOfBlob.set(w.blob, [...(keysOfBlob.get(w.blob) ?? []), k]);
    const done: Promise<void>[] = [];
    if (missing.length > 0) {
      await source([...keysOfBlob.keys()], (blob, data) => {
        for (const key of keysOfBlob.get(blob) ?? []) {
          const lang = wanted.get(key)!.lang;
          if (pool) {
            // each job gets its own copy: the pool transfers (and so detaches) the buffer it is given
            done.push(
              pool.parseCode(new Uint8Array(data), lang).then((p) => {
                maps.set(key, parsedMap(p));
                if (cache) toStore.push({ blob: key, json: p.json });
              }),
            );
          } else {
            const map = mapCodeSource(parsers.get(lang), lang, decoder.decode(data));
            maps.set(key, map);
            if (cache) toStore.push({ blob: key, json: JSON.stringify(map) });
          }
        }
      });
    }
    const failed = (await Promise.allSettled(done)).find((r) => r.status === "rejected");
    if (failed) throw (failed as PromiseRejectedResult).reason;
  } finally {
    if (ownPool) await ownPool.close();
  }
  const parsed = performance.now();
  cache?.put(toStore);
  const stored = performance.now();

  const out: RepoFile[] = files.map((f) => {
    const lang = langOf.get(f.path);
    const code = lang ? maps.get(keyOf(lang, f.blob)) : undefined;
    return code ? { path: f.path, blob: f.blob, code } : { path: f.path, blob: f.blob };
  });
  return {
    commit,
    files: out,
    language: o.family,
    stats: {
      files: files.length,
      py_files: 0,
      code_files: langOf.size,
      cache_hits: cacheHits,
      parsed: missing.length,
      workers: pool && missing.length > 0 ? pool.size : 0,
      ms: {
        list: Math.round(listed - started),
        cache: Math.round(cached - listed),
        parse: Math.round(parsed - cached),
        store: Math.round(stored - parsed),
        total: Math.round(performance.now() - started),
      },
    },
  };
}
