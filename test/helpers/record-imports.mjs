// `node --import ./record-imports.mjs script`: appends the URL of every module the script
// loads to the file named by $SWERL_IMPORT_LOG, one per line (the module graph as loaded): ES
// modules as the loader hooks see them, CommonJS modules (src/cli/main.cts and what it
// requires, which pass no hook) from the require cache when the process exits.
import { appendFileSync } from "node:fs";
import { createRequire, register } from "node:module";
import { pathToFileURL } from "node:url";

const file = process.env.SWERL_IMPORT_LOG;
register("./record-imports-hooks.mjs", import.meta.url, { data: { file } });
const requireCache = createRequire(import.meta.url).cache;
process.on("exit", () => {
  appendFileSync(
    file,
    Object.keys(requireCache)
      .map((f) => `${pathToFileURL(f).href}\n`)
      .join(""),
  );
});
