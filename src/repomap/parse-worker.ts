// Worker thread: Python file bytes in, PyFileMap out. Started by ParsePool (pool.ts).
import { parentPort, workerData } from "node:worker_threads";
import { writeCacheFile } from "./cache.js";
import { mapPythonSource, type ParseMode } from "./extract.js";
import { createPythonParser } from "../treesitter/python.js";

/** cacheFile: where to store the map (written here, off the main thread). */
export interface ParseJob { id: number; data: Uint8Array; cacheFile?: string }
export type ParseReply = { id: number; map: import("./types.js").PyFileMap } | { id: number; error: string };

const port = parentPort;
if (!port) throw new Error("parse-worker.ts must run in a worker thread");
const mode = (workerData as { mode: ParseMode }).mode;
const parser = createPythonParser();
const decoder = new TextDecoder("utf-8");

// Each message is handled on its own event-loop turn, which lets the finalizers of the
// previous trees run: tree-sitter trees are freed only after the JS wrapper is collected.
port.on("message", (job: ParseJob) => {
  let reply: ParseReply;
  try {
    const map = mapPythonSource(parser, decoder.decode(job.data), mode);
    if (job.cacheFile) writeCacheFile(job.cacheFile, map);
    reply = { id: job.id, map };
  } catch (err) {
    reply = { id: job.id, error: err instanceof Error ? err.message : String(err) };
  }
  port.postMessage(reply);
});
