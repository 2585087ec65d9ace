// A run is a directory results/<run-id>/ with run.json (config, its hash, dataset digest,
// swerl version, git commit, status, timestamps) and one append-only JSONL file per stage.
// Re-running resumes: a stage's records already present are skipped by the caller via
// `doneKeys`. A directory whose config hash differs is refused unless `force`.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { swerlVersion } from "../util/version.js";
import { writeJsonAtomic } from "./atomic.js";
import { hashValue } from "./hash.js";
import { JsonlWriter, readRecords } from "./jsonl.js";
import { InputError } from "../util/input-error.js";

export type RunStatus = "started" | "success" | "error" | "interrupted";

export interface RunManifest {
  run_id: string;
  command: string;
  config: unknown;
  config_hash: string;
  /** The config's pipeline profile and the options that depart from it (src/config/profile.ts). */
  profile?: { name: string; departures: Record<string, { value: unknown; profile: unknown }> };
  dataset_digest: string | null;
  swerl_version: string;
  git_commit: string | null;
  status: RunStatus;
  error?: string;
  created_at: string;
  updated_at: string;
}

export const defaultResultsDir = (): string => resolve(process.env.SWERL_RESULTS_DIR ?? "results");

export class ConfigMismatchError extends InputError {}

function gitCommit(): string | null {
  try {
    return execFileSync("git", ["rev-parse", "HEAD"], {
      cwd: new URL("../..", import.meta.url).pathname,
      stdio: ["ignore", "pipe", "ignore"],
    })
      .toString()
      .trim();
  } catch {
    return null;
  }
}

export class RunStore {
  private writers = new Map<string, Promise<JsonlWriter>>();

  private constructor(
    readonly dir: string,
    private manifest: RunManifest,
  ) {}

  get runId(): string {
    return this.manifest.run_id;
  }
  get status(): RunStatus {
    return this.manifest.status;
  }
  get info(): Readonly<RunManifest> {
    return this.manifest;
  }

  /** Create or reopen (resume) a run directory. */
  static async open(opts: {
    runId: string;
    command: string;
    config: unknown;
    datasetDigest?: string | null;
    resultsDir?: string;
    force?: boolean;
    profile?: RunManifest["profile"];
  }): Promise<RunStore> {
    if (!/^[\w.-]+$/.test(opts.runId))
      throw new InputError(`run id "${opts.runId}" may only hold letters, digits, '.', '_' and '-'`);
    const dir = join(opts.resultsDir ?? defaultResultsDir(), opts.runId);
    const configHash = hashValue(opts.config);
    const now = new Date().toISOString();
    let manifest: RunManifest;
    const existing = await RunStore.readManifest(dir);
    if (existing && existing.config_hash !== configHash && !opts.force) {
      throw new ConfigMismatchError(
        `run ${opts.runId} (${dir}) was started with a different config (hash ${existing.config_hash.slice(0, 12)} vs ${configHash.slice(0, 12)}); use another --run-id or --force`,
      );
    }
    if (existing) {
      manifest = {
        ...existing,
        command: opts.command,
        config: opts.config,
        config_hash: configHash,
        status: "started",
        updated_at: now,
      };
      if (opts.profile) manifest.profile = opts.profile;
      delete manifest.error;
    } else {
      await mkdir(dir, { recursive: true });
      manifest = {
        run_id: opts.runId,
        command: opts.command,
        config: opts.config,
        config_hash: configHash,
        ...(opts.profile ? { profile: opts.profile } : {}),
        dataset_digest: opts.datasetDigest ?? null,
        swerl_version: swerlVersion(),
        git_commit: gitCommit(),
        status: "started",
        created_at: now,
        updated_at: now,
      };
    }
    const store = new RunStore(dir, manifest);
    await store.saveManifest();
    return store;
  }

  /** An existing run, for reading only: nothing is written (status and config stay as they are). */
  static async readOnly(dir: string): Promise<RunStore> {
    const manifest = await RunStore.readManifest(dir);
    if (!manifest) throw new InputError(`no run at ${dir} (no run.json)`);
    return new RunStore(dir, manifest);
  }

  static async readManifest(dir: string): Promise<RunManifest | null> {
    const path = join(dir, "run.json");
    if (!existsSync(path)) return null;
    return JSON.parse(await readFile(path, "utf8")) as RunManifest;
  }

  path(...parts: string[]): string {
    return join(this.dir, ...parts);
  }

  stagePath(stage: string): string {
    return this.path(`${stage}.jsonl`);
  }

  /** Append one record to a stage's JSONL file (one whole line per record). */
  async append(stage: string, record: unknown): Promise<void> {
    let writer = this.writers.get(stage);
    if (!writer) {
      writer = JsonlWriter.open(this.stagePath(stage));
      this.writers.set(stage, writer);
    }
    await (await writer).append(record);
  }

  /** Create a stage's file, empty, if it has none: a stage that ran and had nothing to record says so. */
  async touch(stage: string): Promise<void> {
    if (!this.writers.has(stage)) this.writers.set(stage, JsonlWriter.open(this.stagePath(stage)));
    await this.writers.get(stage);
  }

  records<T>(stage: string): AsyncGenerator<T> {
    return readRecords<T>(this.stagePath(stage));
  }

  /** Keys of the records already in a stage file, for resuming. */
  async doneKeys<T>(stage: string, key: (r: T) => string): Promise<Set<string>> {
    const keys = new Set<string>();
    for await (const r of this.records<T>(stage)) keys.add(key(r));
    return keys;
  }

  /** Record a stage's model token usage in usage.json (one key per stage). */
  async saveUsage(stage: string, usage: unknown): Promise<void> {
    const path = this.path("usage.json");
    let all: Record<string, unknown> = {};
    if (existsSync(path)) {
      try {
        all = JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
      } catch {
        all = {};
      }
    }
    all[stage] = usage;
    await writeJsonAtomic(path, all);
  }

  async finish(status: Exclude<RunStatus, "started">, error?: string): Promise<void> {
    for (const w of this.writers.values()) await (await w).close();
    this.writers.clear();
    this.manifest = { ...this.manifest, status, updated_at: new Date().toISOString(), ...(error ? { error } : {}) };
    await this.saveManifest();
  }

  private saveManifest(): Promise<void> {
    return writeJsonAtomic(this.path("run.json"), this.manifest);
  }
}
