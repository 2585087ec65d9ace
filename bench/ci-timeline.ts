// Where the test phase of CI spends its wall time: each test file's whole time in its worker
// (import, hooks and tests), the files that ran longest, and how long each worker slot sat
// without a file. Reads .vitest/timeline.json (test/support/vitest/timeline-reporter.ts);
// without it, vitest's JSON report, whose file times span the tests only, with each file's
// import and beforeAll estimated as the gap since the previous file ended on the same fork.
// --write stores the whole-file times for the sequencer (test/support/vitest/file-durations.json).
// Usage: npx vite-node bench/ci-timeline.ts [dir holding .vitest/] [--write]
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join, relative } from "node:path";
import type { TimelineEntry } from "../test/support/vitest/timeline-reporter.js";

const args = process.argv.slice(2);
const dir = args.find((a) => !a.startsWith("--")) ?? ".";
const FORKS = 2;

interface FileSpan {
  key: string;
  start: number;
  end: number;
}

function fromTimeline(path: string): FileSpan[] {
  const entries = JSON.parse(readFileSync(path, "utf8")) as TimelineEntry[];
  return entries.map((e) => ({ key: `${e.project}:${e.file}`, start: e.start, end: e.end }));
}

/** vitest's JSON report: test spans only; a file's lead-in is the gap on its fork (greedy). */
function fromReport(path: string): FileSpan[] {
  const r = JSON.parse(readFileSync(path, "utf8")) as {
    testResults: { name: string; startTime: number; endTime: number }[];
  };
  const root = dir === "." ? process.cwd() : dir;
  const files = [...r.testResults].sort((a, b) => a.startTime - b.startTime);
  const t0 = files[0]!.startTime;
  const slotFree = Array.from({ length: FORKS }, () => t0);
  const seen = new Set<string>();
  return files.map((f) => {
    const file = relative(root, f.name);
    const project = seen.has(file) ? "podman" : "docker";
    seen.add(file);
    // the fork that freed up last before this file's tests began ran its import and hooks
    const free = slotFree.map((t, i) => [t, i] as const).filter(([t]) => t <= f.startTime);
    const [since, slot] = free.length ? free.reduce((a, b) => (b[0] > a[0] ? b : a)) : [f.startTime, 0];
    slotFree[slot] = f.endTime;
    return { key: `${project}:${file}`, start: since, end: f.endTime };
  });
}

const timeline = join(dir, ".vitest", "timeline.json");
const spans = existsSync(timeline) ? fromTimeline(timeline) : fromReport(join(dir, ".vitest", "report.json"));
const t0 = Math.min(...spans.map((s) => s.start));
const t1 = Math.max(...spans.map((s) => s.end));
const wall = (t1 - t0) / 1000;
const busy = spans.reduce((a, s) => a + (s.end - s.start), 0) / 1000;
console.log(`source: ${existsSync(timeline) ? timeline : "report.json (lead-ins estimated)"}`);
console.log(`files: ${spans.length}  test phase wall: ${wall.toFixed(0)} s  file time: ${busy.toFixed(0)} s`);
console.log(
  `slot-seconds unused with ${FORKS} forks: ${(FORKS * wall - busy).toFixed(0)} s (negative: a 3rd pool ran beside)`,
);
console.log("longest files (s, start..end from the first):");
for (const s of [...spans].sort((a, b) => b.end - b.start - (a.end - a.start)).slice(0, 15))
  console.log(
    `  ${((s.end - s.start) / 1000).toFixed(0).padStart(5)}  ${((s.start - t0) / 1000).toFixed(0).padStart(5)}..${((s.end - t0) / 1000).toFixed(0).padEnd(5)} ${s.key}`,
  );
const tail = [...spans].sort((a, b) => b.end - a.end).slice(0, 3);
console.log(`last to end: ${tail.map((s) => `${s.key} at ${((s.end - t0) / 1000).toFixed(0)} s`).join(", ")}`);
// The same files laid out as vitest.config.ts now does: the waiting ones in a pool of their own,
// the rest longest first on the forks, each file to the fork that frees up first.
const WAITING = new Set(["src/model/long-generation.test.ts"]);
const isWaiting = (s: FileSpan) => WAITING.has(s.key.slice(s.key.indexOf(":") + 1));
const forks = Array.from({ length: FORKS }, () => 0);
for (const s of spans.filter((x) => !isWaiting(x)).sort((a, b) => b.end - b.start - (a.end - a.start))) {
  const i = forks.indexOf(Math.min(...forks));
  forks[i] = (forks[i] ?? 0) + (s.end - s.start) / 1000;
}
const waiting = spans.filter(isWaiting).reduce((a, s) => a + (s.end - s.start) / 1000, 0);
console.log(
  `these file times laid out longest first on ${FORKS} forks, waiting files beside: ${Math.max(...forks, waiting).toFixed(0)} s (forks ${forks.map((f) => f.toFixed(0)).join(" / ")}, waiting ${waiting.toFixed(0)})`,
);
console.log(
  `load average now: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);

if (args.includes("--write")) {
  const out = new URL("../test/support/vitest/file-durations.json", import.meta.url);
  const durations = Object.fromEntries(
    spans.sort((a, b) => a.key.localeCompare(b.key)).map((s) => [s.key, Math.round(s.end - s.start)]),
  );
  writeFileSync(out, `${JSON.stringify(durations, null, 1)}\n`);
  console.log(`wrote ${Object.keys(durations).length} durations to ${out.pathname}`);
}
