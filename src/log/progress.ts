// Progress for long loops, on stderr: a cli-progress bar on a TTY, plain periodic lines
// otherwise (CI logs), nothing with --quiet. Always shows done/total, rate, ETA, errors.
import cliProgress from "cli-progress";
import { isQuiet } from "./logger.js";

export interface Progress {
  /** One item done; `truncated`: a model answer cut at max_tokens (counted on the line). */
  tick(outcome?: "ok" | "error", flags?: { truncated?: boolean }): void;
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
  let truncated = 0;
  const count = (o?: "ok" | "error", flags?: { truncated?: boolean }): void => {
    done++;
    if (o === "error") errors++;
    if (flags?.truncated) truncated++;
  };
  const cut = (): string => (truncated > 0 ? ` | truncated ${truncated}` : "");
  if (isQuiet() || total === 0) {
    return { tick: count, stop: () => {} };
  }
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} [{bar}] {value}/{total} | {rate}/s | ETA {eta_formatted} | errors {errors}{cut}`,
        stream: process.stderr,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { rate: "0.0", errors: 0, cut: "" });
    return {
      tick(o, flags) {
        count(o, flags);
        bar.update(done, {
          rate: (done / Math.max((Date.now() - started) / 1000, 1e-3)).toFixed(2),
          errors,
          cut: cut(),
        });
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
    process.stderr.write(
      `${label}: ${done}/${total} | ${rate.toFixed(2)}/s | ETA ${Number.isNaN(eta) ? "?" : eta + "s"} | errors ${errors}${cut()}\n`,
    );
  };
  return {
    tick(o, flags) {
      count(o, flags);
      if (done === total || Date.now() - lastPrint >= every) {
        lastPrint = Date.now();
        line();
      }
    },
    stop() {
      if (done !== total) line();
    },
  };
}
