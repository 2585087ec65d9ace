// What a sandbox adds per instance: create+start, copying a patch and an eval script in, a
// trivial exec, and force-removing (what evaluate pays on top of the tests themselves; target
// ≤ 1 s). Also timed, outside that sum: reading a file back, and a graceful stop (SIGTERM
// through init: milliseconds, where the harness waits up to 15 s).
// Usage: npx vite-node bench/docker-overhead.ts [iterations=10] [image=swerl/base:bookworm]
import { cpus, loadavg } from "node:os";
import { dockerClient, ensureDockerAvailable } from "../src/docker/client.js";
import { startContainer } from "../src/docker/container.js";
import { removeRunContainers } from "../src/docker/cleanup.js";
import { resolveImage } from "../src/docker/images.js";

const iterations = Number(process.argv[2] ?? 10);
const image = process.argv[3] ?? process.env.SWERL_BASE_IMAGE ?? "swerl/base:bookworm";
const runId = `bench-overhead-${process.pid}`;
const phases = ["start", "putFiles", "exec", "readFile", "stop", "remove"] as const;
type Phase = (typeof phases)[number];

async function timed<T>(into: Record<Phase, number[]>, phase: Phase, fn: () => Promise<T>): Promise<T> {
  const t = performance.now();
  const out = await fn();
  into[phase].push(performance.now() - t);
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const docker = dockerClient();
  await ensureDockerAvailable(docker);
  await resolveImage(docker, image, { pull: false });
  const samples = Object.fromEntries(phases.map((p) => [p, [] as number[]])) as Record<Phase, number[]>;
  const totals: number[] = [];
  const core: Phase[] = ["start", "putFiles", "exec", "remove"];
  const patch = "diff --git a/x b/x\n".repeat(200);
  const script = "#!/bin/bash\nset -uxo pipefail\necho '>>>>> Start Test Output'\necho '>>>>> End Test Output'\n";
  try {
    for (let i = 0; i < iterations; i++) {
      const box = await timed(samples, "start", () =>
        startContainer(docker, { image, runId, instanceId: `bench__bench-${i}` }),
      );
      await timed(samples, "putFiles", () =>
        box.putFiles([
          { path: "/tmp/patch.diff", content: patch },
          { path: "/eval.sh", content: script, mode: 0o755 },
        ]),
      );
      const r = await timed(samples, "exec", () => box.exec("/bin/bash /eval.sh", { timeoutMs: 30_000 }));
      if (r.exitCode !== 0) throw new Error(`eval exec failed: ${r.output}`);
      await timed(samples, "readFile", () => box.readFile("/tmp/patch.diff"));
      await timed(samples, "remove", () => box.remove()); // running: kill + remove, as callers do
      totals.push(core.reduce((sum, p) => sum + samples[p][i], 0));
    }
    for (let i = 0; i < Math.min(3, iterations); i++) {
      const box = await startContainer(docker, { image, runId, instanceId: `bench__stop-${i}` });
      await timed(samples, "stop", () => docker.getContainer(box.id).stop({ t: 30 }));
      await box.remove();
    }
  } finally {
    await removeRunContainers(docker, runId);
  }
  const fmt = (ms: number) => `${ms.toFixed(0).padStart(5)} ms`;
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");
  process.stdout.write(
    `docker sandbox overhead, ${iterations} containers of ${image} (median / max); load ${load} on ${cpus().length} CPUs\n`,
  );
  for (const p of phases)
    process.stdout.write(`  ${p.padEnd(9)} ${fmt(median(samples[p]))} / ${fmt(Math.max(...samples[p]))}\n`);
  process.stdout.write(
    `  ${"overhead".padEnd(9)} ${fmt(median(totals))} / ${fmt(Math.max(...totals))}   (${core.join(" + ")}; target ≤ 1000 ms)\n`,
  );
}

main().catch((err) => {
  process.stderr.write(`docker-overhead: ${(err as Error).message}\n`);
  process.exitCode = 1;
});
