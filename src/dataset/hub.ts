// Hugging Face dataset ids (e.g. princeton-nlp/SWE-bench_Verified): the split's parquet files
// are downloaded once into the cache dir and read from there afterwards (offline).
import { existsSync } from "node:fs";
import { mkdir, readdir, rename, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { DatasetError } from "./errors.js";

export const defaultDatasetCacheDir = (): string =>
  process.env.SWERL_DATASET_CACHE ?? join(homedir(), ".cache", "swerl", "datasets");

const hubEndpoint = (): string => process.env.HF_ENDPOINT ?? "https://huggingface.co";

export async function resolveHubDataset(id: string, opts: { cacheDir?: string; split?: string }): Promise<string[]> {
  if (!/^[\w.-]+\/[\w.-]+$/.test(id)) {
    throw new DatasetError(`${id}: no such file, and not a Hugging Face dataset id (owner/name)`);
  }
  const split = opts.split ?? "test";
  const dir = join(opts.cacheDir ?? defaultDatasetCacheDir(), id.replace("/", "__"), split);
  if (existsSync(dir)) {
    const cached = (await readdir(dir)).filter((f) => f.endsWith(".parquet")).sort();
    if (cached.length) return cached.map((f) => join(dir, f));
  }
  let urls: string[];
  try {
    const res = await fetch(`${hubEndpoint()}/api/datasets/${id}/parquet/default/${split}`);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    urls = (await res.json()) as string[];
  } catch (err) {
    throw new DatasetError(
      `${id}: not cached in ${dir} and the Hub listing failed (${(err as Error).message}); download the parquet there or pass a local file`,
    );
  }
  await mkdir(dir, { recursive: true });
  const paths: string[] = [];
  for (const [i, url] of urls.entries()) {
    const res = await fetch(url);
    if (!res.ok) throw new DatasetError(`${id}: download of ${url} failed (HTTP ${res.status})`);
    const path = join(dir, `${String(i).padStart(4, "0")}.parquet`);
    await writeFile(path + ".tmp", Buffer.from(await res.arrayBuffer()));
    await rename(path + ".tmp", path);
    paths.push(path);
  }
  return paths;
}
