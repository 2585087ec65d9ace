// On-disk cache of file maps, keyed by git blob id: a blob's map never changes, so a second
// commit of a repo (or another repo vendoring the same file) only parses what differs.
// One SQLite database per map format (<dir>/<format key>.sqlite, with its -wal and -shm files)
// instead of one file per blob: storing sympy's 1,463 maps is one transaction (≈ 20 ms) where
// creating 1,463 files cost 0.3–0.8 s on this VM's ext4. WAL mode lets concurrent processes
// share the cache (readers never wait; a writer waits for another's commit). A commit's file
// listing (path, blob, size) is kept too: it never changes, and a warm map then starts no git.
import { createHash } from "node:crypto";
import { mkdirSync, renameSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import type DatabaseType from "better-sqlite3";
import { log } from "../log/logger.js";
import type { ParseMode } from "./extract.js";
import { pythonGrammarVersion } from "../treesitter/grammar-version.js";
import { grammarVersion, type CodeLanguage } from "../treesitter/languages.js";
import type { TreeFile } from "./git-source.js";
import type { CodeFileMap, PyFileMap } from "./types.js";

// A CommonJS package loaded with require (not import: no CommonJS export lexing, see treesitter/python.ts).
const Database = createRequire(import.meta.url)("better-sqlite3") as typeof DatabaseType;
type Database = DatabaseType.Database;

// Bump when extract.ts changes what it records.
const EXTRACTOR_VERSION = 1;
// Bump when extract-code.ts or code-rules.ts change what they record.
const CODE_EXTRACTOR_VERSION = 1;
// Waiting for another process's write transaction longer than this is an error (then the maps
// are not stored, and are parsed again next time).
const BUSY_TIMEOUT_MS = 10_000;

export const defaultRepoMapCacheDir = (): string =>
  join(process.env.SWERL_HOME ?? join(homedir(), ".cache", "swerl"), "repomap");

interface Store {
  db: Database;
  /** Maps of these blobs (as JSON), read in one transaction: a statement outside one takes the WAL's locks each time. */
  getMany: (blobs: readonly string[]) => Array<string | undefined>;
  put: (entries: ReadonlyArray<{ blob: string; json: string }>) => void;
  getTree: DatabaseType.Statement<[string], string | undefined>;
  putTree: DatabaseType.Statement<[string, string]>;
}

// One connection per database file and process (opening costs ≈ 1 ms; maps are made often).
const open = new Map<string, Store | null>();

function openStore(file: string, dir: string): Store | null {
  if (open.has(file)) return open.get(file)!;
  let store: Store | null = null;
  try {
    mkdirSync(dir, { recursive: true });
    try {
      store = connect(file);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code !== "SQLITE_NOTADB" && code !== "SQLITE_CORRUPT") throw err;
      // A damaged cache is only lost work: set it aside and start an empty one.
      const aside = `${file}.damaged-${process.pid}`;
      renameSync(file, aside);
      log.warn(`repo-map cache: ${file} was damaged (${(err as Error).message}); moved to ${aside}, starting anew`);
      store = connect(file);
    }
  } catch (err) {
    log.warn(`repo-map cache: cannot open ${file} (${(err as Error).message}); maps are not cached`);
  }
  open.set(file, store);
  return store;
}

function connect(file: string): Store {
  const db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
  try {
    // A map's JSON is ~2 KB: on 4 KB pages most rows spill onto overflow pages. 16 KB pages
    // halve the time of a warm map's 1,463 lookups on sympy (32 -> 17 ms). Only a new database
    // takes it (an existing one keeps its page size).
    db.pragma("page_size = 16384");
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL"); // a crash may lose the last maps, never corrupt the store
    db.exec("CREATE TABLE IF NOT EXISTS maps (blob TEXT PRIMARY KEY, json TEXT NOT NULL) WITHOUT ROWID");
    db.exec("CREATE TABLE IF NOT EXISTS trees (commit_id TEXT PRIMARY KEY, files TEXT NOT NULL) WITHOUT ROWID");
    const get = db.prepare<[string], string>("SELECT json FROM maps WHERE blob = ?").pluck();
    const getMany = db.transaction((blobs: readonly string[]) => blobs.map((b) => get.get(b)));
    const insert = db.prepare<[string, string]>("INSERT OR REPLACE INTO maps (blob, json) VALUES (?, ?)");
    const put = db.transaction((entries: ReadonlyArray<{ blob: string; json: string }>) => {
      for (const e of entries) insert.run(e.blob, e.json);
    });
    const getTree = db.prepare<[string], string>("SELECT files FROM trees WHERE commit_id = ?").pluck();
    const putTree = db.prepare<[string, string]>("INSERT OR REPLACE INTO trees (commit_id, files) VALUES (?, ?)");
    return { db, getMany, put, getTree, putTree };
  } catch (err) {
    db.close();
    throw err;
  }
}

