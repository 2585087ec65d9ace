// Localization, repair and the vote's grouping on repos of other languages (Go, Rust,
// JavaScript: real git repos made here, real tree-sitter maps and parses), with the oracle
// policy through the real stages. Their language is found from their files.
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configSchema } from "../src/config/schema.js";
import type { Instance } from "../src/dataset/schema.js";
import { repoLanguage } from "../src/language/instance-language.js";
import { goldLocalizationFiles } from "../src/records/localization-metrics.js";
import type { LocalizeRecord } from "../src/records/localization.js";
import { InstanceRepos } from "../src/localize/repos.js";
import { runLocalizeStage } from "../src/localize/stage.js";
import { createModelProvider } from "../src/model/factory.js";
import type { ModelProvider, ModelRequest } from "../src/model/types.js";
import { CodePatchNormalizer } from "../src/normalize/normalize-code.js";
import { goldPatchFiles } from "../src/records/locations.js";
import { applyUnifiedDiff } from "../src/reward/apply-diff.js";
import { oracleLookupFromRepos } from "../src/stage-common/oracle-lookup.js";
import type { RepairRecord } from "../src/records/repair.js";
import { runRepairStage } from "../src/repair/stage.js";
import { RunStore } from "../src/store/run-store.js";
import { uniquePatches } from "../src/validate/group.js";
import { ML_FIXTURES, makeMultilingualFixtures } from "./helpers/multilingual-repos.js";

let work: string;
let repoSources: Record<string, string>;
let instances: Instance[];
const opened: RunStore[] = [];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "swerl-ml-stages-"));
  ({ repoSources, instances } = await makeMultilingualFixtures(join(work, "repos")));
}, 120_000);
afterAll(async () => {
  for (const run of opened) await run.finish("success");
  await rm(work, { recursive: true, force: true });
});

/** The oracle, remembering every request it was sent. */
function oracle(rates = { wrong_edit_rate: 0, format_error_rate: 0, noop_rate: 0 }): {
  provider: ModelProvider;
  requests: ModelRequest[];
} {
  const config = configSchema.parse({ model: { provider: "oracle", name: "oracle", oracle: rates } });
  const inner = createModelProvider(config.model, { oracleLookup: oracleLookupFromRepos(instances, repoSources) });
  const requests: ModelRequest[] = [];
  return {
    requests,
    provider: {
      ...inner,
      name: inner.name,
      kind: inner.kind,
      complete: (req) => {
        requests.push(req);
        return inner.complete(req);
      },
    } as ModelProvider,
  };
}

async function openRun(runId: string, command: string): Promise<RunStore> {
  const run = await RunStore.open({ runId, command, config: { test: runId }, resultsDir: join(work, "results") });
  opened.push(run);
  return run;
}

const readJsonl = async <T>(path: string): Promise<T[]> =>
  (await readFile(path, "utf8"))
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as T);
const git = (cwd: string, args: string[], input?: string) =>
  execFileSync("git", args, { cwd, input, encoding: "utf8" });
const family = (inst: Instance) => ML_FIXTURES.find((f) => f.repo === inst.repo)!.family;

describe("the language of a repo no spec table knows", () => {
  it("is the family with the most source files", async () => {
    for (const inst of instances) expect(await repoLanguage(inst, repoSources[inst.repo])).toBe(family(inst));
  });
});

