// Module hooks for record-imports.mjs (they run on the loader's own thread).
import { appendFileSync } from "node:fs";

let file;
export function initialize(data) {
  file = data.file;
  if (!file) throw new Error("record-imports: set $SWERL_IMPORT_LOG");
}

export async function load(url, context, nextLoad) {
  appendFileSync(file, url + "\n");
  return nextLoad(url, context);
}
