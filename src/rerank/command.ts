// `swerl rerank --input FILE.jsonl --out preds.jsonl`: choose one patch per instance from
// per-sample records made by any tool ({instance_id, sample, patch, normalized_patch?,
// regression_failures, reproduction_passed}); writes SWE-bench predictions plus the chosen
// sample, and (--explain) why each won. Lines without normalized_patch are normalized here,
// against the files at the instance's base commit (needs --dataset and a local clone).
// `swerl rerank --run R` reranks a run's own validation records instead (run-candidates.ts).
import { createReadStream, existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { Command, Option } from "commander";
import { parsePairs, parsePositiveInt } from "../cli/pairs.js";
import { loadDataset } from "../dataset/load.js";
import { resolveDatasetPath } from "../dataset/options.js";
import { log } from "../log/logger.js";
import { InstanceNormalizer } from "../normalize/instance-normalizer.js";
import { CodePatchNormalizer } from "../normalize/normalize-code.js";
import { isCodeLanguage, type InstanceLanguage, repoLanguage } from "../language/instance-language.js";
import { createPatchNormalizer, type NormalizerKind } from "../normalize/patch-normalizer.js";
import { PROFILE_TABLE, PROFILES, type ProfileName } from "../config/profile.js";
import { patchedFilePath, parsePatchSet } from "../reward/patch-set.js";
import { readFilesAtCommit } from "../repo/files.js";
import { resolveRepoSources } from "../repo/local-sources.js";
import { join } from "node:path";
import type { SwerlConfig } from "../config/schema.js";
import { loadSelectedInstances, selectionOfConfig } from "../dataset/options.js";
import { writeFileAtomic } from "../store/atomic.js";
import { RunStore } from "../store/run-store.js";
import { rerankRun, type RunRerankOptions } from "./run-candidates.js";
import { RERANK_FILTERS, RERANK_RULES, type RerankFilter, type RerankRule } from "./rerank.js";
import { chooseForInstance, groupByInstance, parseSampleLine, type SampleLine } from "./samples.js";
import { InputError } from "../util/input-error.js";

export interface RerankFileOptions {
  input: string;
  out: string;
  explain?: string;
  rule: RerankRule;
  filter: RerankFilter;
  maxSamples?: number;
  modelName: string;
  /** How lines without normalized_patch are grouped (default agentless, as validate.normalize in the swe-rl profile). */
  normalize?: NormalizerKind;
  dataset?: string;
  repoSource?: string[];
  reposDir?: string;
}

async function readLines(path: string): Promise<{ line: SampleLine; where: string }[]> {
  if (!existsSync(path)) throw new InputError(`--input ${path}: no such file`);
  const out: { line: SampleLine; where: string }[] = [];
  let n = 0;
  for await (const text of createInterface({ input: createReadStream(path, "utf8"), crlfDelay: Infinity })) {
    n++;
    if (text.trim() === "") continue;
    out.push({ line: parseSampleLine(text, `${path}:${n}`), where: `${path}:${n}` });
  }
  return out;
}

/** What normalizing one instance's lines needs: its files at the base commit and its repo's language. */
interface InstanceOriginals {
  files: Record<string, string>;
  language: InstanceLanguage;
}

/** Original files (and language) of every instance that has lines without normalized_patch. */
async function originalsFor(
  byInstance: Map<string, SampleLine[]>,
  o: RerankFileOptions,
): Promise<Map<string, InstanceOriginals>> {
  const needed = [...byInstance]
    .filter(([, lines]) => lines.some((l) => l.normalized_patch === undefined))
    .map(([id]) => id);
  const originals = new Map<string, InstanceOriginals>();
  if (needed.length === 0) return originals;
  if (!o.dataset)
    throw new InputError(
      `${needed.length} instance(s) (first: ${needed[0]}) have lines without normalized_patch: pass --dataset (and a local clone) to normalize them`,
    );
  const datasetPath = await resolveDatasetPath(o.dataset);
  const instances = new Map((await loadDataset(datasetPath)).map((i) => [i.instance_id, i]));
  const missing = needed.filter((id) => !instances.has(id));
  if (missing.length)
    throw new InputError(
      `--dataset ${o.dataset}: no instance ${missing[0]}${missing.length > 1 ? ` (and ${missing.length - 1} more)` : ""}`,
    );
  const sources = resolveRepoSources(
    needed.map((id) => instances.get(id)!.repo),
    {
      explicit: parsePairs(o.repoSource, "--repo-source"),
      datasetPath,
      reposDir: o.reposDir ?? process.env.SWERL_REPOS_DIR,
    },
  );
  for (const id of needed) {
    const inst = instances.get(id)!;
    const paths = new Set<string>();
    for (const line of byInstance.get(id)!) {
      if (line.normalized_patch !== undefined) continue;
      try {
        for (const f of parsePatchSet(line.patch)) {
          paths.add(patchedFilePath(f));
          if (f.sourceFile && f.sourceFile !== "/dev/null") paths.add(f.sourceFile.replace(/^a\//, ""));
        }
      } catch {
        /* not a diff: normalizePatch reports it */
      }
    }
    originals.set(id, {
      files: await readFilesAtCommit(sources[inst.repo], inst.base_commit, [...paths]),
      language: await repoLanguage(inst, sources[inst.repo]),
    });
  }
  return originals;
}

export async function runRerankFile(o: RerankFileOptions): Promise<{ instances: number; withPatch: number }> {
  const byInstance = groupByInstance(await readLines(o.input));
  const originals = await originalsFor(byInstance, o);
  const preds: string[] = [];
  const explanations: string[] = [];
  let withPatch = 0;
  const agentless = (o.normalize ?? "agentless") === "agentless" ? createPatchNormalizer("agentless") : undefined;
  try {
    for (const [id, lines] of byInstance) {
      await new Promise((resolve) => setImmediate(resolve)); // lets tree-sitter free the last instance's trees
      const warnBad = (line: SampleLine, error: string) =>
        log.warn(`${id} sample ${line.sample}: patch does not normalize (${error}); counted as empty`);
      const { files, language } = originals.get(id) ?? { files: {}, language: "python" as const };
      let normalize: (line: SampleLine) => string;
      if (isCodeLanguage(language)) {
        // another language's repo: its own canonical form, as validate groups it
        const code = new CodePatchNormalizer(language);
        normalize = (line) => {
          const r = code.normalizeNow(line.patch, files);
          if (r.error) warnBad(line, r.error);
          return r.normalized;
        };
      } else if (agentless) {
        // Agentless's normalize_patch (python3 worker), every distinct patch of the instance at once
        const distinct = [...new Set(lines.filter((l) => l.normalized_patch === undefined).map((l) => l.patch))];
        const results = await Promise.all(distinct.map((p) => agentless.normalize(p, files, id)));
        const byPatch = new Map(distinct.map((p, k) => [p, results[k]!]));
        normalize = (line) => {
          const r = byPatch.get(line.patch)!;
          if (r.error) warnBad(line, r.error);
          return r.normalized;
        };
      } else {
        const normalizer = new InstanceNormalizer(files); // its caches serve this instance's lines
        normalize = (line) => {
          const r = normalizer.normalize(line.patch);
          if (r.error) warnBad(line, r.error);
          return r.normalized;
        };
      }
      const choice = chooseForInstance(
        lines,
        o.modelName,
        { rule: o.rule, filter: o.filter, maxSamples: o.maxSamples },
        normalize,
      );
      if (choice.conflicts && o.rule === "swerl-tiebreak")
        log.warn(
          `${id}: ${choice.conflicts} sample(s) disagree with the test results of the earliest sample of their normalized patch, whose results swerl-tiebreak uses`,
        );
      if (choice.prediction.model_patch) withPatch++;
      preds.push(JSON.stringify(choice.prediction));
      explanations.push(
        JSON.stringify({
          instance_id: id,
          sample: choice.result.sample,
          samples: choice.samples,
          reason: choice.result.reason,
        }),
      );
    }
  } finally {
    await agentless?.close();
  }
  await writeFileAtomic(o.out, preds.map((l) => l + "\n").join(""));
  if (o.explain) await writeFileAtomic(o.explain, explanations.map((l) => l + "\n").join(""));
  log.info(
    `rerank (${o.rule}, filter ${o.filter}, normalize ${o.normalize ?? "agentless"}): ${byInstance.size} instances, ${withPatch} with a patch → ${o.out}`,
  );
  return { instances: byInstance.size, withPatch };
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

/** `--run R`: the run's own records; model name from its config unless --model-name is given. */
async function rerankRunCommand(
  runId: string,
  resultsDir: string,
  o: Omit<RunRerankOptions, "rule"> & { rule?: RerankRule },
): Promise<void> {
  const dir = join(resultsDir, runId);
  const manifest = await RunStore.readManifest(dir);
  if (!manifest) throw new InputError(`--run ${runId}: no run at ${dir}`);
  const config = manifest.config as SwerlConfig;
  const instances = await loadSelectedInstances(selectionOfConfig(config.dataset));
  const run = await RunStore.open({
    runId,
    command: manifest.command,
    config: manifest.config,
    datasetDigest: manifest.dataset_digest,
    resultsDir,
  });
  const modelName = o.modelName === "swerl" ? (config.model?.name ?? "swerl") : o.modelName;
  const rule = o.rule ?? config.rerank?.rule ?? "swerl"; // the run's own rule unless --rule is given
  const r = await rerankRun(run, instances, { ...o, rule, modelName });
  await run.finish(manifest.status === "started" ? "success" : manifest.status);
  log.info(
    `rerank (${rule}, filter ${o.filter}): ${r.instances} instances, ${r.withPatch} with a patch → ${r.predsPath}`,
  );
}

export function rerankCommand(): Command {
  return new Command("rerank")
    .description("Choose one patch per instance (tests, then majority vote) and write SWE-bench predictions")
    .option("--run <id>", "rerank this run's validation records: writes results/<run>/preds.jsonl and rerank.jsonl")
    .option(
      "--input <file>",
      "JSONL, one line per sample: {instance_id, sample, patch, normalized_patch?, regression_failures, reproduction_passed}",
    )
    .option("--out <file>", "predictions JSONL ({instance_id, model_name_or_path, model_patch, sample})")
    .option(
      "--max-tests <t>",
      "with --run: use the first t ranked reproduction tests (default: the run's reproduce.top_tests)",
    )
    .option("--results-dir <dir>", "with --run: where run directories live", "results")
    .option("--explain <file>", "also write why each patch won, one JSON line per instance")
    .addOption(
      new Option(
        "--rule <rule>",
        "swerl (SWE-RL's rerank.py), agentless (Agentless 1.5's), or swerl-tiebreak (SWE-RL's with explicit tie-breaks); default: the profile's (--input) or the run's (--run)",
      ).choices(RERANK_RULES),
    )
    .addOption(
      new Option("--profile <name>", "with --input: the pipeline profile giving the defaults of --rule and --normalize")
        .choices(PROFILES)
        .default("swe-rl"),
    )
    .addOption(
      new Option(
        "--normalize <kind>",
        "with --input: how lines without normalized_patch are grouped, agentless (normalize_patch, python3) or canonical (tree-sitter); default: the profile's validate.normalize",
      ).choices(["agentless", "canonical"]),
    )
    .addOption(new Option("--filter <which>", "test filters to apply").choices(RERANK_FILTERS).default("both"))
    .option("--max-samples <k>", "rerank on samples 0..k-1 only")
    .option("--model-name <name>", "model_name_or_path of the predictions", "swerl")
    .option("--dataset <path|hf-id>", "dataset, to normalize lines without normalized_patch")
    .option("--repo-source <repo=path>", "local git repository of a dataset repo (repeatable)", collect)
    .option("--repos-dir <dir>", "directory of clones named owner__name (default $SWERL_REPOS_DIR)")
    .action(
      async (
        opts: Omit<RerankFileOptions, "maxSamples" | "input" | "out" | "rule"> & {
          rule?: RerankRule;
          profile: ProfileName;
          maxSamples?: string;
          input?: string;
          out?: string;
          run?: string;
          maxTests?: string;
          resultsDir: string;
        },
      ) => {
        const maxSamples =
          opts.maxSamples === undefined ? undefined : parsePositiveInt(opts.maxSamples, "--max-samples");
        if (opts.run) {
          if (opts.input) throw new InputError("give --run or --input, not both");
          const maxTests = opts.maxTests === undefined ? undefined : parsePositiveInt(opts.maxTests, "--max-tests");
          await rerankRunCommand(opts.run, opts.resultsDir, {
            rule: opts.rule,
            filter: opts.filter,
            maxSamples,
            maxTests,
            modelName: opts.modelName,
          });
          return;
        }
        if (!opts.input || !opts.out) throw new InputError("give --run R, or --input FILE and --out FILE");
        const fromProfile = (path: string) => PROFILE_TABLE[path]![opts.profile];
        await runRerankFile({
          ...opts,
          input: opts.input,
          out: opts.out,
          maxSamples,
          rule: opts.rule ?? (fromProfile("rerank.rule") as RerankRule),
          normalize: opts.normalize ?? (fromProfile("validate.normalize") as NormalizerKind),
        });
      },
    );
}
