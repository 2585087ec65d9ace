// usage.json holds whole-run totals per stage: what earlier (interrupted, resumed) processes
// saved plus what this process used. The saved totals are read once, before this process
// writes anything, so saving again (after each stage) never counts a stretch twice.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
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

/** Saves, for each stage this process used (or only `stages`), the saved totals plus this process's usage. */
export async function saveUsageTotals(run: RunStore, meter: UsageMeter, stages?: readonly string[]): Promise<void> {
  const saved = await rememberSavedUsage(run);
  for (const [stage, usage] of Object.entries(meter.snapshot())) {
    if (stages && !stages.includes(stage)) continue;
    await run.saveUsage(stage, addStageUsage(saved[stage], usage));
  }
}
