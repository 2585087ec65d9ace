// Worker thread: Python file bytes in, PyFileMap out. Started by ParsePool (pool.ts).
import { parentPort, workerData } from "node:worker_threads";
import { mapPythonSource, type ParseMode } from "./extract.js";
import { createPythonParser } from "../treesitter/python.js";

export interface ParseJob { data: Uint8Array }
/** Several files per message; the reply has one entry per file, in order: the map as JSON, or an error. */
export type ParseBatch = ParseJob[];
export type ParseReply = string | { error: string };

const port = parentPort;
if (!port) throw new Error("parse-worker.ts must run in a worker thread");
const mode = (workerData as { mode: ParseMode }).mode;
const parser = createPythonParser();
const decoder = new TextDecoder("utf-8");

// Each message (a batch of files) is handled on its own event-loop turn, which lets the
// finalizers of earlier trees run: tree-sitter trees are freed only after the JS wrapper is collected.
port.on("message", (batch: ParseBatch | "close") => {
  // Stop here, between messages, where no native call is running: terminate() from outside
  // can land inside one (e.g. while tree-sitter is still loading) and abort the whole process.
  if (batch === "close") process.exit(0);
  // Each map goes back as its JSON text: cheaper to pass than a structured clone of many small
  // objects, and the text is what the cache stores.
  port.postMessage(batch.map((job): ParseReply => {
    try {
      return JSON.stringify(mapPythonSource(parser, decoder.decode(job.data), mode));
    } catch (err) {
      return { error: err instanceof Error ? err.message : String(err) };
    }
  }));
});
