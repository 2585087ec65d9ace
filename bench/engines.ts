// Throughput with one vs two Docker engines on this machine: the demo's gold predictions
// graded through `swerl evaluate --docker-host …` (the engine pool), N copies of the 5
// instances per setting. The second engine is a real dockerd started here with its own
// socket, data-root and exec-root (images copied to it once, untimed). On 2 cores a second
// engine adds no CPU, so expect little gain: the point is that the pool's overhead is small
// and the work is shared.
// Usage: npm run build && npx vite-node bench/engines.ts [rounds]
import { mkdtempSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { evaluateDemoGold } from "./evaluate-gold.js";
import { loadSelectedInstances } from "../src/dataset/options.js";
import { dockerClient } from "../src/docker/client.js";
import { copyImages } from "../src/docker/image-placement.js";
import { ensureDemoImages } from "../src/images/prepare.js";
import { makeTestSpec } from "../src/spec/test-spec.js";
import { startSecondEngine } from "../test/helpers/second-engine.js";

const rounds = Number(process.argv[2] ?? 3);
const main = "unix:///var/run/docker.sock";
const instances = await loadSelectedInstances({ dataset: "demo" });
await ensureDemoImages(dockerClient(main), instances, "none");
const second = await startSecondEngine();
try {
  await copyImages(
    dockerClient(main),
    second.docker,
    instances.map((i) => makeTestSpec(i, { namespace: "none" }).image),
  );
  const settings: Array<{ name: string; hosts: string[] }> = [
    { name: "1 engine x 2 workers", hosts: [`${main}=2`] },
    { name: "2 engines x 1 worker", hosts: [`${main}=1`, `${second.host}=1`] },
    { name: "2 engines x 2 workers", hosts: [`${main}=2`, `${second.host}=2`] },
  ];
  const resultsDir = mkdtempSync(join(tmpdir(), "swerl-bench-engines-"));
  console.log(
    `machine: 2 cores, load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(" ")}; ${rounds} rounds x ${instances.length} instances per setting`,
  );
  for (const s of settings) {
    const times: number[] = [];
    const perEngine = new Map<string, number>();
    for (let round = 0; round < rounds; round++) {
      const runId = `${s.name.replace(/\W+/g, "-")}-${round}`;
      const { seconds, records } = evaluateDemoGold<{ status: string; engine: string }>(
        runId,
        resultsDir,
        s.hosts.flatMap((h) => ["--docker-host", h]),
      );
      times.push(seconds);
      for (const rec of records) {
        perEngine.set(rec.engine, (perEngine.get(rec.engine) ?? 0) + 1);
      }
    }
    const total = times.reduce((a, b) => a + b, 0);
    const split = [...perEngine.entries()].map(([e, n]) => `${e === main ? "main" : "second"} ${n}`).join(", ");
    console.log(
      `${s.name.padEnd(22)} ${(((rounds * instances.length) / total) * 60).toFixed(1)} instances/min; per round ${times.map((t) => t.toFixed(1)).join(" ")} s; graded on: ${split}`,
    );
  }
} finally {
  await second.stop();
}
