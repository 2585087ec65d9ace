// Running a command in a container with a wall-clock limit that really ends it.
//
// The command runs as `bash -c <cmd>` (non-login: the image's ENV as-is, no profile files, the
// same as `docker exec <c> bash -c`; activate conda yourself, e.g. `source
// /opt/miniconda3/bin/activate testbed`). stdout and stderr are one combined stream, in order.
//
// Every exec carries a unique SWERL_EXEC=<token> variable that all its descendants inherit,
// even those that daemonize, start a new session, or get reparented to the container's init.
// On timeout a second exec SIGKILLs every process whose environment holds the token, until none
// is left. If that cannot run (pids limit exhausted, engine trouble) or the output stream still
// does not close (a process dropped the variable but kept our stdout), the whole container is
// killed: the sandbox is then dead, but nothing of the command survives.
import { randomUUID } from "node:crypto";
import { open } from "node:fs/promises";
import { Writable, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type Docker from "dockerode";
import { DockerDemux } from "./demux.js";
import { InfraError, messageOf } from "./errors.js";

export interface ExecOptions {
  timeoutMs: number;
  /** Stream the combined output to this host file (created/truncated) instead of memory. */
  outputFile?: string;
  workdir?: string;
  env?: Record<string, string>;
  user?: string;
}

export interface ExecResult {
  /** The command's exit status; on timeout whatever the engine reports (usually 137) or null. */
  exitCode: number | null;
  timedOut: boolean;
  /** Combined stdout+stderr (UTF-8); "" when outputFile was given. */
  output: string;
  /** True when the in-memory output passed MAX_MEMORY_OUTPUT and its tail was dropped. */
  outputTruncated: boolean;
  durationMs: number;
}

export const EXEC_TOKEN_VAR = "SWERL_EXEC";
export const MAX_MEMORY_OUTPUT = 64 * 1024 * 1024;
const KILL_GRACE_MS = 5000;

// $1 = token. Pure bash (no grep/pkill needed in the image); repeats until a scan finds nothing,
// so children forked while we were killing are caught on the next pass. Each pass stops every
// process it finds and only then kills them: killed one by one (in /proc's order, "15" before
// "9"), a shell saw its child die and ran the command's next line before its own turn came.
// A process sent SIGKILL keeps its /proc entry until the kernel runs it to its end, which under
// load can take longer than many passes: a pass that finds only such processes waits 20 ms.
const KILL_SCRIPT = `
want="${EXEC_TOKEN_VAR}=$1"
sent=" "
for ((pass = 0; pass < 300; pass++)); do
  found=()
  fresh=0
  for d in /proc/[0-9]*; do
    pid=\${d#/proc/}
    [ "$pid" = "$$" ] && continue
    { while IFS= read -r -d '' kv; do
        if [ "$kv" = "$want" ]; then
          kill -STOP "$pid"; found+=("$pid")
          [[ "$sent" == *" $pid "* ]] || fresh=1
          break
        fi
      done < "$d/environ"; } 2>/dev/null
  done
  [ \${#found[@]} = 0 ] && exit 0
  kill -KILL "\${found[@]}" 2>/dev/null
  sent+="\${found[*]} "
  [ $fresh = 0 ] && sleep 0.02
done
exit 3
`;

class MemorySink extends Writable {
  chunks: Buffer[] = [];
  size = 0;
  truncated = false;
  override _write(chunk: Buffer, _enc: BufferEncoding, done: (e?: Error | null) => void): void {
    const room = MAX_MEMORY_OUTPUT - this.size;
    if (room <= 0) this.truncated = true;
    else {
      const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
      if (part.length < chunk.length) this.truncated = true;
      this.chunks.push(part);
      this.size += part.length;
    }
    done();
  }
}

function envList(env: Record<string, string> | undefined, token: string): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(env ?? {})) {
    if (!k || k.includes("=")) throw new Error(`exec: bad environment variable name "${k}"`);
    out.push(`${k}=${v}`);
  }
  out.push(`${EXEC_TOKEN_VAR}=${token}`);
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Run to completion without a token or timeout machinery; for the kill helper itself. */
async function runPlain(container: Docker.Container, cmd: string[], timeoutMs: number): Promise<number | null> {
  const exec = await container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true, Tty: false, User: "root" });
  const stream = (await exec.start({ hijack: true, stdin: false })) as Readable;
  const ended = new Promise<void>((resolve) => {
    stream
      .on("end", resolve)
      .on("close", resolve)
      .on("error", () => resolve());
    stream.resume();
  });
  const inTime = await Promise.race([ended.then(() => true), sleep(timeoutMs).then(() => false)]);
  if (!inTime) {
    stream.destroy();
    return null;
  }
  // The stream can end before the engine records the exit (seen under load): wait for it.
  return exitCodeOf(exec);
}

