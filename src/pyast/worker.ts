// A long-lived host python3 process answering questions only Python's own `ast` answers
// exactly: does this text parse (`ast.parse`; the strict syntax check must agree with the
// reference, and no JavaScript parser accepts exactly what CPython accepts), and what is a
// reproduction test's vote key as Agentless 1.5 writes it (`ast.unparse`, comments and
// docstrings removed, the last line's callee renamed). The script is ours; it only parses and
// unparses (nothing from the text is compiled or run). Requests are JSON lines
// {id, op, sources}, answers {id, out}.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface } from "node:readline";
import { STRIP_COMMENTS_SOURCE } from "../normalize/strip-comments-source.js";

const SCRIPT = String.raw`
import ast, io, json, sys, tokenize, warnings
warnings.simplefilter("ignore")

${STRIP_COMMENTS_SOURCE}

def parses(src):
    try:
        ast.parse(src)
        return True
    except Exception:
        return False


def test_vote_key(code):
    """As Agentless 1.5's normalize_test (generate_reproduction_tests.py:333-357) and the
    strip of test_selection (:409): unparsed, comments and docstrings removed when the result
    still parses, the text before "(" on the last line renamed test_func everywhere."""
    try:
        text = ast.unparse(ast.parse(code))
    except Exception:
        text = code
    try:
        stripped = without_comments_and_string_statements(text)
        ast.parse(stripped)
    except Exception:
        stripped = text
    lines = stripped.splitlines()
    if lines:
        stripped = stripped.replace(lines[-1].split("(")[0], "test_func")
    return stripped.strip()


OPS = {"parse": parses, "test_vote_key": test_vote_key}
for line in sys.stdin:
    req = json.loads(line)
    op = OPS[req.get("op", "parse")]
    sys.stdout.write(json.dumps({"id": req["id"], "out": [op(src) for src in req["sources"]]}) + "\n")
    sys.stdout.flush()
`;

type Refable = { ref?: () => void; unref?: () => void };
function setRef(child: ChildProcessWithoutNullStreams, on: boolean): void {
  for (const h of [child, child.stdin, child.stdout, child.stderr] as unknown as Refable[])
    (on ? h.ref : h.unref)?.call(h);
}

export class PythonUnavailableError extends Error {}

export class PythonAstWorker {
  private child: ChildProcessWithoutNullStreams | null = null;
  private pending = new Map<number, { resolve: (out: unknown[]) => void; reject: (e: Error) => void }>();
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
    child.on("error", (e) =>
      fail(
        new PythonUnavailableError(
          `the strict syntax check and Agentless's test vote key need ${this.python} (Python's ast): ${e.message}`,
        ),
      ),
    );
    child.on("exit", (code) => {
      if (this.pending.size > 0) fail(new Error(`${this.python} (ast.parse worker) exited with code ${code}`));
      else this.child = null;
    });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr = (stderr + d).slice(-2000);
    });
    createInterface({ input: child.stdout }).on("line", (line) => {
      let msg: { id: number; out: unknown[] };
      try {
        msg = JSON.parse(line);
      } catch {
        return fail(new Error(`ast.parse worker: bad answer ${line.slice(0, 200)} ${stderr}`));
      }
      const p = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      p?.resolve(msg.out);
      if (this.pending.size === 0) this.idle();
    });
    child.stdin.on("error", () => {}); // reported through "exit"/"error"
    this.child = child;
    return child;
  }

  // No requests in flight: the worker must not keep the process alive.
  private idle(): void {
    if (this.child) setRef(this.child, false);
  }
  private busy(child: ChildProcessWithoutNullStreams): void {
    setRef(child, true);
  }

  /** For each source, whether ast.parse accepts it. */
  parses(sources: readonly string[]): Promise<boolean[]> {
    return this.ask("parse", sources) as Promise<boolean[]>;
  }

  /** For each reproduction test (the extracted block), its vote key as Agentless 1.5 computes it. */
  testVoteKeys(tests: readonly string[]): Promise<string[]> {
    return this.ask("test_vote_key", tests) as Promise<string[]>;
  }

  private ask(op: string, sources: readonly string[]): Promise<unknown[]> {
    if (sources.length === 0) return Promise.resolve([]);
    if (this.failure instanceof PythonUnavailableError) return Promise.reject(this.failure);
    const child = this.start();
    this.busy(child);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      child.stdin.write(JSON.stringify({ id, op, sources }) + "\n");
    });
  }

  close(): void {
    this.child?.kill();
    this.child = null;
  }
}

let shared: PythonAstWorker | undefined;
/** The process-wide worker (started on first use, never keeping the process alive while idle). */
export const sharedAstWorker = (): PythonAstWorker => (shared ??= new PythonAstWorker());
