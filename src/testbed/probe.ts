// The warm-up probe run once in every new container (reuse): the env prelude (failing lines
// reported), then what the steps need to know of the container as it is ready — the directory
// the prelude ended in, the tree's status (untracked/ignored paths to keep), /tmp's entries
// (kept by the wipe) and `export -p` (the environment replayed at each step).
import { shellQuote as q } from "./shell.js";

const PRELUDE_LOG = "/tmp/swerl-prelude.log";

/**
 * The probe's bash script. Each prelude line runs in this shell (so what it exports stays),
 * its output into a log; the lines that fail are named, with the log's tail.
 */
export function probeScript(prelude: readonly string[] | undefined, workdir: string): string {
  const lines = (prelude ?? []).map(
    (line) =>
      `{ ${line}\n} >>${PRELUDE_LOG} 2>&1 </dev/null || swerl_failed+="\${swerl_failed:+; }"${q(line)}" (exit $?)"`,
  );
  return [
    "swerl_failed=",
    ...lines,
    `echo "@@prelude $swerl_failed"; [ -z "$swerl_failed" ] || tail -c 1500 ${PRELUDE_LOG} | tr '\\n' ' '; echo; rm -f ${PRELUDE_LOG}`,
    `echo "@@cwd $PWD"`,
    `cd ${workdir} && git status --porcelain --ignored && echo @@tmp && shopt -s nullglob dotglob && for f in /tmp/*; do echo "$f"; done`,
    "echo @@env; export -p",
  ].join("\n");
}

/**
 * The probe's output: the prelude's final directory, the tree's status lines, /tmp's
 * entries, and `export -p` (minus what bash sets per process) to replay at each step.
 */
export function splitProbe(output: string): {
  cwd: string;
  status: string[];
  tmp: string[];
  exports: string;
  preludeFailures: string;
} {
  const pre = /^@@prelude (.*)\n(.*)$/m.exec(output);
  const preludeFailures = pre?.[1] ? `${pre[1]}; output: ${pre[2]!.trim()}` : "";
  const cwdAt = output.lastIndexOf("@@cwd ", output.indexOf("\n@@tmp\n"));
  const rest = output.slice(cwdAt);
  const lineEnd = rest.indexOf("\n");
  const cwd = rest.slice("@@cwd ".length, lineEnd);
  const [status = "", afterTmp = ""] = rest.slice(lineEnd + 1).split(/^@@tmp\n/m);
  const envAt = afterTmp.indexOf("@@env\n");
  const tmp = (envAt < 0 ? afterTmp : afterTmp.slice(0, envAt)).split("\n").filter((l) => l !== "");
  const exports = (envAt < 0 ? "" : afterTmp.slice(envAt + "@@env\n".length))
    .split(/\n(?=declare -[a-zA-Z]+ )/)
    // Other attributes (readonly, integer) are dropped: each step only needs the value exported.
    .map((d) => d.replace(/^declare -[a-zA-Z]*x[a-zA-Z]* /, "declare -x "))
    .filter((d) => d.startsWith("declare -x ") && !PER_PROCESS.test(d))
    .join("\n")
    .trim();
  return { cwd, status: status.split("\n").filter((l) => l !== ""), tmp, exports, preludeFailures };
}
const PER_PROCESS = /^declare -x (PWD|OLDPWD|SHLVL|_)(=|$)/;
