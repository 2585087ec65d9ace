// The records of a repo map. Line numbers are 1-based and inclusive; a definition starts at
// its `def`/`class` line (not its decorators) and ends at the last line of its last statement.

export interface Span {
  name: string;
  start_line: number;
  end_line: number;
}

export interface ClassSpan extends Span {
  methods: Span[];
}

/** What one .py file defines. */
export interface PyFileMap {
  /** Every class in the file, nested ones included, in Agentless's order (breadth-first). */
  classes: ClassSpan[];
  /** Module-level functions (also those under a module-level if/try/with/...). */
  functions: Span[];
  /**
   * True when tree-sitter had to recover from a syntax error in the file's statements. Errors
   * inside brackets, strings or simple statements are not looked for: they cannot change the map.
   */
  syntax_error: boolean;
}

/** A definition in a non-Python file (extract-code.ts), with its kind. */
export interface CodeSpan extends Span {
  /** class, struct, union, enum, interface, trait, impl, module, record, type; function; method. */
  kind: string;
}

export interface CodeClassSpan extends CodeSpan {
  methods: CodeSpan[];
}

/** What one source file of another language defines: the same lists as PyFileMap, in line order. */
export interface CodeFileMap {
  /** The grammar it was parsed with (languages.ts). */
  language: string;
  /** Class-like definitions (nested ones too, not those inside function bodies). */
  classes: CodeClassSpan[];
  /** Functions outside any class-like definition (Go: methods of a type the file does not define). */
  functions: CodeSpan[];
  /** True when tree-sitter had to recover from a syntax error somewhere in the file. */
  syntax_error: boolean;
}

export interface RepoFile {
  /** Path from the repository root, '/'-separated. */
  path: string;
  /** Git blob id of the content that was mapped. */
  blob: string;
  /** Present for .py files only. */
  py?: PyFileMap;
  /** Present for source files of the other languages, in maps of a language family (build-code.ts). */
  code?: CodeFileMap;
}

export interface MapStats {
  files: number;
  py_files: number;
  /** Source files of another language (maps of a language family). */
  code_files?: number;
  cache_hits: number;
  parsed: number;
  /** Worker threads used for parsing (0: parsed on the calling thread, or nothing to parse). */
  workers: number;
  /**
   * Files parsed on the calling thread: all of them without workers; with a pool of the map's
   * own (one worker fewer than the threads asked for), the share this thread took from its queue.
   */
  parsed_here?: number;
  /** list: ls-tree; cache: lookups; parse: reading, parsing and caching the missing blobs. */
  ms: { list: number; cache: number; parse: number; store: number; total: number };
}

export interface RepoMap {
  /** The commit mapped, or null for a work tree as it is on disk. */
  commit: string | null;
  /** Every tracked file (sorted by path); .py files carry their map (source files of `language` in a code map). */
  files: RepoFile[];
  /** Set in the map of another language's source files (MapOptions.language); absent in Python maps. */
  language?: import("../treesitter/languages.js").LanguageFamily;
  stats: MapStats;
}
