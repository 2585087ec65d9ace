// A Hugging Face dataset id is downloaded once into the cache, then read offline. The Hub is
// played by a local HTTP server on 127.0.0.1 (HF_ENDPOINT), serving the real parquet file.
import { createReadStream, mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifiedParquet } from "../../test/helpers/paths.js";
import { loadDataset } from "./load.js";

let server: Server;
let base = "";
const requests: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.url ?? "");
    if (req.url === "/api/datasets/princeton-nlp/SWE-bench_Verified/parquet/default/test") {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify([`${base}/files/verified-0000.parquet`]));
    } else if (req.url === "/files/verified-0000.parquet") {
      createReadStream(verifiedParquet).pipe(res);
    } else {
      res.statusCode = 404;
      res.end("not found");
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.HF_ENDPOINT = base;
});

afterAll(() => {
  delete process.env.HF_ENDPOINT;
  server.close();
});

describe("Hugging Face dataset ids", () => {
  it("downloads the split's parquet once, then loads it offline from the cache", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "swerl-hf-"));
    const first = await loadDataset("princeton-nlp/SWE-bench_Verified", { cacheDir });
    expect(first).toHaveLength(500);
    expect(requests).toHaveLength(2);
    await new Promise<void>((r) => server.close(() => r())); // the "Hub" is gone now
    const second = await loadDataset("princeton-nlp/SWE-bench_Verified", { cacheDir });
    expect(second.map((i) => i.instance_id)).toEqual(first.map((i) => i.instance_id));
    await expect(loadDataset("princeton-nlp/SWE-bench_Lite", { cacheDir })).rejects.toThrow(
      /SWE-bench_Lite: not cached in .* Hub listing failed/,
    );
  });
});
