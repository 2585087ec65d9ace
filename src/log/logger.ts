// Logging on stderr (stdout is kept for results). Plain "level message" lines, or JSON lines
// with --log-json; --quiet silences info/debug and progress.
import { InputError } from "../util/input-error.js";
const LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LEVELS)[number];

interface LogSettings {
  level: LogLevel;
  json: boolean;
  quiet: boolean;
}
const settings: LogSettings = { level: "info", json: false, quiet: false };

export function configureLogging(opts: { level?: string; json?: boolean; quiet?: boolean }): void {
  if (opts.level !== undefined) {
    if (!(LEVELS as readonly string[]).includes(opts.level)) {
      throw new InputError(`--log-level must be one of ${LEVELS.join(", ")} (got "${opts.level}")`);
    }
    settings.level = opts.level as LogLevel;
  }
  if (opts.json !== undefined) settings.json = opts.json;
  if (opts.quiet !== undefined) settings.quiet = opts.quiet;
}

export const isQuiet = (): boolean => settings.quiet;

function enabled(level: LogLevel): boolean {
  if (settings.quiet && level !== "error" && level !== "warn") return false;
  return LEVELS.indexOf(level) >= LEVELS.indexOf(settings.level);
}

function write(level: LogLevel, message: string, fields?: Record<string, unknown>): void {
  if (!enabled(level)) return;
  if (settings.json) {
    process.stderr.write(JSON.stringify({ time: new Date().toISOString(), level, message, ...fields }) + "\n");
  } else {
    const extra = fields && Object.keys(fields).length ? " " + JSON.stringify(fields) : "";
    process.stderr.write(`[${level}] ${message}${extra}\n`);
  }
}

export const log = {
  debug: (m: string, f?: Record<string, unknown>) => write("debug", m, f),
  info: (m: string, f?: Record<string, unknown>) => write("info", m, f),
  warn: (m: string, f?: Record<string, unknown>) => write("warn", m, f),
  error: (m: string, f?: Record<string, unknown>) => write("error", m, f),
};
