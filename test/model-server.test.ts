// Stage commands against a vLLM-like server (127.0.0.1), through the built CLI: a served name
// the server does not have stops before any record (exit 2, no run directory); a server that
// rejects every request makes the stage give up and the command fail instead of reporting success.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VllmServer } from "./support/model/vllm-server.js";
import { runCli } from "./helpers/cli.js";

let dir: string;
let server: VllmServer;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "swerl-model-server-"));
  server = await new VllmServer({
    servedModelNames: ["served-a", "served-b"],
    fault: () => ({ kind: "status", status: 400, message: "unsupported request" }),
  }).start();
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

async function config(name: string): Promise<string> {
  const path = join(dir, `${name}.yaml`);
  await writeFile(
    path,
    [
      "model:",
      "  provider: openai",
      `  name: ${name}`,
      `  base_urls: ["${server.baseUrl}"]`,
      "  max_retries: 0",
      "  concurrency: 8",
      "  max_n: 1",
      "repair:",
      "  samples: 12",
      "  locations: gold",
      "",
    ].join("\n"),
  );
  return path;
}

describe("model server preflight and give-up (swerl repair)", () => {
  it("a wrong served name: exit 2 before any record, naming the names the server serves", async () => {
    const results = join(dir, "results-wrong");
    const r = await runCli([
      "repair",
      "-c",
      await config("served-c"),
      "--dataset",
      "demo",
      "--run-id",
      "wrong",
      "--results-dir",
      results,
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('model.name "served-c" is not served');
    expect(r.stderr).toContain("served-a, served-b");
    expect(existsSync(results)).toBe(false);
    expect(server.requests).toBe(0);
  });

  it("a server that rejects every request: the stage gives up after 50 answers and the command fails", async () => {
    const results = join(dir, "results-rejected");
    const r = await runCli([
      "repair",
      "-c",
      await config("served-a"),
      "--dataset",
      "demo",
      "--run-id",
      "rejected",
      "--results-dir",
      results,
    ]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/first 50 model answers all failed \(http_400 ×50/);
    expect(r.stderr).not.toMatch(/stage repair: success/);
    // 5 instances × 12 samples = 60 requests (max_n 1): those after the give-up were never sent
    expect(server.requests).toBeLessThan(60);
  });
});
