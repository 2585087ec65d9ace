// One testbed step as ONE exec: apply the patch (the harness's ladder, in bash), run the command
// under a hard time limit, kill whatever it left running, read the cgroup's OOM/pids counters,
// reset the tree and wipe /tmp, then print `git status` for the host to verify. Each exec costs
// ~0.1 s, so doing it all in one is what keeps container reuse close to the bare test time.
//
// The stream carries sections separated by marker lines `@@swerl-<nonce>@@<KIND> ...`. The
// nonce is random per step; the command's own output sits between the APPLY marker and the
// LAST EXIT marker, so a command that prints fake markers can only garble its own output.
import { APPLY_LADDERS, type ApplyLadder } from "../docker/apply-patch.js";
import { shellQuote as q } from "./shell.js";

export const STEP_PATCH_PATH = "/tmp/patch.diff";
export const STEP_COMMAND_PATH = "/tmp/swerl-step-command.sh";
const APPLY_OUT_PATH = "/tmp/swerl-apply.out";

// Reads "<key> <value>" lines (cgroup v1 memory.oom_control / pids.events, v2 memory.events /
// pids.events); prints 0 when the file or key is missing.
// No subshells (each fork costs milliseconds on a loaded machine): results land in $cgv.
const CG_FUNCTIONS = `
cg_value() { local key=$1 k v f; shift; cgv=0; for f in "$@"; do [ -r "$f" ] || continue
  while read -r k v; do [ "$k" = "$key" ] && { cgv=$v; return; }; done < "$f"; done; }
oom_kills() { cg_value oom_kill /sys/fs/cgroup/memory/memory.oom_control /sys/fs/cgroup/memory.events; }
pids_max_hits() { cg_value max /sys/fs/cgroup/pids/pids.events /sys/fs/cgroup/pids.events; }
`;

// Processes alive when the step starts (init, its sleep infinity; earlier steps left none).
const LIST_OWN_PROCESSES = `local d; keep=" "; for d in /proc/[0-9]*; do [ "\${d#/proc/}" = "$$" ] || keep+="\${d#/proc/} "; done`;

// SIGKILL every process but those and this script, until a scan finds none alive: daemons the
// command left, setsid or not, with or without our environment. Pure bash: no fork while killing.
const KILL_STRAGGLERS = `
local pass found d pid stat st
stragglers=0
for ((pass = 0; pass < 50; pass++)); do
  found=0
  for d in /proc/[0-9]*; do
    pid=\${d#/proc/}; [ "$pid" = "$$" ] && continue; [[ "$keep" == *" $pid "* ]] && continue
    stat=; { read -r stat < "$d/stat"; } 2>/dev/null; [ -z "$stat" ] && continue
    st=\${stat##*) }; [ "\${st:0:1}" = Z ] && continue   # a zombie: init reaps it
    kill -KILL "$pid" 2>/dev/null && { found=1; stragglers=$((stragglers + 1)); }
  done
  [ "$found" = 0 ] && break
done
`;

/** What every step of one exec shares: defined once at the top of the batch's script. */
export interface StepLibraryOptions {
  workdir: string;
  ladder: ApplyLadder;
  /** false = strict mode (the container is thrown away): no reset, no status. */
  reset: boolean;
  /** Untracked paths present when the container started (kept by `git clean`). */
  keepUntracked: string[];
  /** Top-level /tmp entries present when the container started (kept by the wipe). */
  keepTmp: string[];
  /**
   * `export -p` as the env prelude left it (testbed.ts captures it once per container) and the
   * directory it ended in: replayed with builtins, so each step starts in the instance's
   * environment without running the prelude (conda activate, locale-gen) again.
   */
  environment?: { exports: string; cwd: string };
}

export interface StepScriptOptions {
  nonce: string;
  hasPatch: boolean;
  timeoutMs: number;
  reset: boolean;
  /** Bash run first (unpacking the step's files). */
  prologue?: string;
  /** Directory the command starts in (default: the tree). */
  cwd?: string;
  workdir: string;
}

/**
 * Bash functions for the steps: swerl_own (processes alive at the start), swerl_apply (the
 * harness's ladder), swerl_kill (stragglers), oom_kills/pids_max_hits, swerl_reset. Also the
 * replayed environment. Defined once per exec: each step's own script is then a few lines.
 */
