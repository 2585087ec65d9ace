// The warm-up probe run once in every new container (reuse): the env prelude (its output
// dropped), then what the steps need to know of the container as it is ready — the directory
// the prelude ended in, the tree's status (untracked/ignored paths to keep), /tmp's entries
// (kept by the wipe) and `export -p` (the environment replayed at each step).

/** The probe's bash script. */
export function probeScript(prelude: string | undefined, workdir: string): string {
  return `${prelude ? `{ ${prelude}\n} >/dev/null 2>&1 </dev/null\n` : ""}echo "@@cwd $PWD"\n` +
    `cd ${workdir} && git status --porcelain --ignored && echo @@tmp && shopt -s nullglob dotglob && for f in /tmp/*; do echo "$f"; done\n` +
    "echo @@env; export -p";
}

/**
 * The probe's output: the prelude's final directory, the tree's status lines, /tmp's
 * entries, and `export -p` (minus what bash sets per process) to replay at each step.
 */
export function splitProbe(output: string): { cwd: string; status: string[]; tmp: string[]; exports: string } {
  const cwdAt = output.lastIndexOf("@@cwd ", output.indexOf("\n@@tmp\n"));
  const rest = output.slice(cwdAt);
  const lineEnd = rest.indexOf("\n");
  const cwd = rest.slice("@@cwd ".length, lineEnd);
  const [status = "", afterTmp = ""] = rest.slice(lineEnd + 1).split(/^@@tmp\n/m);
  const envAt = afterTmp.indexOf("@@env\n");
  const tmp = (envAt < 0 ? afterTmp : afterTmp.slice(0, envAt)).split("\n").filter((l) => l !== "");
  const exports = (envAt < 0 ? "" : afterTmp.slice(envAt + "@@env\n".length))
    .split(/\n(?=declare -x )/)
    .filter((d) => d.startsWith("declare -x ") && !PER_PROCESS.test(d))
    .join("\n").trim();
  return { cwd, status: status.split("\n").filter((l) => l !== ""), tmp, exports };
}
const PER_PROCESS = /^declare -x (PWD|OLDPWD|SHLVL|_)(=|$)/;
