// bench/scale.ts pipeline: a synthetic paper-scale run through the stages' own code, in one
// process, printing each step's time and the process's peak RSS.
//   repair   runRepairStage on the demo instances, each copied --instances/5 times under new
//            ids, --samples each, answered by the oracle with its thought padded to
//            --answer-kb KB and a numbered comment in the edit (many distinct raw patches);
//   group    validation's grouping (repairIndex → one instance's samples → uniquePatches), each
//            unique patch appended to validation.jsonl with made-up test results (no containers);
//   rerank   rerankRun (preds.jsonl, rerank.jsonl);
//   report   buildReport over the whole run directory.
// --until repair|group|rerank stops after that step; --answers verified pads the thought with
// real text (SWE-bench Verified problem statements, hints and patches, a different slice per
// sample) instead of one repeated sentence, which compresses far better than model output does.
// Prints each step's wall and CPU seconds and the bytes of the run's record files.
import { readFileSync } from "node:fs";
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { loadSelectedInstances } from "../src/dataset/options.js";
import { buildDemoBenchmark } from "../src/demo/build.js";
import { OracleProvider } from "../src/model/oracle.js";
import type { ModelProvider, ModelRequest, ModelResult } from "../src/model/types.js";
import { oracleLookupFromRepos } from "../src/stage-common/oracle-lookup.js";
import { runRepairStage } from "../src/repair/stage.js";
import { buildReport } from "../src/report/build.js";
import { rerankRun } from "../src/rerank/run-candidates.js";
import { RunStore } from "../src/store/run-store.js";
import { uniquePatches } from "../src/validate/group.js";
import { repairIndex, repairSamplesAt } from "../src/records/validation-inputs.js";
import { VALIDATION_STAGE } from "../src/records/validation.js";

/** The oracle's answer, padded to `bytes` with thought and given a numbered comment in its first replace block. */
class PaddedNoisyOracle implements ModelProvider {
  readonly kind = "oracle" as const;
  readonly name = "oracle";
  constructor(
    private readonly oracle: OracleProvider,
    private readonly bytes: number,
    /** Text to pad with (a slice per sample); default one repeated sentence. */
    private readonly corpus?: string,
  ) {}
  async complete(req: ModelRequest): Promise<ModelResult> {
    const r = await this.oracle.complete(req);
    if (!r.ok) return r;
    const k = (req.sampleIndex * 7919) % 997;
    const noisy = r.text.replace(
      /=======\n([ \t]*)(\S[^\n]*)\n/,
      (_m, indent: string, line: string) => `=======\n${indent}${line}  # note ${k}\n`,
    );
    const want = Math.max(0, this.bytes - noisy.length);
    let pad: string;
    if (this.corpus) {
      const start = ((req.sampleIndex * 104_729 + req.instanceId.length * 7_919) * 13) % (this.corpus.length - want);
      pad = this.corpus.slice(start, start + want);
    } else
      pad = "Let me think about where the bug is and what the fix must keep working. "
        .repeat(Math.ceil(this.bytes / 72))
        .slice(0, want);
    return { ...r, text: noisy.replace("<think>\n", `<think>\n${pad}\n`) };
  }
}

