// Are two runs' outputs the same? For a refactor that must not change results (the one-way
// layers of issue #19): every record file (*.jsonl), preds.jsonl, localization_sets.json, run_report.json and
// report.json of run A against run B, with what legitimately differs between two runs taken
// out: timestamps, durations, latencies and rates (tokens/s), the run's own directory and id,
// the engine and container names. Records are compared as a multiset of lines (stages with several workers
// append in completion order). Prints one line per file and exits 1 on any difference.
//
//   npx vite-node bench/compare-runs.ts -- <run dir A> <run dir B>
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";

/** Keys whose values differ from run to run without the results differing. */
const VOLATILE =
  /(^|_)(at|ms|ms_total|per_s|seconds|latency|duration|timings|generated|engine|container|git_commit)$|^(run_id|run_dir|output_tail)$/;

function scrub(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(scrub);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (!VOLATILE.test(k)) out[k] = scrub(v);
  return out;
}

const canonical = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );

function contents(dir: string, file: string): string[] {
  const text = readFileSync(join(dir, file), "utf8").replaceAll(dir, "<run>").replaceAll(basename(dir), "<run-id>");
  if (file.endsWith(".json")) return [canonical(scrub(JSON.parse(text)))];
  return text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => canonical(scrub(JSON.parse(l))))
    .sort();
}

const [a, b] = process.argv.slice(2).filter((x) => x !== "--");
if (!a || !b || !existsSync(a) || !existsSync(b)) {
  process.stderr.write("usage: compare-runs.ts <run dir A> <run dir B>\n");
  process.exit(2);
}
const files = [...new Set([...readdirSync(a), ...readdirSync(b)])]
  .filter((f) => f.endsWith(".jsonl") || ["report.json", "run_report.json", "localization_sets.json"].includes(f))
  .sort();
let differ = 0;
for (const f of files) {
  if (!existsSync(join(a, f)) || !existsSync(join(b, f))) {
    differ++;
    console.log(`${f}: only in ${existsSync(join(a, f)) ? a : b}`);
    continue;
  }
  const [x, y] = [contents(a, f), contents(b, f)];
  const onlyA = x.filter((l) => !y.includes(l)).length,
    onlyB = y.filter((l) => !x.includes(l)).length;
  const same = x.length === y.length && x.every((l, i) => l === y[i]);
  if (!same) differ++;
  console.log(
    `${f}: ${x.length} vs ${y.length} records, ${same ? "identical" : `DIFFERENT (${onlyA} only in A, ${onlyB} only in B)`}`,
  );
}
console.log(differ === 0 ? `identical: ${files.length} files` : `${differ} of ${files.length} files differ`);
process.exit(differ === 0 ? 0 : 1);
