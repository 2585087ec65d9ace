// Child process for the crash-safety test: appends records 0..N-1 to a run's stage file,
// skipping those already present (resume), each record padded so writes are large.
import { RunStore } from "../../dist/store/run-store.js";

const [resultsDir, runId, total] = process.argv.slice(2);
const store = await RunStore.open({ runId, command: "append-child", config: { total: Number(total) }, resultsDir });
const done = await store.doneKeys("stage", (r) => String(r.key));
const pad = "x".repeat(20_000);
let appended = 0;
for (let key = 0; key < Number(total); key++) {
  if (done.has(String(key))) continue;
  await store.append("stage", { key, pad });
  if (++appended === 5) process.stdout.write("started\n");
}
await store.finish("success");
process.stdout.write("finished\n");
