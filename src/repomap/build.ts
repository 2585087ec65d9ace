// Build the repo map of a commit or a work tree: list files with their blob ids, take what the
// cache has, parse the rest (largest first, over worker threads), store the new maps.
import { availableParallelism } from "node:os";
import type Parser from "tree-sitter";
import { git } from "../git/git.js";
import { InputError } from "../util/input-error.js";
import { defaultRepoMapCacheDir, MapCache } from "./cache.js";
// The parsing code (extract*, skeleton, build-code and what they import) is loaded when a file
// must be parsed: a map from the cache loads none of it (start-up time of `swerl repo-map`).
import type { BlobSource } from "./build-code.js";
import type { ParseMode } from "./extract.js";
import { listCommitFiles, listWorkTreeFiles, readBlobs, type TreeFile } from "./git-source.js";
import { lazyPyFile } from "./lazy-file.js";
import { INLINE_PARSE_BYTES, ParsePool, type Parsed } from "./pool.js";
import type { LanguageFamily, ParserSet } from "../treesitter/languages.js";
import type { PyFileMap, RepoFile, RepoMap } from "./types.js";

export interface MapOptions {
  /** Cache root (default $SWERL_HOME/repomap or ~/.cache/swerl/repomap); false: no disk cache. */
  cacheDir?: string | false;
  /** Worker threads for parsing (default: the machine's parallelism). */
  workers?: number;
  /** "skeleton" (default, fast) or "full": both give the same map; see skeleton.ts. */
  mode?: ParseMode;
  /** A pool kept by the caller across many maps; otherwise one is started when needed. */
  pool?: ParsePool;
  /**
   * Map the source files of this language family instead of .py files (build-code.ts; `mode`
   * does not apply). Absent: a Python map, as always.
   */
  language?: LanguageFamily;
  /**
   * Decides the language from the commit's file paths (called once the files are listed):
   * a family gives a code map, undefined a Python map. `language` wins when both are set.
   */
  languageOf?: (paths: readonly string[]) => LanguageFamily | undefined;
  /** Code maps parsed on this thread: parsers to reuse across maps. */
  parsers?: ParserSet;
}

export async function mapCommit(gitDir: string, commitish: string, opts: MapOptions = {}): Promise<RepoMap> {
  const started = performance.now();
  // A full sha needs no rev-parse (one git process less): ls-tree fails the same way if it is missing.
  const commit = /^[0-9a-f]{40}$/.test(commitish) ? commitish : await resolveCommit(gitDir, commitish);
  const cache = openCache(opts);
  let files = cache?.getTree(commit);
  if (!files) {
    // A commit not seen before: some files will be parsed, most likely on this thread too. Its
    // parser loads while git lists the tree (≈ 0.1 s for sympy), which would be idle time.
    if (!opts.pool && !opts.language && !opts.languageOf) pythonMapper().catch(() => {});
    files = await listCommitFiles(gitDir, commit).catch(async (err: unknown) => {
      await resolveCommit(gitDir, commit); // the clearer error when the commit is missing
      throw err;
    });
    cache?.putTree(commit, files);
  }
  return mapFiles(commit, files, (blobs, onBlob) => readBlobs(gitDir, blobs, onBlob), opts, started);
}

/** The work tree as it is on disk: tracked files plus untracked ones that are not ignored. */
export async function mapWorkTree(dir: string, opts: MapOptions = {}): Promise<RepoMap> {
  const started = performance.now();
  const files = await listWorkTreeFiles(dir);
  const data = new Map(files.map((f) => [f.blob, f.data]));
  const source: BlobSource = async (blobs, onBlob) => {
    for (const b of blobs) onBlob(b, data.get(b)!);
  };
  return mapFiles(
    null,
    files.map(({ path, blob, size }) => ({ path, blob, size })),
    source,
    opts,
    started,
  );
}

const openCache = (opts: MapOptions): MapCache | undefined =>
  opts.cacheDir === false
    ? undefined
    : new MapCache(opts.cacheDir ?? defaultRepoMapCacheDir(), opts.mode ?? "skeleton");