export function buildStepLibrary(o: StepLibraryOptions): string {
  const lines: string[] = [];
  if (o.environment) lines.push(o.environment.exports);
  lines.push(CG_FUNCTIONS, `swerl_own() { ${LIST_OWN_PROCESSES}; }`, `swerl_kill() {${KILL_STRAGGLERS}}`);
  const cmds = APPLY_LADDERS[o.ladder];
  const strict5 = o.ladder === "swebench-5";
  // No command substitution: each $(...) is a fork (~5-10 ms here); output goes via a file
  // read back with the `read` builtin. No per-command timeout either (one process fewer): git
  // apply and patch --batch cannot wait for input, and the host's exec limit still holds.
  const apply = [`swerl_apply() { local c first=1 rc; applied=-`, `for c in ${cmds.map(q).join(" ")}; do`];
  if (strict5) apply.push(`  [ $first = 1 ] || { git checkout -q -- . ; git clean -fdq; }`);
  apply.push(
    `  first=0`,
    `  $c ${STEP_PATCH_PATH} >${APPLY_OUT_PATH} 2>&1 </dev/null; rc=$?; out=; IFS= read -r -d '' out <${APPLY_OUT_PATH}`,
    `  printf '$ %s %s  (exit %s)\\n%s\\n' "$c" ${STEP_PATCH_PATH} "$rc" "\${out%$'\\n'}"`,
    `  [ $rc = 0 ] && { applied="$c"; break; }`,
    `done`,
  );
  if (strict5) {
    apply.push(
      `if [ "$applied" = - ]; then git apply --check --reverse ${STEP_PATCH_PATH} >${APPLY_OUT_PATH} 2>&1; rc=$?; out=; IFS= read -r -d '' out <${APPLY_OUT_PATH}`,
      `  printf '$ git apply --check --reverse %s  (exit %s)\\n%s\\n' ${STEP_PATCH_PATH} "$rc" "\${out%$'\\n'}"`,
      `  [ $rc = 0 ] && applied="already applied"; fi`,
    );
  }
  lines.push(...apply, `}`);
  if (o.reset) {
    const excludes = o.keepUntracked.map((p) => `-e ${q(`/${p}`)}`).join(" ");
    const keepTmp = o.keepTmp.map((p) => `[${q(p)}]=1`).join(" ");
    lines.push(
      `declare -A swerl_keep_tmp=(${keepTmp})`,
      // One rm for all of /tmp's new entries (a fork per file would cost ~10 ms each).
      `swerl_reset() { local f; local -a del=(); git checkout -q -- . 2>&1; git clean -fdq ${excludes} 2>&1`,
      `  shopt -s nullglob dotglob; for f in /tmp/*; do [ -n "\${swerl_keep_tmp[$f]}" ] || del+=("$f"); done; shopt -u nullglob dotglob`,
      `  [ \${#del[@]} = 0 ] || rm -rf -- "\${del[@]}"; }`,
    );
  }
  return lines.join("\n");
}

export function buildStepScript(o: StepScriptOptions): string {
  const M = `@@swerl-${o.nonce}@@`;
  const lines: string[] = [
    `ta=$EPOCHREALTIME; M=${q(M)}`,
    "swerl_own",
    o.prologue ?? "",
    `cd ${q(o.workdir)} || exit 90`,
    "applied=-",
  ];
  if (o.hasPatch) lines.push("swerl_apply");
  const limitS = (o.timeoutMs / 1000).toFixed(3);
  lines.push(
    `printf '\\n%sAPPLY %s %s %s\\n' "$M" "$ta" "$EPOCHREALTIME" "$applied"`,
    `oom_kills; oom0=$cgv; pids_max_hits; pids0=$cgv`,
    `if [ "$applied" != - ] || [ ${o.hasPatch ? 0 : 1} = 1 ]; then`,
    ...(o.cwd && o.cwd !== o.workdir ? [`  cd ${q(o.cwd)} || exit 90`] : []),
    `  t0=$EPOCHREALTIME`,
    // The driver's stderr goes to /dev/null meanwhile: bash's own "Killed" notice is not output.
    `  exec 3>&2 2>/dev/null; timeout -s KILL ${limitS} bash ${STEP_COMMAND_PATH} </dev/null 2>&3; rc=$?; exec 2>&3 3>&-`,
    `  t1=$EPOCHREALTIME`,
    `  printf '\\n%sEXIT %s %s %s\\n' "$M" "$rc" "$t0" "$t1"`,
    `fi`,
    "swerl_kill",
    `oom_kills; oom1=$cgv; pids_max_hits; pids1=$cgv`,
    `printf '%sCG %s %s %s %s %s\\n' "$M" "$oom0" "$oom1" "$pids0" "$pids1" "$stragglers"`,
  );
  if (o.reset) {
    lines.push(
      `cd ${q(o.workdir)} || exit 90`,
      `t2=$EPOCHREALTIME`,
      `swerl_reset`,
      `printf '%sSTATUS\\n' "$M"`,
      `git status --porcelain --ignored 2>&1; src=$?`,
      `printf '%sEND %s %s %s\\n' "$M" "$src" "$t2" "$EPOCHREALTIME"`,
    );
  } else {
    lines.push(`printf '%sEND 0 0 0\\n' "$M"`);
  }
  return lines.join("\n");
}

