// `swerl run --reuse localize=RUN_A`: take a stage's records from another run instead of
// running the stage again, so two checkpoints can share localization (or anything before the
// first stage that differs). The records of the selected instances are copied into this run's
// stage files once, before the stage runs; the stage then finds them done and resumes past them.
import { existsSync } from "node:fs";
import { rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { log } from "../log/logger.js";
import { jsonlName, RECORD_FILES, type RecordFile } from "../records/files.js";
import { checkedLine, linesWithOffsets } from "../store/jsonl.js";
import { RunStore } from "../store/run-store.js";

/** Which stage files each reusable stage owns. */
export const REUSABLE_STAGE_FILES: Readonly<Record<string, readonly RecordFile[]>> = {
  localize: [RECORD_FILES.localization],
  repair: [RECORD_FILES.repair],
  reproduce: [RECORD_FILES.reproduction, RECORD_FILES.reproductionTests],
  regress: [RECORD_FILES.regression],
  validate: [RECORD_FILES.validation],
};

/** What --reuse selects a record by; the line itself is copied as it is. */
const recordKey = z.object({ instance_id: z.string() });

export function parseReuse(values: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of (values ?? []).flatMap((v) => v.split(","))) {
    const m = /^([a-z]+)=([\w.-]+)$/.exec(item.trim());
    if (!m) throw new Error(`--reuse ${item}: expected STAGE=RUN_ID (e.g. localize=run-a)`);
    const [, stage, runId] = m;
    if (!REUSABLE_STAGE_FILES[stage])
      throw new Error(`--reuse ${item}: stage must be one of ${Object.keys(REUSABLE_STAGE_FILES).join(", ")}`);
    out[stage] = runId;
  }
  return out;
}

/**
 * Copy `stage`'s records of `instanceIds` from run `fromRunId` into `run`. Does nothing when
 * `run` already holds records of that stage (a resumed run keeps what it has). Refuses a
 * source run over another dataset. Returns the number of records copied.
 */
export async function reuseStage(
  run: RunStore,
  stage: string,
  fromRunId: string,
  instanceIds: ReadonlySet<string>,
  resultsDir: string,
): Promise<number> {
  const fromDir = join(resultsDir, fromRunId);
  const manifest = await RunStore.readManifest(fromDir);
  if (!manifest) throw new Error(`--reuse ${stage}=${fromRunId}: no run at ${fromDir}`);
  if (manifest.dataset_digest && run.info.dataset_digest && manifest.dataset_digest !== run.info.dataset_digest) {
    throw new Error(
      `--reuse ${stage}=${fromRunId}: that run used another dataset (digest ${manifest.dataset_digest.slice(0, 12)} vs ${run.info.dataset_digest.slice(0, 12)})`,
    );
  }
  let copied = 0;
  for (const file of REUSABLE_STAGE_FILES[stage] ?? []) {
    const target = run.stagePath(file);
    if (existsSync(target)) {
      log.info(`reuse ${stage}: ${jsonlName(file)} already present in ${run.runId}; keeping it`);
      return 0;
    }
    const source = join(fromDir, jsonlName(file));
    if (!existsSync(source))
      throw new Error(`--reuse ${stage}=${fromRunId}: ${source} does not exist (that run did not reach ${stage})`);
    const lines: string[] = [];
    let n = 0;
    for await (const { text } of linesWithOffsets(source)) {
      // complete lines: a torn last one is not a record
      n++;
      if (text.trim() === "") continue;
      if (instanceIds.has(checkedLine(text, recordKey, `${source}:${n}`).instance_id)) lines.push(text);
    }
    const tmp = `${target}.reuse.tmp`;
    await writeFile(tmp, lines.map((l) => l + "\n").join(""));
    await rename(tmp, target);
    copied += lines.length;
  }
  log.info(`reuse ${stage}: ${copied} records from run ${fromRunId}`);
  return copied;
}
