// usage.json holds whole-run totals per stage: what earlier (interrupted, resumed) processes
// saved plus what this process used. The saved totals are read once, before this process
// writes anything, so saving again (after each stage) never counts a stretch twice.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { log } from "../log/logger.js";
import type { RunStore } from "../store/run-store.js";
import { addStageUsage, type StageUsage, type UsageMeter } from "./usage.js";

const before = new WeakMap<RunStore, Promise<Record<string, StageUsage>>>();

async function savedUsage(run: RunStore): Promise<Record<string, StageUsage>> {
  const path = run.path("usage.json");
  if (!existsSync(path)) return {};
  try {
    return JSON.parse(await readFile(path, "utf8")) as Record<string, StageUsage>;
  } catch {
    return {};
  }
}

/** Call before the run's first model call: remembers what usage.json held. */
export function rememberSavedUsage(run: RunStore): Promise<Record<string, StageUsage>> {
  let p = before.get(run);
  if (!p) before.set(run, (p = savedUsage(run)));
  return p;
}

const told = new WeakMap<UsageMeter, Set<string>>();

/** One line per stage on how many answers came from the response cache; a warning when most came from other runs. */
function tellCacheUse(meter: UsageMeter, stage: string, u: StageUsage): void {
  let seen = told.get(meter);
  if (!seen) told.set(meter, (seen = new Set()));
  if (seen.has(stage) || u.cached === 0) return;
  seen.add(stage);
  const others = u.cached_from_other_runs;
  const line =
    `${stage}: ${u.cached} of ${u.ok} answers came from the response cache` +
    (others > 0 ? ` (${others} recorded by other runs)` : "");
  if (others * 2 > u.ok)
    log.warn(
      `${line}: most answers were not sampled for this run (same checkpoint, prompts and settings); --no-cache samples afresh`,
    );
  else log.info(line);
}

/**
 * Saves, for each stage this process used (or only `stages`), the saved totals plus this
 * process's usage; says once per stage how many answers the cache gave.
 */
export async function saveUsageTotals(run: RunStore, meter: UsageMeter, stages?: readonly string[]): Promise<void> {
  const saved = await rememberSavedUsage(run);
  for (const [stage, usage] of Object.entries(meter.snapshot())) {
    if (stages && !stages.includes(stage)) continue;
    tellCacheUse(meter, stage, usage);
    await run.saveUsage(stage, addStageUsage(saved[stage], usage));
  }
}
