// The oracle against real gold patches: on the demo benchmark (real git repos, originals read
// with `git show`, expected files made by `git apply`) and on every SWE-bench Verified row
// (pre-images rebuilt from the patch hunks, with duplicated code to force longer searches).
// Its answers go through the reward's strict SWE-RL parser and apply semantics.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configSchema } from "../config/schema.js";
import { buildDemoBenchmark } from "../demo/build.js";
import { calculateSearchReplaceReward } from "../reward/reward.js";
import { applySearchReplace, extractThoughtSolution, parseSearchReplace } from "../reward/search-replace.js";
import { createModelProvider } from "./factory.js";
import { goldEdits } from "./oracle-edits.js";
import { strictEdits } from "../reward/agentless-mini-edits.js";
import { astParses } from "../repair/process-output.js";
import { parseLocalizationStrict } from "../localize/parse.js";
import { OracleProvider, type OracleGold } from "./oracle.js";
import type { ModelRequest } from "./types.js";

interface Row {
  instance_id: string;
  repo: string;
  base_commit: string;
  patch: string;
}
interface DemoCase {
  id: string;
  gold: OracleGold;
  after: Record<string, string>;
}

const sh = (cwd: string, args: string[], input?: string) =>
  execFileSync("git", args, { cwd, input, encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] });
const patchPaths = (patch: string) => [...patch.matchAll(/^diff --git a\/(\S+) b\/(\S+)$/gm)].map((m) => m[2]);

let work: string;
let demo: DemoCase[];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "swerl-oracle-"));
  const bench = await buildDemoBenchmark(join(work, "demo"));
  const rows = readFileSync(bench.datasetPath, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Row);
  demo = [];
  for (const row of rows) {
    const repo = bench.repoSources[row.repo];
    const files: Record<string, string> = {};
    for (const p of patchPaths(row.patch)) {
      try {
        files[p] = sh(repo, ["show", `${row.base_commit}:${p}`]);
      } catch {
        /* a new file */
      }
    }
    // the expected result: git itself applies the gold patch to a checkout of base_commit
    const checkout = join(work, "checkout", row.instance_id);
    sh(work, ["clone", "-q", repo, checkout]);
    sh(checkout, ["checkout", "-q", row.base_commit]);
    sh(checkout, ["apply", "-"], row.patch);
    const after: Record<string, string> = {};
    for (const p of patchPaths(row.patch)) after[p] = await readFile(join(checkout, p), "utf8").catch(() => "");
    demo.push({ id: row.instance_id, gold: { patch: row.patch, files }, after });
  }
}, 300_000);
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const rates = (
  over: Partial<{ wrong_edit_rate: number; format_error_rate: number; noop_rate: number; seed: number }> = {},
) => ({ wrong_edit_rate: 0, format_error_rate: 0, noop_rate: 0, seed: 0, ...over });

const ask = (instanceId: string, sampleIndex = 0, stage = "repair"): ModelRequest => ({
  messages: [{ role: "user", content: `fix ${instanceId}` }],
  sampleIndex,
  instanceId,
  stage,
  params: { temperature: 1, top_p: 1, max_tokens: 4096 },
});

function applyStrict(text: string, files: Record<string, string>): Record<string, string> {
  return applySearchReplace(files, parseSearchReplace(extractThoughtSolution(text).answer));
}

