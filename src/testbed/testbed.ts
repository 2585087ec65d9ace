// The testbed: run steps (apply a patch, run a command) in an instance container that is reused
// between steps and reset after each (`git checkout -- . && git clean -fdq`, /tmp wiped, tree
// verified clean), instead of a fresh container per patch. A step that misbehaves — writes
// outside the tree, leaves the tree dirty, hits the memory or process limit, times out, kills
// the container — is contained: its result says so (`violation`, `timedOut`) and the container
// is replaced before the next step. isolation "container" = a fresh container per step.
import { writeFile } from "node:fs/promises";
import { posix } from "node:path";
import { startContainer, type Sandbox } from "../docker/container.js";
import { InfraError, messageOf } from "../docker/errors.js";
import {
  baselineFilesToWatch,
  ctimeScript,
  parseCtimes,
  rewrittenFiles,
  unexpectedChanges,
  type Change,
} from "./changes.js";
import { batchScript, outcomesOf, prepareStep, type StepOutcome } from "./batch.js";
import { log } from "../log/logger.js";
import { MAX_ENV_PAYLOAD } from "./payload.js";
import { probeScript, splitProbe } from "./probe.js";
import { ISOLATIONS, type Testbed, type TestbedOptions, type TestbedStep, type TestbedStepResult } from "./types.js";

export {
  ISOLATIONS,
  type Isolation,
  type Testbed,
  type TestbedOptions,
  type TestbedStep,
  type TestbedStepResult,
} from "./types.js";

/** How much longer than the command's limit the whole step may take (apply, reset). */
const STEP_OVERHEAD_MS = 120_000;
const WARMUP_TIMEOUT_MS = 300_000;
/** Default for TestbedOptions.verifyEvery. */
export const DEFAULT_VERIFY_EVERY = 64;
/** Steps run by one exec at most (their output is held in memory together). */
const MAX_STEPS_PER_EXEC = 32;

interface Live {
  sandbox: Sandbox;
  baseline: Change[];
  keepUntracked: string[];
  keepIgnored: string[];
  keepTmp: string[];
  environment?: { exports: string; cwd: string };
  /** Files the baseline shows changed, with their ctime then (see changes.ts). */
  watched?: Map<string, string>;
}
interface Pending {
  step: TestbedStep;
  resolve(r: TestbedStepResult): void;
  reject(e: unknown): void;
  strict: boolean;
  /** Its container died under it once already (see execBatch). */
  diedOnce?: boolean;
}
interface Ran {
  pending: Pending;
  result: TestbedStepResult;
}

