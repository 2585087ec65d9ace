// Worker thread: file bytes in, the file's map out (PyFileMap for Python, CodeFileMap for a
// job naming another language). Started by ParsePool (pool.ts).
import { parentPort, workerData } from "node:worker_threads";
import { mapCodeSource } from "./extract-code.js";
import { mapPythonSource, type ParseMode } from "./extract.js";
import { ParserSet, type CodeLanguage } from "../treesitter/languages.js";
import { warmPythonParser } from "./warm-up.js";

/** `lang`: the grammar of a non-Python file (absent: Python). */
export interface ParseJob {
  data: Uint8Array;
  lang?: CodeLanguage;
}
/** Several files per message; the reply has one entry per file, in order: the map as JSON, or an error. */
export type ParseBatch = ParseJob[];
export type ParseReply = string | { error: string };

const port = parentPort;
if (!port) throw new Error("parse-worker.ts must run in a worker thread");
const mode = (workerData as { mode: ParseMode }).mode;
// Made on first use: a worker mapping Go files never loads the Python grammar, and vice versa.
let parser: ReturnType<typeof warmPythonParser> | undefined;
const codeParsers = new ParserSet();
const decoder = new TextDecoder("utf-8");

// Each message (a batch of files) is handled on its own event-loop turn, which lets the
// finalizers of earlier trees run: tree-sitter trees are freed only after the JS wrapper is collected.
port.on("message", (batch: ParseBatch | "close") => {
  // Stop here, between messages, where no native call is running: terminate() from outside
  // can land inside one (e.g. while tree-sitter is still loading) and abort the whole process.
  if (batch === "close") process.exit(0);
  // Each map goes back as its JSON text: cheaper to pass than a structured clone of many small
  // objects, and the text is what the cache stores.
  port.postMessage(
    batch.map((job): ParseReply => {
      try {
        const text = decoder.decode(job.data);
        if (job.lang) return JSON.stringify(mapCodeSource(codeParsers.get(job.lang), job.lang, text));
        return JSON.stringify(mapPythonSource((parser ??= warmPythonParser()), text, mode));
      } catch (err) {
        return { error: err instanceof Error ? err.message : String(err) };
      }
    }),
  );
});
