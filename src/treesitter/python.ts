// tree-sitter for Python, shared by the repo map, the repair syntax check and patch
// normalization. A Parser is not shareable across threads: make one per thread.
import { createRequire } from "node:module";
import Parser from "tree-sitter";
import Python from "tree-sitter-python";

export function createPythonParser(): Parser {
  const parser = new Parser();
  parser.setLanguage(Python as Parser.Language);
  return parser;
}

/** Part of the cache key: a new grammar may parse the same bytes differently. */
export function pythonGrammarVersion(): string {
  const require = createRequire(import.meta.url);
  return (require("tree-sitter-python/package.json") as { version: string }).version;
}

let shared: Parser | undefined;

/** One lazily made parser for this thread, for callers that parse one file at a time. */
export function sharedPythonParser(): Parser {
  shared ??= createPythonParser();
  return shared;
}
