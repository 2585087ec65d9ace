import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../../test/helpers/paths.js";
import { JsonlWriter, linesWithOffsets, readRecords, readRecordsAt } from "./jsonl.js";
import { ConfigMismatchError, RunStore } from "./run-store.js";

const child = join(repoRoot, "test", "helpers", "append-child.mjs");
const collect = async <T>(it: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
};

describe("JSONL records", () => {
  it("indexes lines by byte offset across read chunks and reads records back by offset", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "swerl-jsonl-")), "s.jsonl");
    // multi-byte text, lines longer than a read buffer, and a torn last line
    const records = Array.from({ length: 40 }, (_, i) => ({ i, text: "é€".repeat(i % 7 === 0 ? 150_000 : i * 10) }));
    writeFileSync(path, records.map((r) => JSON.stringify(r) + "\n").join("") + '{"i":');
    const lines = await collect(linesWithOffsets(path));
    expect(lines.map((l) => JSON.parse(l.text))).toEqual(records);
    const picked = [39, 0, 7, 21];
    expect(
      await readRecordsAt(
        path,
        picked.map((k) => lines[k]!.offset),
      ),
    ).toEqual(picked.map((k) => records[k]));
  });

  it("readers skip a torn last line and writers truncate it before appending", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "swerl-jsonl-")), "s.jsonl");
    writeFileSync(path, '{"a":1}\n{"a":2}\n{"a":');
    expect(await collect(readRecords(path))).toEqual([{ a: 1 }, { a: 2 }]);
    const w = await JsonlWriter.open(path);
    await w.append({ a: 3 });
    await w.close();
    expect(readFileSync(path, "utf8")).toBe('{"a":1}\n{"a":2}\n{"a":3}\n');
    appendFileSync(path, "not json\n");
    await expect(collect(readRecords(path))).rejects.toThrow(/line 4: not a JSON record/);
  });

  it("streams 250,000 records without loading the file whole", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "swerl-jsonl-")), "big.jsonl");
    const lines: string[] = [];
    for (let i = 0; i < 250_000; i++)
      lines.push(JSON.stringify({ instance_id: `repo__repo-${i % 500}`, sample: i, patch: "diff --git a/x b/x" }));
    writeFileSync(path, lines.join("\n") + "\n");
    const before = process.memoryUsage().heapUsed;
    let n = 0;
    let peak = before;
    for await (const r of readRecords<{ sample: number }>(path)) {
      if (r.sample !== n) throw new Error(`out of order at ${n}`);
      n++;
      if (n % 50_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
    expect(n).toBe(250_000);
    // The file is ~19 MB as text (~40 MB as JS strings); streaming stays far below that.
    expect(peak - before).toBeLessThan(30 * 1024 * 1024);
  });
});

describe("run store", () => {
  it("writes run.json, resumes with the same config and refuses a different one unless forced", async () => {
    const resultsDir = mkdtempSync(join(tmpdir(), "swerl-runs-"));
    const a = await RunStore.open({
      runId: "r1",
      command: "test",
      config: { samples: 4, nested: { b: 1, a: 2 } },
      resultsDir,
    });
    await a.append("repair", { id: 1 });
    await a.finish("success");
    const manifest = JSON.parse(readFileSync(join(resultsDir, "r1", "run.json"), "utf8"));
    expect(manifest).toMatchObject({ run_id: "r1", status: "success", config: { samples: 4 } });
    expect(manifest.config_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.swerl_version).toMatch(/^\d+\.\d+\.\d+/);

    // Same config with keys in another order: the same run.
    const b = await RunStore.open({
      runId: "r1",
      command: "test",
      config: { nested: { a: 2, b: 1 }, samples: 4 },
      resultsDir,
    });
    expect(await b.doneKeys<{ id: number }>("repair", (r) => String(r.id))).toEqual(new Set(["1"]));
    await b.finish("success");

    await expect(RunStore.open({ runId: "r1", command: "test", config: { samples: 8 }, resultsDir })).rejects.toThrow(
      ConfigMismatchError,
    );
    const forced = await RunStore.open({
      runId: "r1",
      command: "test",
      config: { samples: 8 },
      resultsDir,
      force: true,
    });
    expect(forced.info.config).toEqual({ samples: 8 });
    await expect(RunStore.open({ runId: "../x", command: "t", config: {}, resultsDir })).rejects.toThrow(/run id/);
  });

  it("survives kill -9 while appending: no torn or duplicate records after resuming", async () => {
    const resultsDir = mkdtempSync(join(tmpdir(), "swerl-kill-"));
    const total = 3000;
    for (let round = 0; round < 3; round++) {
      const proc = spawn("node", [child, resultsDir, "k", String(total)], { stdio: ["ignore", "pipe", "inherit"] });
      await new Promise<void>((resolve, reject) => {
        proc.stdout.on("data", (d: Buffer) => {
          if (d.toString().includes("started")) resolve();
        });
        proc.on("exit", () => reject(new Error("child exited before it started appending")));
      });
      await new Promise((r) => setTimeout(r, 50 + round * 40));
      proc.kill("SIGKILL");
      await new Promise((r) => proc.on("exit", r));
      const partial = readFileSync(join(resultsDir, "k", "stage.jsonl"), "utf8");
      expect(partial.split("\n").length - 1).toBeLessThan(total); // really interrupted
    }
    const rerun = spawnSync("node", [child, resultsDir, "k", String(total)]);
    expect(rerun.stdout.toString()).toContain("finished");
    const keys: number[] = [];
    for await (const r of readRecords<{ key: number }>(join(resultsDir, "k", "stage.jsonl"))) keys.push(r.key);
    expect(keys.length).toBe(total);
    expect(new Set(keys).size).toBe(total);
    expect(readFileSync(join(resultsDir, "k", "stage.jsonl"), "utf8").endsWith("}\n")).toBe(true);
  });
});
