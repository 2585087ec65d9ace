// One tree-sitter parser for Python per thread (a Parser is not shareable across threads).
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
