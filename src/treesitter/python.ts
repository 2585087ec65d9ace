// tree-sitter for Python, shared by the repo map, the repair syntax check and patch
// normalization. A Parser is not shareable across threads: make one per thread.
import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import { createRequire } from "node:module";
import type ParserType from "tree-sitter";

// CommonJS packages loaded with require, not import: an import runs Node's CommonJS export
// lexer over tree-sitter's index.js, and V8 then optimizes that lexer in every thread
// (≈ 0.25 s of compile CPU each; 1 s of a cold `swerl repo-map` of sympy).
const require = createRequire(import.meta.url);
const Parser = require("tree-sitter") as typeof ParserType;
const Python = require("tree-sitter-python") as ParserType.Language;
type Parser = ParserType;

export function createPythonParser(): Parser {
  const parser = new Parser();
  parser.setLanguage(Python);
  return parser;
}

export { pythonGrammarVersion } from "./grammar-version.js";

let shared: Parser | undefined;

/** One lazily made parser for this thread, for callers that parse one file at a time. */
export function sharedPythonParser(): Parser {
  shared ??= createPythonParser();
  return shared;
}

// A tree lives in native memory that V8 does not see: its JS wrapper is a few bytes, so the
// garbage collector has no reason to run while trees of MBs pile up (a grouping run reached
// 11 GB). Trees are freed only when their wrappers are collected, so after every
// COLLECT_AFTER_BYTES of parsed source a full collection is asked for explicitly.
const COLLECT_AFTER_BYTES = 16 * 1024 * 1024;
let parsedSinceCollection = 0;
let collect: (() => void) | null | undefined;

function collectGarbage(): void {
  if (collect === undefined) {
    v8.setFlagsFromString("--expose-gc");
    collect = (runInNewContext("gc") as (() => void) | undefined) ?? null;
  }
  collect?.();
}

/** Count a parse of `length` characters about to happen; now and then frees the trees no longer used. */
export function noteParse(length: number): void {
  parsedSinceCollection += length;
  if (parsedSinceCollection > COLLECT_AFTER_BYTES) {
    parsedSinceCollection = 0;
    collectGarbage();
  }
}

/** Parse with `parser` (incrementally from `oldTree` when given), freeing old trees now and then. */
export function parseTracked(parser: Parser, source: string, oldTree?: ParserType.Tree): ParserType.Tree {
  noteParse(source.length);
  return parser.parse(source, oldTree);
}