describe("localize on Go, Rust and JavaScript repos (oracle)", () => {
  let records: LocalizeRecord[];
  let requests: ModelRequest[];

  beforeAll(async () => {
    const run = await openRun("ml-localize", "localize");
    const o = oracle();
    requests = o.requests;
    const result = await runLocalizeStage({
      run,
      instances,
      provider: o.provider,
      repos: InstanceRepos.local(repoSources),
      samples: 2,
      maxFiles: 5,
      params: { temperature: 1, top_p: 1, max_tokens: 1024 },
      seed: 1,
      concurrency: 2,
      map: { cacheDir: join(work, "map-cache") },
    });
    expect(result.ran).toBe(6);
    expect(result.summary.metrics).toMatchObject({ instances: 3, any_hit: 1, all_hit: 1, no_gold: [] });
    records = await readJsonl<LocalizeRecord>(run.stagePath("localization"));
  }, 120_000);

  it("finds the gold source file of each repo", () => {
    for (const r of records) {
      const inst = instances.find((i) => i.instance_id === r.instance_id)!;
      expect(r.status).toBe("ok");
      expect(r.found_files).toEqual(goldLocalizationFiles(inst.patch, family(inst)));
      expect(r.found_files!.length).toBe(1);
    }
  });

  it("lists each language's source files, leaving out tests, vendored/minified and non-source files", () => {
    const listed = (id: string) =>
      requests.find((q) => q.instanceId === id)!.messages[0]!.content.split("### Repository Structure ###")[1]!;
    const [go, rust, js] = instances.map((i) => listed(i.instance_id));
    expect(go).toMatch(/version\.go/);
    expect(go).toMatch(/cmp\.go/);
    expect(go).not.toMatch(/version_test\.go|go\.mod|README/);
    expect(rust).toMatch(/lib\.rs/);
    expect(rust).toMatch(/field\.rs/);
    expect(rust).not.toMatch(/records\.rs|Cargo\.toml/);
    expect(js).toMatch(/index\.js/);
    expect(js).toMatch(/decode\.js/);
    expect(js).not.toMatch(/parse\.test\.js|min\.js|package\.json/);
    for (const r of records) expect(r.listed_files).toBe(2);
  });
});

describe("repair on Go, Rust and JavaScript repos (oracle, gold locations)", () => {
  let records: RepairRecord[];
  let requests: ModelRequest[];

  beforeAll(async () => {
    const run = await openRun("ml-repair", "repair");
    const o = oracle({ wrong_edit_rate: 0.3, format_error_rate: 0.1, noop_rate: 0.1 });
    requests = o.requests;
    const result = await runRepairStage({
      run,
      instances,
      provider: o.provider,
      repoSources,
      samples: 8,
      maxInputTokens: 60_000,
      locations: "gold",
      params: { temperature: 1, top_p: 1, max_tokens: 4096 },
      seed: 2,
      concurrency: 4,
    });
    expect(result.ran).toBe(24);
    records = await readJsonl<RepairRecord>(run.stagePath("repair"));
  }, 120_000);

  it("asks with the language's fence tag and example", () => {
    const fences = {
      go: "```go\n### server/http/app.go",
      rust: "```rust\n### src/server/app.rs",
      js: "```javascript\n### lib/server/app.js",
    };
    for (const inst of instances) {
      const prompt = requests.find((q) => q.instanceId === inst.instance_id)!.messages.at(-1)!.content;
      expect(prompt).toContain(fences[family(inst)]);
      expect(prompt).not.toContain("```python");
    }
  });

  it("turns the correct answers into the gold patch, which git applies at base_commit", () => {
    const correct = records.filter((r) => r.oracle_variant === "correct");
    expect(new Set(correct.map((r) => r.instance_id)).size).toBe(3);
    for (const r of correct) {
      const inst = instances.find((i) => i.instance_id === r.instance_id)!;
      expect(r).toMatchObject({ status: "ok", reward: 1, format_ok: true, syntax_errors: {} });
      const paths = goldPatchFiles(inst.patch);
      const originals = Object.fromEntries(
        paths.map((p) => [p, git(repoSources[inst.repo]!, ["show", `${inst.base_commit}:${p}`])]),
      );
      expect(applyUnifiedDiff(originals, r.patch).after).toEqual(applyUnifiedDiff(originals, inst.patch).after);
      expect(r.edited_files).toEqual(goldPatchFiles(inst.patch));
    }
  });

  it("every other record has a status and, when it has a patch, one git can apply", () => {
    for (const r of records) {
      expect(["ok", "partial_apply", "apply_error", "no_edits", "syntax_error", "empty_patch"]).toContain(r.status);
      if (r.patch === "") continue;
      const dir = repoSources[instances.find((i) => i.instance_id === r.instance_id)!.repo]!;
      git(dir, ["apply", "--check", "-"], r.patch);
    }
  });

  it("groups the samples for the vote with the language's canonical form", async () => {
    for (const inst of instances) {
      const mine = records.filter((r) => r.instance_id === inst.instance_id).map((r) => ({ ...r, sample: r.sample }));
      const unique = await uniquePatches(
        inst,
        mine as never,
        repoSources[inst.repo]!,
        new CodePatchNormalizer(family(inst)),
      );
      const correct = mine.filter((r) => r.oracle_variant === "correct").map((r) => r.sample);
      const group = unique.find((u) => correct.includes(u.samples[0]!))!;
      expect(correct.every((s) => group.samples.includes(s))).toBe(true);
    }
  });
});
