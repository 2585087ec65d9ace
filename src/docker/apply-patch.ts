// Applying a model patch the way the SWE-bench harness does (swebench/harness/run_evaluation.py):
// copy it to /tmp/patch.diff, then try each command of the ladder in the repo directory as root;
// the first that exits 0 wins. "swebench-4.1" (default; SWE-bench <= 4.1) tries the commands on
// whatever the previous failure left behind, exactly as that harness did. "swebench-5" is the
// 5.x ladder: --3way added, patch gets --forward, the tree is reset between attempts, and a
// patch that turns out to be fully applied anyway (`git apply --check --reverse`) counts.
import type { Sandbox, SandboxFile } from "./container.js";

export const PATCH_PATH = "/tmp/patch.diff";

export const APPLY_LADDERS = {
  "swebench-4.1": ["git apply --verbose", "git apply --verbose --reject", "patch --batch --fuzz=5 -p1 -i"],
  "swebench-5": [
    "git apply --verbose",
    "git apply --verbose --3way",
    "git apply --verbose --reject",
    "patch --batch --forward --fuzz=5 -p1 -i",
  ],
} as const;
export type ApplyLadder = keyof typeof APPLY_LADDERS;

export interface ApplyPatchOptions {
  ladder?: ApplyLadder;
  /** Repository directory; default the sandbox's workdir (/testbed). */
  workdir?: string;
  /** Limit per command (default 120 s); a timed-out command counts as failed. */
  timeoutMs?: number;
  /** More files to copy in with the patch, in the same tar stream (saves a round trip). */
  extraFiles?: SandboxFile[];
}

export interface ApplyPatchResult {
  applied: boolean;
  /** The command that succeeded, e.g. "git apply --verbose". */
  method?: string;
  /** Every attempt: the command, its exit status and its combined output. */
  log: string;
}

export async function applyPatch(
  sandbox: Sandbox,
  patch: string,
  opts: ApplyPatchOptions = {},
): Promise<ApplyPatchResult> {
  const ladder = opts.ladder ?? "swebench-4.1";
  const commands = APPLY_LADDERS[ladder];
  if (!commands)
    throw new Error(`applyPatch: unknown ladder "${ladder}" (known: ${Object.keys(APPLY_LADDERS).join(", ")})`);
  const execOpts = { timeoutMs: opts.timeoutMs ?? 120_000, workdir: opts.workdir ?? sandbox.workdir };
  await sandbox.putFiles([{ path: PATCH_PATH, content: patch }, ...(opts.extraFiles ?? [])]);
  const log: string[] = [];
  for (const [i, command] of commands.entries()) {
    if (i > 0 && ladder === "swebench-5") await sandbox.exec("git checkout -- . ; git clean -fd", execOpts);
    const r = await sandbox.exec(`${command} ${PATCH_PATH}`, execOpts);
    const status = r.timedOut ? `timed out after ${execOpts.timeoutMs} ms` : `exit ${r.exitCode}`;
    log.push(`$ ${command} ${PATCH_PATH}  (${status})\n${r.output}`);
    if (!r.timedOut && r.exitCode === 0) return { applied: true, method: command, log: log.join("\n") };
  }
  if (ladder === "swebench-5") {
    const r = await sandbox.exec(`git apply --check --reverse ${PATCH_PATH}`, execOpts);
    log.push(`$ git apply --check --reverse ${PATCH_PATH}  (exit ${r.exitCode})\n${r.output}`);
    if (!r.timedOut && r.exitCode === 0) return { applied: true, method: "already applied", log: log.join("\n") };
  }
  return { applied: false, log: log.join("\n") };
}
