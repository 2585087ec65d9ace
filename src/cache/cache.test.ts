// `swerl cache stats|clear` on a cache filled by real calls to a local server.
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { configSchema } from "../config/schema.js";
import { createModelProvider } from "../model/factory.js";
import { FakeOpenAIServer } from "../../test/support/model/fake-server.js";
import { cacheCommand } from "./command.js";
import { cacheStats } from "./disk.js";

let dir: string;
let server: FakeOpenAIServer;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "swerl-cache-cmd-"));
  server = await new FakeOpenAIServer().start();
});
afterEach(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

async function run(...args: string[]): Promise<string> {
  let out = "";
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    await cacheCommand().parseAsync(args, { from: "user" });
  } finally {
    spy.mockRestore();
  }
  return out;
}

async function fill(n: number): Promise<void> {
  const cfg = configSchema.parse({ model: { base_urls: [server.baseUrl] } }).model;
  const c = createModelProvider(cfg, { cacheDir: dir });
  await Promise.all(
    Array.from({ length: n }, (_, i) =>
      c.complete({
        messages: [{ role: "user", content: `q${i}` }],
        sampleIndex: i,
        instanceId: "x",
        stage: "repair",
        params: { temperature: 1, top_p: 1, max_tokens: 10 },
      }),
    ),
  );
}

describe("swerl cache", () => {
  it("stats counts entries and bytes; clear removes them and nothing else", async () => {
    await fill(12);
    const stats = JSON.parse(await run("stats", "--dir", dir, "--json"));
    expect(stats).toMatchObject({ dir, exists: true, entries: 12, temp_files: 0 });
    expect(stats.bytes).toBeGreaterThan(12 * 100);
    expect(await run("stats", "--dir", dir)).toMatch(/: 12 entries, \d/);

    const unrelated = join(dir, "notes.txt");
    await writeFile(unrelated, "keep me");
    await mkdir(join(dir, "ab"), { recursive: true });
    await writeFile(join(dir, "ab", "readme.md"), "keep me too");

    const cleared = JSON.parse(await run("clear", "--dir", dir, "--json"));
    expect(cleared).toMatchObject({ removed_entries: 12, removed_bytes: stats.bytes });
    expect(await cacheStats(dir)).toMatchObject({ entries: 0, bytes: 0 });
    expect(existsSync(unrelated)).toBe(true);
    expect(existsSync(join(dir, "ab", "readme.md"))).toBe(true);
    // after clearing, the same calls reach the server again
    const before = server.requests;
    await fill(2);
    expect(server.requests).toBe(before + 2);
  });

  it("reports a missing directory without failing", async () => {
    const missing = join(dir, "nope");
    expect(await run("stats", "--dir", missing)).toContain("0 entries, 0 B (directory does not exist)");
    expect(JSON.parse(await run("clear", "--dir", missing, "--json"))).toMatchObject({ removed_entries: 0 });
  });
});
