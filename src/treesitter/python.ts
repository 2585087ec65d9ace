// tree-sitter for Python, shared by the repo map, the repair syntax check and patch
// normalization. A Parser is not shareable across threads: make one per thread.
import Parser from "tree-sitter";
import Python from "tree-sitter-python";

export function createPythonParser(): Parser {
  const parser = new Parser();
  parser.setLanguage(Python as Parser.Language);
  return parser;
}

export { pythonGrammarVersion } from "./grammar-version.js";

let shared: Parser | undefined;

/** One lazily made parser for this thread, for callers that parse one file at a time. */
export function sharedPythonParser(): Parser {
  shared ??= createPythonParser();
  return shared;
}
