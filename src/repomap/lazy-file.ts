// A repo-map file whose map is held as its JSON text (from the cache or a parse worker) and
// parsed on first use. `swerl repo-map --format json` prints the text as it is (mapJson), so a
// warm map of sympy parses and re-serializes none of its 1,463 maps.
import type { PyFileMap, RepoFile } from "./types.js";

const MAP_JSON = Symbol("map JSON");

export function lazyPyFile(path: string, blob: string, json: string): RepoFile {
  let py: PyFileMap | undefined;
  const file: RepoFile = { path, blob };
  // An own enumerable getter: spreads and JSON.stringify of the file still see `py`.
  Object.defineProperty(file, "py", { enumerable: true, get: () => (py ??= JSON.parse(json) as PyFileMap) });
  Object.defineProperty(file, MAP_JSON, { value: json });
  return file;
}

/** The file's map as JSON text when it was made by lazyPyFile (exactly JSON.stringify of its map). */
export const mapJson = (file: RepoFile): string | undefined => (file as RepoFile & { [MAP_JSON]?: string })[MAP_JSON];