export interface ParsedStep {
  applyLog: string;
  /** The ladder command that applied the patch; null when nothing applied (or no patch). */
  applyMethod: string | null;
  /** Time of the apply ladder (and the script's start), in the container. */
  applyMs: number;
  ran: boolean;
  exitCode: number | null;
  commandMs: number;
  output: string;
  oomKills: number;
  pidsLimitHits: number;
  stragglers: number;
  finished: boolean;
  statusExit: number | null;
  statusLines: string[];
  resetMs: number;
}

const seconds = (s: string | undefined): number => Number((s ?? "").replace(",", "."));

/** Splits a step's stream into its parts; `finished` is false when the script did not end. */
export function parseStepOutput(text: string, nonce: string): ParsedStep {
  const M = `@@swerl-${nonce}@@`;
  const r: ParsedStep = {
    applyLog: text,
    applyMethod: null,
    applyMs: 0,
    ran: false,
    exitCode: null,
    commandMs: 0,
    output: "",
    oomKills: 0,
    pidsLimitHits: 0,
    stragglers: 0,
    finished: false,
    statusExit: null,
    statusLines: [],
    resetMs: 0,
  };
  const applyAt = text.indexOf(`\n${M}APPLY `);
  if (applyAt < 0) return r;
  r.applyLog = text.slice(0, applyAt).replace(/\n$/, "");
  const applyEnd = text.indexOf("\n", applyAt + 1);
  const [ta, tb, ...method] = text.slice(applyAt + M.length + 7, applyEnd).split(" ");
  r.applyMethod = method.join(" ") === "-" ? null : method.join(" ");
  r.applyMs = Math.max(0, Math.round((seconds(tb) - seconds(ta)) * 1000));
  let rest = text.slice(applyEnd + 1);
  const exitAt = rest.lastIndexOf(`\n${M}EXIT `);
  if (exitAt >= 0) {
    r.ran = true;
    r.output = rest.slice(0, exitAt);
    const lineEnd = rest.indexOf("\n", exitAt + 1);
    const [rc, t0, t1] = rest.slice(exitAt + M.length + 6, lineEnd < 0 ? undefined : lineEnd).split(" ");
    r.exitCode = Number.isInteger(Number(rc)) ? Number(rc) : null;
    r.commandMs = Math.max(0, Math.round((seconds(t1) - seconds(t0)) * 1000));
    rest = lineEnd < 0 ? "" : rest.slice(lineEnd + 1);
  } else {
    // No EXIT marker: the command did not run (patch not applied) or never reported back.
    const markerAt = rest.indexOf(M);
    r.output = markerAt < 0 ? rest : rest.slice(0, markerAt).replace(/\n$/, "");
  }
  const cg = new RegExp(`^${M}CG (\\d+) (\\d+) (\\d+) (\\d+) (\\d+)$`, "m").exec(rest);
  if (cg) {
    r.oomKills = Number(cg[2]) - Number(cg[1]);
    r.pidsLimitHits = Number(cg[4]) - Number(cg[3]);
    r.stragglers = Number(cg[5]);
  }
  const endAt = rest.lastIndexOf(`${M}END `);
  if (endAt >= 0) {
    r.finished = true;
    const [src, t2, t3] = rest
      .slice(endAt + M.length + 4)
      .trim()
      .split(" ");
    r.statusExit = Number(src);
    r.resetMs = Math.max(0, Math.round((seconds(t3) - seconds(t2)) * 1000));
    const statusAt = rest.lastIndexOf(`${M}STATUS\n`, endAt);
    if (statusAt >= 0)
      r.statusLines = rest
        .slice(statusAt + M.length + 7, endAt)
        .split("\n")
        .filter((l) => l !== "");
  }
  return r;
}
