// `node --import ./record-imports.mjs script`: appends the URL of every ES module the script
// loads to the file named by $SWERL_IMPORT_LOG, one per line (the module graph as loaded).
import { register } from "node:module";

register("./record-imports-hooks.mjs", import.meta.url, { data: { file: process.env.SWERL_IMPORT_LOG } });