const step = async <T>(name: string, f: () => Promise<T>): Promise<T> => {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const out = await f();
  const cpu = process.cpuUsage(cpu0);
  console.log(
    `${name.padEnd(7)} ${((performance.now() - t0) / 1000).toFixed(1).padStart(7)} s (CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s)   peak RSS so far ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
  );
  return out;
};

/** Real text to pad answers with: SWE-bench Verified problem statements, hints and patches. */
function verifiedCorpus(): string {
  return readFileSync("/work/shared/datasets/swe-bench-verified.test.jsonl", "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { problem_statement: string; hints_text: string; patch: string })
    .map((r) => `${r.problem_statement}\n${r.hints_text}\n${r.patch}`)
    .join("\n");
}

async function printRecordBytes(dir: string): Promise<void> {
  const sizes: string[] = [];
  for (const name of (await readdir(dir)).sort())
    if (name.endsWith(".jsonl")) sizes.push(`${name} ${((await stat(join(dir, name))).size / 1e6).toFixed(1)} MB`);
  console.log(`        on disk: ${sizes.join(", ")}`);
}

export async function runPipelineBench(
  option: (name: string, fallback: string) => string,
  peakRss: () => string,
): Promise<void> {
  const copies = Math.max(1, Math.round(Number(option("--instances", "500")) / 5));
  const samples = Number(option("--samples", "500"));
  const bytes = Number(option("--answer-kb", "16")) * 1024;
  const until = option("--until", "report");
  const answers = option("--answers", "repeated");
  if (!["repeated", "verified"].includes(answers)) throw new Error("--answers: repeated or verified");
  const { repoSources } = await buildDemoBenchmark();
  const demo = await loadSelectedInstances({ dataset: "demo" });
  const instances = demo.flatMap((inst) =>
    Array.from({ length: copies }, (_, c) => ({ ...inst, instance_id: `${inst.instance_id}.${c}` })),
  );
  console.log(
    `bench/scale pipeline: ${instances.length} instances × ${samples} samples = ${instances.length * samples}, answers ${bytes / 1024} KB (${answers} text), load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(" ")}`,
  );
  const dir = await mkdtemp(join(tmpdir(), "swerl-scale-"));
  try {
    const run = await RunStore.open({ runId: "scale", command: "bench", config: { bench: "scale" }, resultsDir: dir });
    const oracle = new OracleProvider(oracleLookupFromRepos(instances, repoSources), {
      wrong_edit_rate: 0.2,
      format_error_rate: 0.05,
      noop_rate: 0.05,
      seed: 1,
    });
    const repair = await step("repair", () =>
      runRepairStage({
        run,
        instances,
        provider: new PaddedNoisyOracle(oracle, bytes, answers === "verified" ? verifiedCorpus() : undefined),
        repoSources,
        samples,
        maxInputTokens: 16_000,
        locations: "gold",
        params: { temperature: 1, top_p: 1, max_tokens: 4096, seed: 0 } as never,
        seed: 1,
        concurrency: 64,
      }),
    );
    console.log(
      `        ${repair.summary.samples} samples, ${repair.summary.unique_patches_per_instance.toFixed(1)} distinct raw patches per instance`,
    );
    await printRecordBytes(run.dir);
    if (until === "repair") return await run.finish("success");
    let unique = 0;
    const parts = { read: 0, group: 0, append: 0 };
    await step("group", async () => {
      const index = await repairIndex(run, new Set(instances.map((i) => i.instance_id)));
      for (const inst of instances) {
        let t = performance.now();
        const list = await repairSamplesAt(run, index.get(inst.instance_id) ?? new Map());
        parts.read += performance.now() - t;
        t = performance.now();
        const patches = await uniquePatches(inst, list, repoSources[inst.repo]!);
        parts.group += performance.now() - t;
        t = performance.now();
        unique += patches.length;
        for (const [k, u] of patches.entries()) {
          await run.append(VALIDATION_STAGE, {
            instance_id: inst.instance_id,
            patch_id: u.patch_id,
            normalized_patch: u.normalized,
            patch: u.patch,
            samples: u.samples,
            isolation: "reuse",
            applied: true,
            apply_method: "git apply",
            regression_failures: k % 3,
            regression_failed_tests: [],
            reproduction_passed: k % 2 ? ["t0"] : [],
            reproduction_outcomes: {},
            violation: null,
            timed_out: false,
            error: null,
            timings_ms: { apply: 0, regression: 0, reproduction: 0, reset: 0, total: 0 },
            inputs: { regression: null, reproduction: null },
            created_at: new Date().toISOString(),
          });
        }
        parts.append += performance.now() - t;
      }
    });
    console.log(
      `        of which: reading samples ${(parts.read / 1000).toFixed(1)} s, grouping ${(parts.group / 1000).toFixed(1)} s, appending ${(parts.append / 1000).toFixed(1)} s`,
    );
    console.log(`        ${unique} unique patches (${(unique / instances.length).toFixed(1)} per instance)`);
    if (until === "group") return await run.finish("success");
    const ranked = await step("rerank", () =>
      rerankRun(run, instances, { rule: "swerl", filter: "both", modelName: "bench" }),
    );
    console.log(`        ${ranked.withPatch} of ${ranked.instances} instances with a patch`);
    if (until === "rerank") return await run.finish("success");
    await run.finish("success");
    const report = await step("report", () => buildReport(run.dir));
    console.log(`        report: ${JSON.stringify(report).length} bytes of JSON`);
    console.log(`peak RSS of the whole run: ${peakRss()}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
