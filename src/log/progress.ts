// Progress for long loops, on stderr: a cli-progress bar on a TTY, plain periodic lines
// otherwise (CI logs), nothing with --quiet. Always shows done/total, rate, ETA, errors.
import cliProgress from "cli-progress";
import { isQuiet } from "./logger.js";

export interface Progress {
  tick(outcome?: "ok" | "error"): void;
  stop(): void;
}

let context: string | null = null;

/** A prefix for every progress line while a pipeline runs (e.g. "run demo [4/8]"); null clears it. */
export function setProgressContext(prefix: string | null): void {
  context = prefix;
}

export function startProgress(stageLabel: string, total: number, opts: { plainEverySeconds?: number } = {}): Progress {
  const label = context ? `${context} ${stageLabel}` : stageLabel;
  const started = Date.now();
  let done = 0;
  let errors = 0;
  if (isQuiet() || total === 0) {
    return { tick: (o) => { done++; if (o === "error") errors++; }, stop: () => {} };
  }
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: `${label} [{bar}] {value}/{total} | {rate}/s | ETA {eta_formatted} | errors {errors}`, stream: process.stderr, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { rate: "0.0", errors: 0 });
    return {
      tick(o) {
        done++;
        if (o === "error") errors++;
        bar.update(done, { rate: (done / Math.max((Date.now() - started) / 1000, 1e-3)).toFixed(2), errors });
      },
      stop: () => bar.stop(),
    };
  }
  const every = (opts.plainEverySeconds ?? 10) * 1000;
  let lastPrint = 0;
  const line = () => {
    const secs = (Date.now() - started) / 1000;
    const rate = done / Math.max(secs, 1e-3);
    const eta = rate > 0 ? Math.round((total - done) / rate) : NaN;
    process.stderr.write(`${label}: ${done}/${total} | ${rate.toFixed(2)}/s | ETA ${Number.isNaN(eta) ? "?" : eta + "s"} | errors ${errors}\n`);
  };
  return {
    tick(o) {
      done++;
      if (o === "error") errors++;
      if (done === total || Date.now() - lastPrint >= every) { lastPrint = Date.now(); line(); }
    },
    stop() { if (done !== total) line(); },
  };
}
