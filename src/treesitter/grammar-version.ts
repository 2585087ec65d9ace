// The Python grammar's version without loading tree-sitter (a warm repo map parses nothing).
import { createRequire } from "node:module";

/** Part of cache keys: a new grammar may parse the same bytes differently. */
export function pythonGrammarVersion(): string {
  const require = createRequire(import.meta.url);
  return (require("tree-sitter-python/package.json") as { version: string }).version;
}
