// The real git CLI, run without a shell. Commits made by swerl use a fixed identity and,
// when asked, fixed dates so that the same tree always gives the same sha.
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

export class GitError extends Error {}

export interface GitOptions {
  env?: Record<string, string>;
  input?: string;
  maxBuffer?: number;
}

export async function git(cwd: string, args: string[], opts: GitOptions = {}): Promise<string> {
  try {
    const { stdout } = await run("git", args, {
      cwd,
      env: { ...process.env, GIT_TERMINAL_PROMPT: "0", ...opts.env },
      maxBuffer: opts.maxBuffer ?? 256 * 1024 * 1024,
    });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new GitError(`git ${args.join(" ")} (in ${cwd}) failed: ${(e.stderr ?? e.message).trim()}`);
  }
}

/** Environment for a reproducible commit: fixed author, committer and date. */
export function fixedIdentity(date: string): Record<string, string> {
  return {
    GIT_AUTHOR_NAME: "swerl",
    GIT_AUTHOR_EMAIL: "swerl@localhost",
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_NAME: "swerl",
    GIT_COMMITTER_EMAIL: "swerl@localhost",
    GIT_COMMITTER_DATE: date,
  };
}