describe("oracle on the demo benchmark (real git)", () => {
  it("its correct answer parses with the strict SWE-RL parser and reproduces git apply's files", async () => {
    expect(demo.length).toBeGreaterThanOrEqual(5);
    const byId = new Map(demo.map((d) => [d.id, d.gold]));
    const oracle = new OracleProvider((id) => byId.get(id), rates());
    for (const d of demo) {
      const r = await oracle.complete(ask(d.id));
      expect(r).toMatchObject({ ok: true, oracleVariant: "correct" });
      if (!r.ok) continue;
      expect(r.text).toMatch(/^<think>\n.*swerl oracle.*\n<\/think>\n<solution>\n```python\n### /s);
      const result = applyStrict(r.text, d.gold.files);
      for (const [path, content] of Object.entries(d.after)) expect(result[path], `${d.id} ${path}`).toBe(content);
      expect(Object.keys(result).sort()).toEqual(Object.keys(d.after).sort());
      expect(calculateSearchReplaceReward(d.gold.files, d.after, r.text).reward).toBe(1);
    }
  });

  it("its correct answers pass the strict profile parsers (Agentless Mini's), thinking format or not", async () => {
    const byId = new Map(demo.map((d) => [d.id, d.gold]));
    const oracle = new OracleProvider((id) => byId.get(id), rates());
    for (const d of demo) {
      const r = await oracle.complete(ask(d.id));
      const loc = await oracle.complete(ask(d.id, 0, "localize"));
      if (!r.ok || !loc.ok) throw new Error(`${d.id}: the oracle did not answer`);
      const originals = Object.fromEntries(Object.entries(d.gold.files));
      for (const thinking of [false, true]) {
        const edits = strictEdits(r.text, originals, thinking);
        const changed = Object.fromEntries(edits.edited_files.map((f, i) => [f, edits.new_contents[i]]));
        // the reference reads files without their final newline; a strict edit still yields git apply's files
        for (const [path, content] of Object.entries(d.after))
          if (Object.hasOwn(originals, path)) expect(changed[path], `${d.id} ${path}`).toBe(content);
        expect(await astParses(edits.new_contents.filter((_, i) => edits.edited_files[i]!.endsWith(".py")))).toBe(true);
        const found = parseLocalizationStrict(loc.text, new Set(Object.keys(d.gold.files)), thinking).found_files;
        expect(found, d.id).toEqual(Object.keys(d.gold.files));
      }
    }
  });

  it("answers localization with the gold patch's files in a fenced block", async () => {
    const d = demo[0];
    const oracle = new OracleProvider((id) => (id === d.id ? d.gold : undefined), rates());
    const r = await oracle.complete(ask(d.id, 0, "localize"));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const { answer } = extractThoughtSolution(r.text);
    expect(answer).toBe("```\n" + Object.keys(d.gold.files).join("\n") + "\n```");
  });

  it("noise rates hold over 1,000 seeded samples, and each variant is what it says", async () => {
    const byId = new Map(demo.map((d) => [d.id, d]));
    const want = { wrong_edit: 0.2, format_error: 0.1, noop: 0.15 };
    const oracle = new OracleProvider(
      (id) => byId.get(id)?.gold,
      rates({ wrong_edit_rate: want.wrong_edit, format_error_rate: want.format_error, noop_rate: want.noop, seed: 7 }),
    );
    const counts: Record<string, number> = { correct: 0, wrong_edit: 0, format_error: 0, noop: 0 };
    const formatKinds = new Set<string>();
    const N = 1000;
    for (let i = 0; i < N; i++) {
      const d = demo[i % demo.length];
      const r = await oracle.complete(ask(d.id, i));
      if (!r.ok) throw new Error(r.message);
      const [variant, kind] = (r.oracleVariant ?? "").split(":");
      counts[variant]++;
      const reward = calculateSearchReplaceReward(d.gold.files, d.after, r.text);
      if (variant === "format_error") {
        formatKinds.add(kind);
        expect(reward.reward, `${d.id} #${i} ${kind}`).toBe(-1);
        continue;
      }
      const result = applyStrict(r.text, d.gold.files); // well-formed: must not throw
      if (variant === "correct") expect(reward.reward).toBe(1);
      if (variant === "noop") {
        for (const [path, content] of Object.entries(result)) {
          expect(content.replace(/\s+/g, "")).toBe((d.gold.files[path] ?? "").replace(/\s+/g, ""));
          expect(content).not.toBe(d.gold.files[path] ?? "");
        }
      }
      if (variant === "wrong_edit") {
        expect(
          Object.entries(d.after).some(([p, c]) => (result[p] ?? d.gold.files[p]) !== c),
          `${d.id} #${i}`,
        ).toBe(true);
        expect(reward.reward).toBeGreaterThanOrEqual(0);
        expect(reward.reward).toBeLessThan(1);
      }
    }
    for (const [variant, p] of Object.entries(want)) {
      const sigma = Math.sqrt(N * p * (1 - p));
      expect(Math.abs(counts[variant] - N * p), `${variant}: ${counts[variant]}`).toBeLessThan(4 * sigma);
    }
    expect(counts.correct).toBe(N - counts.wrong_edit - counts.format_error - counts.noop);
    expect(formatKinds.size).toBe(4);
  });

  it("the same (instance, sample, seed) always gives the same answer; another seed changes the draw", async () => {
    const byId = new Map(demo.map((d) => [d.id, d.gold]));
    const noisy = { wrong_edit_rate: 0.3, format_error_rate: 0.3, noop_rate: 0.2 };
    const a = new OracleProvider((id) => byId.get(id), rates({ ...noisy, seed: 1 }));
    const b = new OracleProvider((id) => byId.get(id), rates({ ...noisy, seed: 1 }));
    const c = new OracleProvider((id) => byId.get(id), rates({ ...noisy, seed: 2 }));
    let differ = 0;
    for (let i = 0; i < 40; i++) {
      const q = ask(demo[i % demo.length].id, i);
      const [x, y, z] = [await a.complete(q), await b.complete(q), await c.complete(q)];
      expect(x.ok && y.ok && x.text === y.text).toBe(true);
      if (x.ok && z.ok && x.text !== z.text) differ++;
    }
    expect(differ).toBeGreaterThan(10);
  });

  it("uses a stage's answer builder, and fails clearly for unknown stages or instances", async () => {
    const d = demo[0];
    const oracle = new OracleProvider((id) => (id === d.id ? d.gold : undefined), rates(), {
      reproduce: ({ edits, random }) =>
        `<think>\nrepro\n</think>\n<solution>\n${Object.keys(edits.after).join(",")} ${random() < 1}\n</solution>`,
    });
    expect(await oracle.complete(ask(d.id, 0, "reproduce"))).toMatchObject({
      ok: true,
      text: `<think>\nrepro\n</think>\n<solution>\n${Object.keys(d.after).join(",")} true\n</solution>`,
      oracleVariant: "stage_builder",
    });
    expect(await oracle.complete(ask(d.id, 0, "regress"))).toMatchObject({
      ok: false,
      reason: "oracle_unsupported_stage",
    });
    expect(await oracle.complete(ask("nobody__x-1"))).toMatchObject({ ok: false, reason: "oracle_no_gold" });
  });

  it("is built by the factory, named oracle, never cached, and rejects rates summing over 1", async () => {
    const d = demo[0];
    const cfg = configSchema.parse({ model: { provider: "oracle" } }).model;
    const client = createModelProvider(cfg, {
      oracleLookup: (id) => (id === d.id ? d.gold : undefined),
      cacheDir: join(work, "cache"),
    });
    expect(client).toMatchObject({ name: "oracle", kind: "oracle" });
    expect(client.cacheDir).toBeUndefined();
    expect(await client.complete(ask(d.id))).toMatchObject({ ok: true, cached: false });
    expect(() => createModelProvider(cfg, {})).toThrow(/oracle lookup/);
    const bad = configSchema.parse({
      model: { provider: "oracle", oracle: { wrong_edit_rate: 0.6, noop_rate: 0.6 } },
    }).model;
    expect(() => createModelProvider(bad, { oracleLookup: () => undefined })).toThrow(/at most 1/);
  });
});

