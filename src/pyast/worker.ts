// A long-lived host python3 process that answers one question: does this text parse with
// Python's own `ast.parse`? The strict syntax check (repair.syntax_check: strict) must agree
// with the reference, which calls ast.parse, and no JavaScript parser accepts exactly what
// CPython accepts. The script below is ours; it only parses (ast.parse compiles nothing and
// runs nothing from the text). Requests are JSON lines {id, sources}, answers {id, ok}.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface } from "node:readline";

const SCRIPT = String.raw`
import ast, json, sys
for line in sys.stdin:
    req = json.loads(line)
    ok = []
    for src in req["sources"]:
        try:
            ast.parse(src)
            ok.append(True)
        except Exception:
            ok.append(False)
    sys.stdout.write(json.dumps({"id": req["id"], "ok": ok}) + "\n")
    sys.stdout.flush()
`;

type Refable = { ref?: () => void; unref?: () => void };
function setRef(child: ChildProcessWithoutNullStreams, on: boolean): void {
  for (const h of [child, child.stdin, child.stdout, child.stderr] as unknown as Refable[]) (on ? h.ref : h.unref)?.call(h);
}

export class PythonUnavailableError extends Error {}

export class PythonAstWorker {
  private child: ChildProcessWithoutNullStreams | null = null;
  private pending = new Map<number, { resolve: (ok: boolean[]) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private failure: Error | null = null;

  constructor(private readonly python = process.env.SWERL_PYTHON ?? "python3") {}

  private start(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    const child = spawn(this.python, ["-I", "-c", SCRIPT], { stdio: ["pipe", "pipe", "pipe"] });
    const fail = (err: Error) => {
      this.failure = err;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
      this.child = null;
    };
    child.on("error", (e) => fail(new PythonUnavailableError(`the strict syntax check needs ${this.python} (Python's ast.parse): ${e.message}`)));
    child.on("exit", (code) => { if (this.pending.size > 0) fail(new Error(`${this.python} (ast.parse worker) exited with code ${code}`)); else this.child = null; });
    let stderr = "";
    child.stderr.on("data", (d) => { stderr = (stderr + d).slice(-2000); });
    createInterface({ input: child.stdout }).on("line", (line) => {
      let msg: { id: number; ok: boolean[] };
      try { msg = JSON.parse(line); } catch { return fail(new Error(`ast.parse worker: bad answer ${line.slice(0, 200)} ${stderr}`)); }
      const p = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      p?.resolve(msg.ok);
      if (this.pending.size === 0) this.idle();
    });
    child.stdin.on("error", () => {}); // reported through "exit"/"error"
    this.child = child;
    return child;
  }

  // No requests in flight: the worker must not keep the process alive.
  private idle(): void { if (this.child) setRef(this.child, false); }
  private busy(child: ChildProcessWithoutNullStreams): void { setRef(child, true); }

  /** For each source, whether ast.parse accepts it. */
  parses(sources: readonly string[]): Promise<boolean[]> {
    if (sources.length === 0) return Promise.resolve([]);
    if (this.failure instanceof PythonUnavailableError) return Promise.reject(this.failure);
    const child = this.start();
    this.busy(child);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      child.stdin.write(JSON.stringify({ id, sources }) + "\n");
    });
  }

  close(): void { this.child?.kill(); this.child = null; }
}

let shared: PythonAstWorker | undefined;
/** The process-wide worker (started on first use, never keeping the process alive while idle). */
export const sharedAstWorker = (): PythonAstWorker => (shared ??= new PythonAstWorker());
