// The embedded demo benchmarks: small repos written for swerl with realistic issues, gold
// patches and test patches. "demo": three Python repos (textkit, durations, ledger) in
// src/demo/benchmark; "demo-multilingual": Go, Rust and JavaScript repos (semver, tinycsv,
// querystr) in src/demo/benchmark-multilingual. Each repo's sources are
// <repo>/{base,instances/<id>/{instance.yaml,gold,test}}; this module turns them into real git
// repos (fixed identity and dates, so base commits are the same on every machine) and a
// dataset in SWE-bench's row format (SWE-bench Multilingual's for the second), diffs made by
// git itself.
import { existsSync } from "node:fs";
import { cp, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { fixedIdentity, git } from "../git/git.js";
import { writeFileAtomic } from "../store/atomic.js";
import { hashValue } from "../store/hash.js";

export const demoSourceDir = fileURLToPath(new URL("../../src/demo/benchmark", import.meta.url));
export const multilingualDemoSourceDir = fileURLToPath(
  new URL("../../src/demo/benchmark-multilingual", import.meta.url),
);
/** Owner of every demo repo (both benchmarks): what marks an instance as a demo one. */
export const DEMO_OWNER = "swerl-demo";

/** The names `--dataset` takes for the embedded benchmarks. */
export const DEMO_DATASETS = ["demo", "demo-multilingual"] as const;
export type DemoDataset = (typeof DEMO_DATASETS)[number];
export const isDemoDataset = (name: string): name is DemoDataset => (DEMO_DATASETS as readonly string[]).includes(name);

/** Columns a benchmark adds to each row beyond SWE-bench's (e.g. log_parser, eval_script). */
export type RowColumns = (row: Record<string, unknown>) => Record<string, unknown>;

const BASE_DATE = "2024-01-01T00:00:00Z";

export interface DemoBenchmark {
  dir: string;
  datasetPath: string;
  /** repo (owner/name) → local git repository holding its history */
  repoSources: Record<string, string>;
}

interface InstanceMeta {
  instance_id: string;
  created_at: string;
  version: string;
  problem_statement: string;
  hints_text?: string;
  FAIL_TO_PASS: string[];
  PASS_TO_PASS: string[];
}

async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(dir, rel)));
    else out.push(rel);
  }
  return out.sort();
}

/** Copy `overlay` onto the work tree, diff against HEAD (new files included), restore. */
async function diffOfOverlay(repoDir: string, overlay: string): Promise<string> {
  await cp(overlay, repoDir, { recursive: true });
  await git(repoDir, ["add", "-A"]);
  const diff = await git(repoDir, ["diff", "--cached", "--no-color", "--no-ext-diff", "HEAD"]);
  await git(repoDir, ["reset", "-q", "--hard", "HEAD"]);
  return diff;
}

async function buildRepo(
  sourceDir: string,
  name: string,
  outDir: string,
  columns: RowColumns,
): Promise<{ repo: string; path: string; rows: object[] }> {
  const src = join(sourceDir, name);
  const repoDir = join(outDir, "repos", name);
  await rm(repoDir, { recursive: true, force: true });
  await mkdir(repoDir, { recursive: true });
  await cp(join(src, "base"), repoDir, { recursive: true });
  await git(repoDir, ["init", "-q", "-b", "main"]);
  await git(repoDir, ["add", "-A"]);
  await git(repoDir, ["commit", "-q", "-m", `${name}: initial import`], { env: fixedIdentity(BASE_DATE) });
  const baseCommit = (await git(repoDir, ["rev-parse", "HEAD"])).trim();
  const repo = `${DEMO_OWNER}/${name}`;
  const rows: object[] = [];
  for (const id of (await readdir(join(src, "instances"))).sort()) {
    const dir = join(src, "instances", id);
    const meta = parseYaml(await readFile(join(dir, "instance.yaml"), "utf8")) as InstanceMeta;
    const row: Record<string, unknown> = {
      repo,
      instance_id: meta.instance_id,
      base_commit: baseCommit,
      patch: await diffOfOverlay(repoDir, join(dir, "gold")),
      test_patch: await diffOfOverlay(repoDir, join(dir, "test")),
      problem_statement: meta.problem_statement,
      hints_text: meta.hints_text ?? "",
      created_at: meta.created_at,
      version: meta.version,
      FAIL_TO_PASS: JSON.stringify(meta.FAIL_TO_PASS),
      PASS_TO_PASS: JSON.stringify(meta.PASS_TO_PASS),
      environment_setup_commit: baseCommit,
    };
    rows.push({ ...row, ...columns(row) });
  }
  return { repo, path: repoDir, rows };
}

export const defaultDemoDir = (cacheName = "demo"): string =>
  join(process.env.SWERL_HOME ?? join(homedir(), ".cache", "swerl"), cacheName);

const pythonColumns: RowColumns = () => ({ log_parser: "parse_log_pytest" });

/** Build (or reuse, when the sources have not changed) the Python demo's repos and dataset. */
export function buildDemoBenchmark(outDir = defaultDemoDir()): Promise<DemoBenchmark> {
  return buildBenchmark(demoSourceDir, outDir, pythonColumns);
}

/**
 * Build (or reuse) a demo benchmark's repos and dataset in outDir/<hash of the sources and of
 * `columnsKey`>: columns derived from code (the spec's eval script) rebuild it when they change.
 */
export async function buildBenchmark(
  sourceDir: string,
  outDir: string,
  columns: RowColumns,
  columnsKey = "",
): Promise<DemoBenchmark> {
  const names = (await readdir(sourceDir)).sort();
  const sources: Record<string, string> = {};
  for (const name of names)
    for (const f of await listFiles(join(sourceDir, name))) {
      sources[`${name}/${f}`] = await readFile(join(sourceDir, name, f), "utf8");
    }
  const dir = join(outDir, hashValue(columnsKey ? { sources, columnsKey } : sources).slice(0, 16));
  const datasetPath = join(dir, "dataset.jsonl");
  const repoSources = Object.fromEntries(names.map((n) => [`${DEMO_OWNER}/${n}`, join(dir, "repos", n)]));
  if (existsSync(datasetPath)) return { dir, datasetPath, repoSources };
  const rows: object[] = [];
  for (const name of names) rows.push(...(await buildRepo(sourceDir, name, dir, columns)).rows);
  await writeFile(join(dir, "README.txt"), `swerl demo benchmark (${sourceDir}), built by src/demo/build.ts\n`);
  await writeFileAtomic(datasetPath, rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
  return { dir, datasetPath, repoSources };
}