// ---- every SWE-bench Verified row ----

const verifiedPath = resolve(process.cwd(), "../shared/datasets/swe-bench-verified.test.jsonl");

/** Lines of the original files as far as the patch shows them, each hunk at its stated line, plus a copy of every hunk's old lines further down (so searches must grow to be unique). */
function preImages(patch: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const section of patch.split(/^(?=diff --git )/m)) {
    const m = /^diff --git a\/(\S+) b\/(\S+)/.exec(section);
    if (!m || /^new file mode/m.test(section)) continue;
    const lines: string[] = [];
    const copies: string[] = [];
    const hunks = section.split(/^(?=@@ )/m).slice(1);
    for (const hunk of hunks) {
      const start = Number(/^@@ -(\d+)/.exec(hunk)![1]);
      while (lines.length < start - 1) lines.push(`filler_${m[1].length}_${lines.length} = ${lines.length}`);
      const old = hunk
        .split("\n")
        .slice(1)
        .filter((l) => l.startsWith(" ") || l.startsWith("-"))
        .map((l) => l.slice(1));
      lines.push(...old);
      copies.push(...old, `tail_${copies.length} = 0`);
    }
    // A last hunk with fewer than 3 trailing context lines sits at the end of the file (git
    // apply anchors it there), so the duplicated code must not follow it.
    const body = hunks
      .at(-1)!
      .split("\n")
      .slice(1)
      .filter((l) => /^[ +-]/.test(l));
    const trailing = body.length - 1 - body.findLastIndex((l) => !l.startsWith(" "));
    const atEnd = trailing < 3;
    files[m[1]] = (atEnd ? lines : [...lines, "# duplicated code below", ...copies]).concat("").join("\n");
  }
  return files;
}

describe("oracle on every SWE-bench Verified gold patch", () => {
  it("builds blocks that reproduce the patched files exactly under SWE-RL's apply semantics", () => {
    const rows = readFileSync(verifiedPath, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Row);
    expect(rows).toHaveLength(500);
    let grew = 0;
    let strict = 0;
    const failures: string[] = [];
    for (const row of rows) {
      const files = preImages(row.patch);
      const edits = goldEdits(row.patch, files);
      if (!edits.exact) {
        failures.push(row.instance_id);
        continue;
      }
      const text = `<think>\nx\n</think>\n<solution>\n${edits.blocks.map((b) => `\`\`\`python\n### ${b.path}\n<<<<<<< SEARCH\n${b.search}\n=======\n${b.replace}\n>>>>>>> REPLACE\n\`\`\``).join("\n")}\n</solution>`;
      expect(calculateSearchReplaceReward(edits.before, edits.after, text).reward, row.instance_id).toBe(1);
      if (edits.blocks.some((b) => b.search.split("\n").length > 7)) grew++;
      if (edits.strict) strict++;
    }
    expect(failures).toEqual([]);
    // Agentless Mini's strict parsing reproduces nearly all of them too (files with new paths or
    // edits it cannot express, e.g. a deletion — its strip empties the replace — are the rest)
    expect(strict).toBeGreaterThan(480); // 489/500 when written
    expect(grew).toBeGreaterThan(100); // the duplicated code did force longer searches
  });
});