export class MapCache<M = PyFileMap> {
  /** The database file. */
  readonly file: string;
  private readonly store: Store | null;

  /** `name`: the database of another map format (forCode); default the Python maps of `mode`. */
  constructor(root: string, mode: ParseMode, name?: string) {
    this.file = join(root, name ?? `py-v${EXTRACTOR_VERSION}-tsp${pythonGrammarVersion()}-${mode}.sqlite`);
    this.store = openStore(this.file, root);
  }

  /**
   * The maps of other languages' files: one database for all of them, keyed "<grammar>:<blob>"
   * (a .h blob is parsed as C in a C repo and as C++ in a C++ one), named after the grammars'
   * versions (a new grammar may parse the same bytes differently).
   */
  static forCode(root: string): MapCache<CodeFileMap> {
    const langs: CodeLanguage[] = ["c", "cpp", "go", "java", "javascript", "typescript", "php", "ruby", "rust"];
    const versions = createHash("sha256")
      .update(langs.map((l) => `${l}@${grammarVersion(l)}`).join(","))
      .digest("hex")
      .slice(0, 12);
    return new MapCache<CodeFileMap>(root, "skeleton", `code-v${CODE_EXTRACTOR_VERSION}-${versions}.sqlite`);
  }

  /** The cached maps of these keys (blob ids; "<grammar>:<blob>" for code maps); the others are missing from the result. */
  getMany(blobs: readonly string[]): Map<string, M> {
    const found = new Map<string, M>();
    for (const [blob, text] of this.getTexts(blobs)) {
      try {
        found.set(blob, JSON.parse(text) as M);
      } catch {
        // a damaged entry is parsed again and replaced
      }
    }
    return found;
  }

  /**
   * The cached maps of these keys as their JSON texts, not parsed (a map read from the cache and
   * printed as JSON is never parsed: that was a third of a warm `swerl repo-map`). Only a text
   * that is not a JSON object at all counts as missing (parsed again and replaced).
   */
  getTexts(blobs: readonly string[]): Map<string, string> {
    const found = new Map<string, string>();
    if (!this.store) return found;
    let texts: Array<string | undefined>;
    try {
      texts = this.store.getMany(blobs);
    } catch (err) {
      log.warn(`repo-map cache: cannot read ${this.file}: ${(err as Error).message}`);
      return found;
    }
    texts.forEach((text, i) => {
      if (text?.startsWith("{") && text.endsWith("}")) found.set(blobs[i]!, text);
    });
    return found;
  }

  /** A commit's files as listCommitFiles gave them, if this cache has seen the commit. */
  getTree(commit: string): TreeFile[] | undefined {
    try {
      const text = this.store?.getTree.get(commit);
      return text === undefined ? undefined : (JSON.parse(text) as TreeFile[]);
    } catch {
      return undefined;
    }
  }

  putTree(commit: string, files: readonly TreeFile[]): void {
    try {
      this.store?.putTree.run(commit, JSON.stringify(files));
    } catch (err) {
      log.warn(`repo-map cache: cannot write ${this.file}: ${(err as Error).message}`);
    }
  }

  /** Store new maps in one transaction; a failure loses only these entries (parsed again next time). */
  put(entries: ReadonlyArray<{ blob: string; json: string }>): void {
    if (!this.store || entries.length === 0) return;
    try {
      this.store.put(entries);
    } catch (err) {
      log.warn(`repo-map cache: cannot write ${this.file}: ${(err as Error).message}`);
    }
  }
}

/** Close every cache database this process opened (they are reopened when needed). */
export function closeMapCaches(): void {
  for (const store of open.values()) store?.db.close();
  open.clear();
}