export async function resolveCommit(gitDir: string, commitish: string): Promise<string> {
  try {
    return (
      await git(gitDir, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${commitish}^{commit}`])
    ).trim();
  } catch {
    throw new InputError(`commit "${commitish}" not found in ${gitDir}`);
  }
}

async function mapFiles(
  commit: string | null,
  files: TreeFile[],
  source: BlobSource,
  opts: MapOptions,
  started: number,
): Promise<RepoMap> {
  const language = opts.language ?? opts.languageOf?.(files.map((f) => f.path));
  if (language) {
    const cacheRoot = opts.cacheDir === false ? undefined : (opts.cacheDir ?? defaultRepoMapCacheDir());
    const { mapCodeFiles } = await import("./build-code.js");
    return mapCodeFiles(
      commit,
      files,
      source,
      { family: language, cacheRoot, workers: opts.workers, pool: opts.pool, parsers: opts.parsers },
      started,
    );
  }
  const mode = opts.mode ?? "skeleton";
  const listed = performance.now();
  const pyBlobs = new Map<string, number>(); // blob → size
  for (const f of files) if (f.path.endsWith(".py")) pyBlobs.set(f.blob, f.size);

  const cache = openCache(opts);
  // Maps as JSON texts (from the cache or a worker), parsed only when a file's map is used.
  const texts = cache ? cache.getTexts([...pyBlobs.keys()]) : new Map<string, string>();
  const maps = new Map<string, PyFileMap>(); // maps parsed on this thread
  const toStore: Array<{ blob: string; json: string }> = [];
  const cacheHits = texts.size;
  const cached = performance.now();

  const missing = [...pyBlobs.entries()]
    .filter(([b]) => !texts.has(b))
    .sort((a, b) => b[1] - a[1])
    .map(([b]) => b);
  const missingBytes = missing.reduce((n, b) => n + pyBlobs.get(b)!, 0);
  const parser = new FileParser(mode, opts, missing.length, missingBytes);
  try {
    const done: Promise<void>[] = [];
    let readError: unknown;
    if (missing.length > 0) {
      await source(missing, (blob, data) => {
        done.push(
          parser.parse(data, cache !== undefined).then((p) => {
            if (p.map) maps.set(blob, p.map);
            else texts.set(blob, p.json);
            if (cache) toStore.push({ blob, json: p.json });
          }),
        );
      }).catch((err: unknown) => {
        readError = err;
      });
    }
    const failed = (await Promise.allSettled(done)).find((r) => r.status === "rejected");
    if (readError !== undefined) throw readError;
    if (failed) throw (failed as PromiseRejectedResult).reason;
  } finally {
    await parser.close();
  }
  const parsed = performance.now();
  cache?.put(toStore);
  const stored = performance.now();

  const out: RepoFile[] = files.map((f) => {
    if (!f.path.endsWith(".py")) return { path: f.path, blob: f.blob };
    const py = maps.get(f.blob);
    if (py) return { path: f.path, blob: f.blob, py };
    const json = texts.get(f.blob);
    return json === undefined ? { path: f.path, blob: f.blob } : lazyPyFile(f.path, f.blob, json);
  });
  return {
    commit,
    files: out,
    stats: {
      files: files.length,
      py_files: files.filter((f) => f.path.endsWith(".py")).length,
      cache_hits: cacheHits,
      parsed: missing.length,
      workers: parser.workers,
      parsed_here: parser.here,
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

/**
 * Parses on worker threads when there is enough work, else on this thread. A pool of its own
 * has one worker fewer than the threads asked for, and this thread takes the last share (it
 * only reads blobs and posts them otherwise): on 2 cores, a second worker's start and JIT
 * warm-up cost more CPU than this thread's help.
 */
// This thread's Python parser and mapper, loaded on first use (a map served from the cache needs
// no tree-sitter), and warmed up (warm-up.ts); kept for the next maps of this process.
let mapper: Promise<{ parser: Parser; mapPythonSource: typeof import("./extract.js").mapPythonSource }> | undefined;

const utf8 = new TextDecoder("utf-8");

function pythonMapper() {
  mapper ??= Promise.all([import("./extract.js"), import("./warm-up.js")]).then(([extract, warm]) => ({
    parser: warm.warmPythonParser(),
    mapPythonSource: extract.mapPythonSource,
  }));
  return mapper;
}

class FileParser {
  private pool: Promise<ParsePool> | undefined;
  private readonly ownPool: boolean;
  private readonly helping: boolean = false;
  /** Files parsed on this thread. */
  here = 0;
  readonly workers: number;

  constructor(
    private readonly mode: ParseMode,
    opts: MapOptions,
    files: number,
    bytes: number,
  ) {
    const threads = Math.min(opts.workers ?? availableParallelism(), files);
    this.ownPool = !opts.pool;
    if (opts.pool) this.pool = Promise.resolve(opts.pool);
    else if (bytes >= INLINE_PARSE_BYTES && threads >= 1) {
      this.helping = threads >= 2;
      this.pool = ParsePool.create(this.helping ? threads - 1 : threads, mode);
      // ready by the time the first blobs queue up (a failure shows where the parser is used)
      if (this.helping) pythonMapper().catch(() => {});
    }
    this.workers = opts.pool ? (files > 0 ? opts.pool.size : 0) : this.pool ? threads - (this.helping ? 1 : 0) : 0;
  }

  /** wantJson: the map's JSON is needed (for the cache); workers always send it. */
  async parse(data: Buffer, wantJson: boolean): Promise<Parsed> {
    if (this.pool) {
      const parsed = (await this.pool).parse(data);
      if (this.helping) this.help();
      return parsed;
    }
    const { parser, mapPythonSource } = await pythonMapper();
    this.here++;
    const map = mapPythonSource(parser, utf8.decode(data), this.mode);
    return { map, json: wantJson ? JSON.stringify(map) : "" };
  }

  // This thread takes files from the pool's queue, one per event-loop turn (so that replies
  // and new blobs are still handled between them), while any wait.
  private helpScheduled = false;
  private help(): void {
    if (this.helpScheduled) return;
    this.helpScheduled = true;
    setImmediate(async () => {
      let helped = false;
      try {
        const [pool, { parser, mapPythonSource }] = await Promise.all([this.pool!, pythonMapper()]);
        helped = pool.helpOne((data) => JSON.stringify(mapPythonSource(parser, utf8.decode(data), this.mode)));
      } catch {
        // no pool or no parser here: the files' own promises report it (parse, close)
      }
      this.helpScheduled = false;
      if (helped) {
        this.here++;
        this.help();
      }
    });
  }

  async close(): Promise<void> {
    if (this.pool && this.ownPool) await (await this.pool).close();
  }
}