export async function openTestbed(opts: TestbedOptions): Promise<Testbed> {
  const isolation = opts.isolation ?? "reuse";
  if (!ISOLATIONS.includes(isolation))
    throw new Error(`testbed: unknown isolation "${isolation}" (known: ${ISOLATIONS.join(", ")})`);
  const workdir = opts.workdir ?? "/testbed";
  const ladder = opts.ladder ?? "swebench-4.1";
  const verifyEvery = opts.verifyEvery ?? DEFAULT_VERIFY_EVERY;
  let live: Live | undefined;
  let started = 0;
  let closed = false;
  const waiting: Pending[] = [];
  let unverified: Ran[] = [];
  let pumping: Promise<void> | undefined;

  /** own: a container for one step (isolation "container", or an ownContainer step): no probe, no baseline. */
  async function start(own: boolean): Promise<Live> {
    const sandbox = await startContainer(opts.docker, {
      image: opts.image,
      runId: opts.runId,
      instanceId: opts.instanceId,
      workdir,
      memoryBytes: opts.memoryBytes,
      pidsLimit: opts.pidsLimit,
      nanoCpus: opts.nanoCpus,
    });
    started++;
    if (own) return { sandbox, baseline: [], keepUntracked: [], keepIgnored: [], keepTmp: [] };
    try {
      // The env prelude writes files (e.g. /root/.gitconfig); run it once so they are baseline.
      const probe = await sandbox.exec(probeScript(opts.prelude, workdir), { timeoutMs: WARMUP_TIMEOUT_MS });
      if (probe.exitCode !== 0)
        throw new InfraError(
          `testbed: cannot read the tree of ${opts.instanceId} in ${opts.image} (exit ${probe.exitCode}): ${probe.output.slice(-2000)}`,
          "container",
        );
      const { cwd, status, tmp, exports, preludeFailures } = splitProbe(probe.output);
      // Each step used to show the prelude's errors in its output; now it runs once, so say it here.
      if (preludeFailures)
        log.warn(`testbed: ${opts.instanceId}: the env prelude failed in ${opts.image}: ${preludeFailures}`);
      const keepUntracked = status.filter((l) => l.startsWith("?? ")).map((l) => l.slice(3));
      const keepIgnored = status.filter((l) => l.startsWith("!! ")).map((l) => l.slice(3));
      const environment = opts.prelude?.length ? { exports, cwd } : undefined;
      const baseline = await sandbox.changes();
      const toWatch = baselineFilesToWatch(baseline, workdir);
      const watched =
        toWatch.length > 0
          ? parseCtimes((await sandbox.exec(ctimeScript(toWatch), { timeoutMs: 60_000 })).output)
          : undefined;
      return { sandbox, baseline, keepUntracked, keepIgnored, keepTmp: tmp, environment, watched };
    } catch (err) {
      await sandbox.remove().catch(() => {});
      throw err;
    }
  }

  /** Remove the container; if the engine cannot (it went away), the next run's sweep will. */
  async function discard(): Promise<void> {
    const old = live;
    live = undefined;
    await old?.sandbox
      .remove()
      .catch((err: unknown) => log.warn(`testbed: ${messageOf(err)} (left for the next run's sweep)`));
  }

  /** One exec running the steps in order (see batch.ts); a result per step that ran. own: one step in a container of its own. */
  async function execBatch(group: Pending[], own: boolean): Promise<StepOutcome[]> {
    const t0 = Date.now();
    const steps = group.map((p, i) => prepareStep(p.step, workdir, i));
    live ??= await start(own);
    const containerMs = Date.now() - t0;
    const { sandbox } = live;
    if (steps.length === 1 && !steps[0]!.payload) await sandbox.putFiles(steps[0]!.files);
    const { script, env } = batchScript(steps, {
      workdir,
      ladder,
      reset: !own,
      keepUntracked: live.keepUntracked,
      keepTmp: live.keepTmp,
      environment: live.environment,
    });
    const te = Date.now();
    let exec;
    try {
      exec = await sandbox.exec(script, {
        timeoutMs: steps.reduce((n, s) => n + s.step.timeoutMs, 0) + STEP_OVERHEAD_MS,
        env,
      });
    } catch (err) {
      if (!(err instanceof InfraError)) throw err;
      // The container died under us: the first step's doing (its init OOM-killed, say) or the
      // engine's (stopped, restarted). The first time, that step runs again alone in a fresh
      // container, which tells the two apart: a dead engine fails to start one (an
      // infrastructure error for the caller, who may move to another engine); the second
      // time, it is the step's fault, contained.
      if (againAlone(group[0]!)) return steps.map((_, i) => ({ fresh: i === 0 }));
      return steps.map((_, i) =>
        i === 0
          ? {
              result: failed(
                `the container died during the step (twice): ${messageOf(err)}`,
                Date.now() - t0,
                containerMs,
              ),
              fresh: true,
            }
          : { fresh: false },
      );
    }
    const outcomes = outcomesOf(exec.output, steps, {
      reuse: !own,
      execTimedOut: exec.timedOut,
      execMs: Date.now() - te,
      containerMs,
      isExpectedStatusLine: (l) => isExpectedStatusLine(l, live!),
    });
    // The output stopped inside a step: killed from inside (the step's doing: a violation), or
    // the container is gone (the step's or the engine's doing: once more alone, as above).
    const cut = outcomes.findIndex((o) => o.cut);
    if (cut >= 0 && !(await stillUsable(sandbox))) {
      if (againAlone(group[cut]!)) outcomes[cut] = { fresh: true };
      else outcomes[cut]!.result!.violation = "the container died during the step (twice)";
    }
    for (const [i, o] of outcomes.entries())
      if (o.result && steps[i]!.step.outputFile) await writeFile(steps[i]!.step.outputFile!, o.result.output);
    return outcomes;
  }

  /** Watched baseline files rewritten since the container was ready; a container that no longer runs (it is replaced anyway) is not asked. */
  async function rewrites(l: Live): Promise<string[]> {
    let now;
    try {
      now = await l.sandbox.exec(ctimeScript([...l.watched!.keys()]), { timeoutMs: 60_000 });
    } catch {
      return [];
    }
    return rewrittenFiles(l.watched!, parseCtimes(now.output));
  }

  /** First death of a step's container: run the step again alone (true); false the second time. */
  function againAlone(p: Pending): boolean {
    if (p.diedOnce) return false;
    p.diedOnce = true;
    p.strict = true;
    return true;
  }

  /**
   * Whether the container still runs commands. Asked after a step's script was cut off: an
   * engine that is going away (or a container killed from outside) may still say "running"
   * for a while, but it takes no new exec.
   */
  async function stillUsable(sandbox: Sandbox): Promise<boolean> {
    try {
      return (await sandbox.exec("true", { timeoutMs: 15_000 })).exitCode === 0;
    } catch {
      return false;
    }
  }

  /** The next steps for one exec: up to the next check, within the environment budget; strict steps alone. */
  function takeGroup(): Pending[] {
    const first = waiting.shift()!;
    if (isolation === "container" || first.strict || first.step.ownContainer) return [first];
    const group = [first];
    let bytes = prepareStep(first.step, workdir, 0).payloadBytes;
    // The script is one exec argument (the kernel allows 128 KiB): keep a batch's well below.
    // One step's own script is < 1 KB; the shared library (functions, kept paths, environment) comes once.
    const library =
      4000 +
      (live
        ? live.keepUntracked.join(" ").length + live.keepTmp.join(" ").length + (live.environment?.exports.length ?? 0)
        : 0);
    const room = Math.max(
      1,
      Math.min(MAX_STEPS_PER_EXEC, verifyEvery - unverified.length, Math.floor((96_000 - library) / 1500)),
    );
    while (
      group.length < room &&
      waiting.length > 0 &&
      !waiting[0]!.strict &&
      !waiting[0]!.step.ownContainer &&
      bytes <= MAX_ENV_PAYLOAD
    ) {
      const more = prepareStep(waiting[0]!.step, workdir, group.length).payloadBytes;
      if (bytes + more > MAX_ENV_PAYLOAD) break;
      bytes += more;
      group.push(waiting.shift()!);
    }
    return group;
  }

  /**
   * Writes outside the tree, for every step run since the last check, with one `docker diff`
   * (it costs the engine ~0.3 s of CPU, so it is batched). Clean: every result is released.
   * Not clean: one step → that step's violation; several → all run again one by one, each
   * checked alone in a fresh container, which says which step it was.
   */
  async function verify(): Promise<void> {
    const batch = unverified;
    unverified = [];
    if (batch.length === 0) return;
    const tc = Date.now();
    let writes: string[] = [];
    try {
      if (live)
        writes = unexpectedChanges(await live.sandbox.changes(), { workdir, baseline: live.baseline, extraBenign: [] });
      if (live?.watched) writes.push(...(await rewrites(live)));
    } catch (err) {
      await discard().catch(() => {});
      const infra =
        err instanceof InfraError
          ? err
          : new InfraError(`testbed: cannot check the container for writes outside the tree: ${messageOf(err)}`, "io", {
              cause: err,
            });
      for (const r of batch) r.pending.reject(infra);
      return;
    }
    const checkMs = Date.now() - tc;
    for (const r of batch) r.result.timings.check += Math.round(checkMs / batch.length);
    if (writes.length === 0) {
      for (const r of batch) r.pending.resolve(r.result);
      return;
    }
    await discard();
    if (batch.length === 1) {
      const r = batch[0]!.result;
      const what = `wrote outside the tree: ${writes.slice(0, 10).join(", ")}${writes.length > 10 ? ` (+${writes.length - 10} more)` : ""}`;
      r.violation = r.violation ? `${r.violation}; ${what}` : what;
      batch[0]!.pending.resolve(r);
      return;
    }
    // Steps that already failed (own violation, timeout) keep that result; the others run again.
    const failedAlready = (r: Ran) => r.result.violation !== null || r.result.timedOut;
    for (const r of batch) if (failedAlready(r)) r.pending.resolve(r.result);
    const rerun = batch.filter((r) => !failedAlready(r));
    waiting.unshift(...rerun.map((r) => ({ ...r.pending, strict: true })));
  }

  async function pump(): Promise<void> {
    while (waiting.length > 0) {
      const group = takeGroup();
      const own = isolation === "container" || group[0]!.step.ownContainer === true;
      let outcomes: StepOutcome[];
      try {
        // The steps before it are checked in their container; this one gets its own.
        if (own && live) {
          await verify();
          await discard();
        }
        outcomes = await execBatch(group, own);
      } catch (err) {
        await verify(); // the steps before them still get their results (or a re-run)
        await discard().catch(() => {});
        for (const p of group) p.reject(err);
        continue;
      }
      if (own) {
        await discard();
        if (outcomes[0]!.result) group[0]!.resolve(outcomes[0]!.result);
        else waiting.unshift(group[0]!); // its container died: once more (execBatch)
        continue;
      }
      let fresh = false;
      outcomes.forEach((o, i) => {
        if (o.result) unverified.push({ pending: group[i]!, result: o.result });
        fresh ||= o.fresh;
      });
      waiting.unshift(...group.filter((_, i) => !outcomes[i]!.result)); // ran after a misbehaving step
      if (fresh || group.some((p) => p.strict) || unverified.length >= verifyEvery || waiting.length === 0)
        await verify();
      if (fresh) await discard();
    }
  }

  /** Start the worker unless it runs; steps queued in the same tick go in before the first starts. */
  function kick(): void {
    pumping ??= Promise.resolve()
      .then(pump)
      .finally(() => {
        pumping = undefined;
        if (waiting.length > 0 && !closed) kick();
      });
  }

  function failed(violation: string, stepMs: number, containerMs: number): TestbedStepResult {
    return {
      applied: false,
      applyMethod: null,
      applyLog: "",
      exitCode: null,
      timedOut: false,
      output: "",
      durationMs: 0,
      violation,
      timings: { step: stepMs, apply: 0, command: 0, reset: 0, check: 0, container: containerMs },
    };
  }

  return {
    run(step) {
      if (closed) return Promise.reject(new Error("testbed: run() after close()"));
      if (!(step.timeoutMs > 0))
        return Promise.reject(new Error(`testbed: timeoutMs must be positive (got ${step.timeoutMs})`));
      const outside = (step.files ?? [])
        .map((f) => posix.resolve(workdir, f.path))
        .filter((p) => !p.startsWith(`${workdir}/`) && !p.startsWith("/tmp/"));
      if (outside.length > 0)
        return Promise.reject(
          new Error(`testbed: step files must be under ${workdir} or /tmp (got ${outside.join(", ")})`),
        );
      // A fresh container per step has no replayed environment: the prelude runs in the command.
      if ((isolation === "container" || step.ownContainer) && opts.prelude?.length)
        step = { ...step, command: `${opts.prelude.join("\n")}\n${step.command}` };
      return new Promise<TestbedStepResult>((resolve, reject) => {
        waiting.push({ step, resolve, reject, strict: false });
        kick();
      });
    },
    async close() {
      closed = true;
      while (pumping) await pumping;
      await discard();
    },
    get containersStarted() {
      return started;
    },
  };
}

/** Caches a test run leaves behind (ignored by the repo's .gitignore) are not dirt. */
function isExpectedStatusLine(line: string, live: Live): boolean {
  const path = line.slice(3);
  if (line.startsWith("!! ")) return CACHE_PATH.test(path) || live.keepIgnored.includes(path);
  return line.startsWith("?? ") && live.keepUntracked.includes(path);
}
const CACHE_PATH = /(^|\/)(__pycache__|\.pytest_cache|\.mypy_cache|\.hypothesis)\/?$|\.py[co]$/;

export async function withTestbed<T>(opts: TestbedOptions, fn: (testbed: Testbed) => Promise<T>): Promise<T> {
  const testbed = await openTestbed(opts);
  try {
    return await fn(testbed);
  } finally {
    await testbed.close();
  }
}
