// Test support: run a python3 script (the worker model plus a check appended to it) with a JSON
// request on stdin and parse the JSON it prints. Asynchronous: a blocked test worker loses its
// RPC heartbeat.
import { spawn } from "node:child_process";

export const runPythonCheck = <T>(script: string, request?: object): Promise<T> =>
  new Promise((resolve, reject) => {
    const child = spawn("python3", ["-c", script]);
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(JSON.parse(out) as T) : reject(new Error(`check exited ${code}: ${err}`)),
    );
    child.stdin.end(request === undefined ? "" : JSON.stringify(request));
  });
