// Several queued steps in ONE exec: each step's script (apply, command, kill, reset, status)
// runs in turn, its stream section opened by a BEGIN marker of its own nonce. The exec round
// trip (~0.1 s) is then paid once per batch instead of once per step. A step that misbehaves
// (or never finishes) ends the batch for the host: the steps after it ran in a container that
// may be spoiled, so their results are dropped and they are queued again.
import { randomBytes } from "node:crypto";
import { posix } from "node:path";
import type { SandboxFile } from "../docker/tar.js";
import { envPayload, type EnvPayload } from "./payload.js";
import {
  buildStepLibrary,
  buildStepScript,
  parseStepOutput,
  STEP_COMMAND_PATH,
  STEP_PATCH_PATH,
  type StepLibraryOptions,
} from "./step-script.js";
import type { TestbedStep, TestbedStepResult } from "./types.js";

export interface PreparedStep {
  step: TestbedStep;
  nonce: string;
  hasPatch: boolean;
  /** Patch, command file and the step's files, absolute paths. */
  files: SandboxFile[];
  /** null: too big (or binary) for the environment; the step must run alone via putFiles. */
  payload: EnvPayload | null;
  payloadBytes: number;
}

export function prepareStep(step: TestbedStep, workdir: string, index: number): PreparedStep {
  const own = (step.files ?? []).map((f) => ({ ...f, path: posix.resolve(workdir, f.path) }));
  const hasPatch = (step.patch ?? "") !== "";
  const files = [
    ...(hasPatch ? [{ path: STEP_PATCH_PATH, content: step.patch! }] : []),
    { path: STEP_COMMAND_PATH, content: step.command },
    ...own,
  ];
  const payload = envPayload(files, `${index}_`);
  const payloadBytes = payload ? Object.values(payload.env).reduce((n, v) => n + Buffer.byteLength(v), 0) : Infinity;
  return { step, nonce: randomBytes(8).toString("hex"), hasPatch, files, payload, payloadBytes };
}

export type BatchContext = StepLibraryOptions;

/** The script and environment of one exec running the steps in order. */
export function batchScript(steps: PreparedStep[], c: BatchContext): { script: string; env: Record<string, string> } {
  const env: Record<string, string> = Object.assign({}, ...steps.map((s) => s.payload?.env ?? {}));
  const names = Object.keys(env);
  // The payload stays a shell variable but leaves the environment the commands inherit.
  const lines = names.length > 0 ? [`declare +x ${names.join(" ")}`] : [];
  lines.push(buildStepLibrary(c));
  for (const s of steps) {
    lines.push(
      `printf '\\n@@swerl-${s.nonce}@@BEGIN\\n'`,
      buildStepScript({
        nonce: s.nonce,
        workdir: c.workdir,
        hasPatch: s.hasPatch,
        timeoutMs: s.step.timeoutMs,
        reset: c.reset,
        prologue: s.payload?.unpack,
        cwd: c.environment?.cwd,
      }),
    );
  }
  return { script: lines.join("\n"), env };
}

export interface StepOutcome {
  /** Absent: the step did not run in a trustworthy container; queue it again. */
  result?: TestbedStepResult;
  /** The container must be replaced after this step. */
  fresh: boolean;
  /** The exec's output stopped inside this step without a timeout: its script was killed (or the container died). */
  cut?: boolean;
}

export interface OutcomeContext {
  reuse: boolean;
  execTimedOut: boolean;
  /** Host time of the exec, shared out over the steps that ran. */
  execMs: number;
  containerMs: number;
  isExpectedStatusLine: (line: string) => boolean;
}

export function outcomesOf(output: string, steps: PreparedStep[], c: OutcomeContext): StepOutcome[] {
  const starts = steps.map((s) => output.indexOf(`\n@@swerl-${s.nonce}@@BEGIN\n`));
  const out: StepOutcome[] = [];
  let stop = false;
  steps.forEach((s, i) => {
    if (stop || starts[i]! < 0) {
      stop = true;
      out.push({ fresh: false });
      return;
    }
    const from = starts[i]! + `\n@@swerl-${s.nonce}@@BEGIN\n`.length;
    const next = starts.slice(i + 1).find((x) => x >= 0);
    const p = parseStepOutput(output.slice(from, next ?? output.length), s.nonce);
    const last = !p.finished; // the exec ended (or was cut) inside this step
    const timedOut = (last && c.execTimedOut) || (p.ran && p.exitCode === 137 && p.commandMs >= s.step.timeoutMs - 50);
    const violations: string[] = [];
    if (p.oomKills > 0) violations.push(`hit the memory limit (${p.oomKills} process(es) OOM-killed)`);
    if (p.pidsLimitHits > 0) violations.push(`hit the process limit (${p.pidsLimitHits} fork(s) refused)`);
    if (last && !c.execTimedOut) violations.push("the step's script was killed before it finished");
    if (c.reuse && p.finished) {
      const dirty = p.statusLines.filter((l) => !c.isExpectedStatusLine(l));
      if (p.statusExit !== 0) violations.push(`git status failed after the reset (exit ${p.statusExit})`);
      if (dirty.length > 0) violations.push(`tree not clean after the reset: ${dirty.slice(0, 10).join("; ")}`);
    }
    const fresh = !c.reuse || timedOut || violations.length > 0;
    out.push({
      fresh,
      cut: last && !c.execTimedOut,
      result: {
        applied: !s.hasPatch || p.applyMethod !== null,
        applyMethod: s.hasPatch ? p.applyMethod : null,
        applyLog: p.applyLog,
        exitCode: p.ran ? p.exitCode : null,
        timedOut,
        output: p.output,
        durationMs: p.commandMs,
        violation: violations.length > 0 ? violations.join("; ") : null,
        timings: {
          step: 0,
          apply: p.applyMs,
          command: p.commandMs,
          reset: p.resetMs,
          check: 0,
          container: i === 0 ? c.containerMs : 0,
        },
      },
    });
    if (fresh || last) stop = true;
  });
  const ran = out.filter((o) => o.result);
  for (const o of ran) o.result!.timings.step = Math.round(c.execMs / ran.length) + o.result!.timings.container;
  return out;
}
