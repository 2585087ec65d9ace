// How much storing raw model outputs compressed saves, and what it costs per sample (issue 17).
//   npx vite-node bench/raw-output.ts [--samples 2000] [--answer-kb 16]
// Texts: "repeated" (bench/scale-pipeline.ts's answers: one sentence repeated as the thought),
// "verified" (--answer-kb slices of SWE-bench Verified problem statements, hints and gold
// patches: natural language and code, the stand-in for real model answers), and "verified 2 KB"
// (short answers, as localization's). For each codec: stored bytes (base64 of the compressed
// bytes, as a JSONL field holds them) over the JSON-escaped plain text, and CPU µs per sample
// to compress and to decompress (process.cpuUsage).
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync, gzipSync } from "node:zlib";

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
};
const samples = Number(option("--samples", "2000"));
const bytes = Number(option("--answer-kb", "16")) * 1024;

const corpus = readFileSync("/work/shared/datasets/swe-bench-verified.test.jsonl", "utf8")
  .trim()
  .split("\n")
  .map((l) => JSON.parse(l) as { problem_statement: string; hints_text: string; patch: string })
  .map((r) => `${r.problem_statement}\n${r.hints_text}\n${r.patch}`)
  .join("\n");

const slices = (size: number): string[] =>
  Array.from({ length: samples }, (_, k) => {
    const start = (k * 104_729 * 13) % (corpus.length - size);
    return `<think>\n${corpus.slice(start, start + size)}\n</think>\n<solution>\n</solution>`;
  });
const repeated = Array.from(
  { length: samples },
  (_, k) =>
    `<think>\n${"Let me think about where the bug is and what the fix must keep working. ".repeat(Math.ceil(bytes / 72)).slice(0, bytes)}\n</think>\n<solution>\n# note ${k}\n</solution>`,
);

type Codec = { name: string; pack: (b: Buffer) => Buffer; unpack: (b: Buffer) => Buffer };
const brotli = (q: number): Codec => ({
  name: `brotli q${q}`,
  pack: (b) =>
    brotliCompressSync(b, {
      params: { [constants.BROTLI_PARAM_QUALITY]: q, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT },
    }),
  unpack: (b) => brotliDecompressSync(b),
});
const gzip = (level: number): Codec => ({
  name: `gzip -${level}`,
  pack: (b) => gzipSync(b, { level }),
  unpack: (b) => gunzipSync(b),
});
const codecs = [gzip(1), gzip(6), gzip(9), brotli(1), brotli(4), brotli(6)];

const cpuUs = (f: () => void): number => {
  const t = process.cpuUsage();
  f();
  const u = process.cpuUsage(t);
  return u.user + u.system;
};

console.log(
  `bench/raw-output: ${samples} samples per text, load average ${loadavg()
    .map((x) => x.toFixed(1))
    .join(" ")}`,
);
console.log("text            codec       stored/plain  compress µs/sample  decompress µs/sample");
for (const [label, texts] of [
  ["repeated", repeated],
  ["verified", slices(bytes)],
  ["verified 2 KB", slices(2048)],
] as const) {
  const plain = texts.reduce((n, t) => n + Buffer.byteLength(JSON.stringify(t)), 0);
  for (const c of codecs) {
    const inputs = texts.map((t) => Buffer.from(t, "utf8"));
    let packed: Buffer[] = [];
    const packUs = cpuUs(() => {
      packed = inputs.map((b) => c.pack(b));
    });
    const stored = packed.reduce((n, b) => n + Math.ceil(b.length / 3) * 4 + 2, 0); // base64 in quotes
    let ok = true;
    const unpackUs = cpuUs(() => {
      for (const [i, b] of packed.entries()) ok &&= c.unpack(b).equals(inputs[i]!);
    });
    if (!ok) throw new Error(`${c.name}: round trip differs`);
    console.log(
      `${label.padEnd(15)} ${c.name.padEnd(11)} ${(stored / plain).toFixed(3).padStart(12)}  ${(packUs / samples).toFixed(0).padStart(18)}  ${(unpackUs / samples).toFixed(0).padStart(20)}`,
    );
  }
}