/** SIGKILL every process of the exec with this token, as far as the helper exec can. */
async function killByToken(container: Docker.Container, token: string): Promise<void> {
  try {
    await runPlain(container, ["bash", "-c", KILL_SCRIPT, "swerl-kill", token], 10_000);
  } catch {
    // the container cannot run it (pids limit, engine trouble): the caller's grace decides
  }
}

/** The exec's exit code once the engine reports it finished; null if it does not within ~5 s. */
async function exitCodeOf(exec: Docker.Exec): Promise<number | null> {
  for (let i = 0; i < 250; i++) {
    try {
      const info = await exec.inspect();
      if (!info.Running) return info.ExitCode ?? null;
    } catch {
      return null;
    }
    await sleep(20);
  }
  return null;
}

export async function runExec(
  container: Docker.Container,
  cmd: string,
  opts: ExecOptions,
  defaultWorkdir: string,
): Promise<ExecResult> {
  if (!(opts.timeoutMs > 0)) throw new Error(`exec: timeoutMs must be a positive number (got ${opts.timeoutMs})`);
  const started = Date.now();
  const token = randomUUID();
  // Open the output file before anything runs, so a bad path fails before the command starts.
  const file = opts.outputFile ? await open(opts.outputFile, "w") : undefined;
  const sink = file ? file.createWriteStream() : new MemorySink();
  let timedOut = false;
  let done = false;
  let timer: NodeJS.Timeout | undefined;
  let stream: Readable | undefined;
  try {
    const exec = await container.exec({
      Cmd: ["bash", "-c", cmd],
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
      WorkingDir: opts.workdir ?? defaultWorkdir,
      Env: envList(opts.env, token),
      User: opts.user ?? "root",
    });
    stream = (await exec.start({ hijack: true, stdin: false })) as Readable;
    const copying = pipeline(stream, new DockerDemux(), sink);
    const finished = copying.then(
      () => (done = true),
      (err) => {
        if (timedOut) return true; // we cut the stream ourselves
        throw err;
      },
    );
    const onTimeout = async (): Promise<void> => {
      if (done) return;
      timedOut = true;
      // Even when the kill is not confirmed, the stream gets the grace: a kill helper that
      // failed under load may still have ended every process.
      await killByToken(container, token);
      const closed = await Promise.race([finished.catch(() => true), sleep(KILL_GRACE_MS).then(() => false)]);
      if (!closed) {
        await container.kill().catch(() => {});
        stream?.destroy();
      }
    };
    const timing = new Promise<void>((resolve) => {
      timer = setTimeout(() => void onTimeout().then(resolve, resolve), opts.timeoutMs);
    });
    await finished;
    if (timedOut) await timing; // let the kill finish before we report
    const exitCode = await exitCodeOf(exec);
    const mem = sink instanceof MemorySink ? sink : undefined;
    return {
      exitCode,
      timedOut,
      output: mem ? Buffer.concat(mem.chunks).toString("utf8") : "",
      outputTruncated: mem?.truncated ?? false,
      durationMs: Date.now() - started,
    };
  } catch (err) {
    if (err instanceof InfraError) throw err;
    await killByToken(container, token);
    throw new InfraError(`exec in container ${container.id.slice(0, 12)} failed: ${messageOf(err)}`, "container", {
      cause: err,
    });
  } finally {
    clearTimeout(timer);
    stream?.destroy();
    if (!sink.writableFinished) sink.destroy();
    await file?.close().catch(() => {});
  }
}
