// Records the grouping keys of today's normalizer (run once, before changing it):
// src/normalize/testdata/grouping-keys.json.gz, case id → one key per sample ("" for a sample
// that normalizes to nothing, else the patch_id). grouping.test.ts checks the current code
// against it.  npx vite-node bench/record-grouping-keys.ts
import { readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import {
  demoGroupingCases,
  readGzipJson,
  realFilesGroupingCases,
  verifiedGroupingCases,
  type GoldRow,
  type GroupingCase,
  type RealFilesRow,
} from "../test/support/grouping-cases.js";
import { normalizePatch } from "../src/normalize/normalize-patch.js";
import { patchIdOf } from "../src/records/validation.js";

const data = new URL("../src/normalize/testdata/", import.meta.url);
const rows = readFileSync("/work/shared/datasets/swe-bench-verified.test.jsonl", "utf8")
  .trim()
  .split("\n")
  .map((l) => JSON.parse(l) as GoldRow);
const cases: GroupingCase[] = [
  ...verifiedGroupingCases(rows),
  ...realFilesGroupingCases(readGzipJson<RealFilesRow[]>(new URL("sympy-files.json.gz", data))),
  ...(await demoGroupingCases()),
];
const keys: Record<string, string[]> = {};
let samples = 0;
const started = performance.now();
const msByKind: Record<string, number> = {};
for (const c of cases) {
  const t0 = performance.now();
  keys[c.id] = c.patches.map((p) => {
    const n = normalizePatch(c.files, p).normalized;
    return n === "" ? "" : patchIdOf(n);
  });
  samples += c.patches.length;
  const kind = c.id.split(":")[0];
  msByKind[kind] = (msByKind[kind] ?? 0) + performance.now() - t0;
}
const ms = performance.now() - started;
writeFileSync(new URL("grouping-keys.json.gz", data), gzipSync(JSON.stringify(keys), { level: 9 }));
const distinct = Object.values(keys).reduce((n, k) => n + new Set(k).size, 0);
console.log(
  `${cases.length} cases, ${samples} samples, ${distinct} distinct keys per case summed; normalized in ${(ms / 1000).toFixed(1)} s`,
  msByKind,
);
process.exit(0);
