// Running Slurm's client commands (sbatch, squeue, scontrol, scancel): with a timeout (they
// hang while the controller is down), their stderr in the error, and a clear message when
// they are not installed.
import { execFile } from "node:child_process";
import { parseSbatchParsable, parseScontrolJobs, parseSqueue, SQUEUE_FORMAT, type SqueueRow } from "./parse.js";

export class SlurmCommandError extends Error {
  override name = "SlurmCommandError";
  constructor(
    message: string,
    readonly stderr: string,
    readonly exitCode: number | null,
  ) {
    super(message);
  }
}

const TIMEOUT_MS = Number(process.env.SWERL_SLURM_TIMEOUT_MS ?? 30_000);

/** Run one Slurm command; its stdout, or a SlurmCommandError naming the command and its stderr. */
export function runSlurm(command: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      const e = err as NodeJS.ErrnoException & { killed?: boolean; code?: string | number };
      if (e.code === "ENOENT") {
        return reject(
          new SlurmCommandError(
            `${command} is not on PATH: run swerl slurm on a Slurm login node (here: bash scripts/setup-slurm.sh)`,
            "",
            null,
          ),
        );
      }
      const why = e.killed
        ? `did not answer within ${TIMEOUT_MS / 1000} s (is slurmctld up?)`
        : `failed (exit ${String(e.code)})`;
      reject(
        new SlurmCommandError(
          `${command} ${args.join(" ")} ${why}${stderr.trim() ? `: ${stderr.trim()}` : ""}`,
          stderr,
          typeof e.code === "number" ? e.code : null,
        ),
      );
    });
  });
}

/** Submit a batch script; the job id (sbatch --parsable). */
export async function sbatch(args: readonly string[], script: string): Promise<string> {
  return parseSbatchParsable(await runSlurm("sbatch", ["--parsable", ...args, script]));
}

// A job that left the controller's memory (older than MinJobAge) is an error to both squeue
// and scontrol when it is the only one asked about; swerl treats it as "no rows".
const isUnknownJob = (err: unknown): boolean => err instanceof SlurmCommandError && /Invalid job id/i.test(err.stderr);

/**
 * Jobs by id (array job ids give every task, one row each). `all`: finished jobs too (those
 * the controller still remembers), else only queued and running ones.
 */
export async function squeueJobs(jobIds: readonly string[], all: boolean): Promise<SqueueRow[]> {
  if (jobIds.length === 0) return [];
  try {
    return parseSqueue(
      await runSlurm("squeue", [
        "-h",
        "-r",
        ...(all ? ["-t", "all"] : []),
        "-j",
        jobIds.join(","),
        "-o",
        SQUEUE_FORMAT,
      ]),
    );
  } catch (err) {
    if (isUnknownJob(err)) return [];
    throw err;
  }
}

/** `scontrol show job -o ID`: the job (every task of an array job) as Key=Value maps. */
export async function scontrolJobs(jobId: string): Promise<Record<string, string>[]> {
  try {
    return parseScontrolJobs(await runSlurm("scontrol", ["show", "job", "-o", jobId]));
  } catch (err) {
    if (isUnknownJob(err)) return [];
    throw err;
  }
}

export async function scancel(jobIds: readonly string[], signal?: string): Promise<void> {
  if (jobIds.length === 0) return;
  await runSlurm("scancel", [...(signal ? [`--signal=${signal}`] : []), ...jobIds]);
}
