// Load SWE-bench instances from .jsonl, .json (a list), .parquet (hyparquet) or a Hugging
// Face dataset id (downloaded once into a cache dir, then read offline). Every row is
// validated; a bad row gives one error naming the source, the row and the field.
import { createReadStream, existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import { asyncBufferFromFile, parquetReadObjects } from "hyparquet";
import { instanceSchema, type Instance } from "./schema.js";
import { resolveHubDataset } from "./hub.js";

export { DatasetError } from "./errors.js";
import { DatasetError } from "./errors.js";

/** Validate one raw row; `where` names it in the error (e.g. "data.jsonl row 17"). */
export function parseInstance(raw: unknown, where: string): Instance {
  const result = instanceSchema.safeParse(raw);
  if (result.success) return result.data;
  const id =
    typeof raw === "object" && raw !== null && "instance_id" in raw
      ? ` (instance_id ${String((raw as { instance_id: unknown }).instance_id)})`
      : "";
  const issue = result.error.issues[0]!;
  const field = issue.path.length ? issue.path.join(".") : "(row)";
  throw new DatasetError(`${where}${id}: field ${field} ${issue.message}`);
}

async function* jsonlRows(path: string): AsyncGenerator<[unknown, string]> {
  const lines = createInterface({ input: createReadStream(path, "utf8"), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (line.trim() === "") continue;
    try {
      yield [JSON.parse(line), `${path} line ${n}`];
    } catch (err) {
      throw new DatasetError(`${path} line ${n}: not valid JSON (${(err as Error).message})`);
    }
  }
}

async function rawRows(path: string): Promise<Array<[unknown, string]>> {
  if (path.endsWith(".jsonl")) {
    const out: Array<[unknown, string]> = [];
    for await (const row of jsonlRows(path)) out.push(row);
    return out;
  }
  if (path.endsWith(".json")) {
    let data: unknown;
    try {
      data = JSON.parse(await readFile(path, "utf8"));
    } catch (err) {
      throw new DatasetError(`${path}: not valid JSON (${(err as Error).message})`);
    }
    if (!Array.isArray(data)) throw new DatasetError(`${path}: expected a JSON list of instances`);
    return data.map((row, i) => [row, `${path} item ${i}`]);
  }
  if (path.endsWith(".parquet")) {
    const rows = await parquetReadObjects({ file: await asyncBufferFromFile(path) });
    return rows.map((row, i) => [row, `${path} row ${i}`]);
  }
  throw new DatasetError(`${path}: unknown dataset format (expected .jsonl, .json or .parquet)`);
}

export interface LoadOptions {
  cacheDir?: string;
  split?: string;
}

/** Load and validate every instance of a dataset file or Hugging Face id. */
export async function loadDataset(source: string, opts: LoadOptions = {}): Promise<Instance[]> {
  const paths = existsSync(source) ? [source] : await resolveHubDataset(source, opts);
  const instances: Instance[] = [];
  const seen = new Set<string>();
  for (const path of paths) {
    for (const [raw, where] of await rawRows(path)) {
      const inst = parseInstance(raw, where);
      if (seen.has(inst.instance_id)) throw new DatasetError(`${where}: duplicate instance_id ${inst.instance_id}`);
      seen.add(inst.instance_id);
      instances.push(inst);
    }
  }
  return instances;
}
