// `swerl run --reuse localize=RUN_A`: take a stage's records from another run instead of
// running the stage again, so two checkpoints can share localization (or anything before the
// first stage that differs). The records of the selected instances are copied into this run's
// stage files once, before the stage runs; the stage then finds them done and resumes past them.
import { createReadStream, existsSync } from "node:fs";
import { rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { log } from "../log/logger.js";
import { RunStore } from "../store/run-store.js";

/** Which stage files each reusable stage owns. */
export const REUSABLE_STAGE_FILES: Readonly<Record<string, readonly string[]>> = {
  localize: ["localization"],
  repair: ["repair"],
  reproduce: ["reproduction", "reproduction_tests"],
  regress: ["regression"],
  validate: ["validation"],
};

export function parseReuse(values: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of (values ?? []).flatMap((v) => v.split(","))) {
    const m = /^([a-z]+)=([\w.-]+)$/.exec(item.trim());
    if (!m) throw new Error(`--reuse ${item}: expected STAGE=RUN_ID (e.g. localize=run-a)`);
    const [, stage, runId] = m;
    if (!REUSABLE_STAGE_FILES[stage]) throw new Error(`--reuse ${item}: stage must be one of ${Object.keys(REUSABLE_STAGE_FILES).join(", ")}`);
    out[stage] = runId;
  }
  return out;
}

/**
 * Copy `stage`'s records of `instanceIds` from run `fromRunId` into `run`. Does nothing when
 * `run` already holds records of that stage (a resumed run keeps what it has). Refuses a
 * source run over another dataset. Returns the number of records copied.
 */
export async function reuseStage(run: RunStore, stage: string, fromRunId: string, instanceIds: ReadonlySet<string>, resultsDir: string): Promise<number> {
  const fromDir = join(resultsDir, fromRunId);
  const manifest = await RunStore.readManifest(fromDir);
  if (!manifest) throw new Error(`--reuse ${stage}=${fromRunId}: no run at ${fromDir}`);
  if (manifest.dataset_digest && run.info.dataset_digest && manifest.dataset_digest !== run.info.dataset_digest) {
    throw new Error(`--reuse ${stage}=${fromRunId}: that run used another dataset (digest ${manifest.dataset_digest.slice(0, 12)} vs ${run.info.dataset_digest.slice(0, 12)})`);
  }
  let copied = 0;
  for (const file of REUSABLE_STAGE_FILES[stage] ?? []) {
    const target = run.stagePath(file);
    if (existsSync(target)) { log.info(`reuse ${stage}: ${file}.jsonl already present in ${run.runId}; keeping it`); return 0; }
    const source = join(fromDir, `${file}.jsonl`);
    if (!existsSync(source)) throw new Error(`--reuse ${stage}=${fromRunId}: ${source} does not exist (that run did not reach ${stage})`);
    const lines: string[] = [];
    for await (const line of createInterface({ input: createReadStream(source, "utf8"), crlfDelay: Infinity })) {
      if (line.trim() === "") continue;
      let id: unknown;
      try { id = (JSON.parse(line) as { instance_id?: unknown }).instance_id; } catch { continue; } // a torn last line
      if (typeof id === "string" && instanceIds.has(id)) lines.push(line);
    }
    const tmp = `${target}.reuse.tmp`;
    await writeFile(tmp, lines.map((l) => l + "\n").join(""));
    await rename(tmp, target);
    copied += lines.length;
  }
  log.info(`reuse ${stage}: ${copied} records from run ${fromRunId}`);
  return copied;
}
