// Check that the chunked forms (src/normalize/chunked-forms.ts) change no key on the samples of
// bench/scale.ts grouping: every distinct patch of every instance normalized with chunks and
// with whole-file parses, compared.
//
//   npx vite-node bench/chunked-forms-check.ts [--sympy <git dir>] [--samples 500] [--sympy-instances 45]
import { demoGroupingCases, realFilesGroupingCases, sympyRows } from "../test/support/grouping-cases.js";
import { InstanceNormalizer } from "../src/normalize/instance-normalizer.js";

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
};
const samples = Number(option("--samples", "500"));
const real = await sympyRows(
  option("--sympy", "/work/.mirror/sympy+sympy/repo"),
  Number(option("--sympy-instances", "45")),
);
const demo = await demoGroupingCases(samples);
// samples made one instance at a time (making them parses whole files: trees must be freed)
const cases = [
  ...demo.map((c) => () => c),
  ...real.map((r) => () => realFilesGroupingCases([r], samples, "sympy")[0]!),
];
let patches = 0;
let differing = 0;
const totals = { spansParsed: 0, memberSpansParsed: 0, fallbacks: 0 };
for (const caseOf of cases) {
  const c = caseOf();
  const distinct = [...new Set(c.patches)];
  const chunked = new InstanceNormalizer(c.files);
  const whole = new InstanceNormalizer(c.files, { chunked: false });
  for (const [i, p] of distinct.entries()) {
    // tree-sitter frees a tree in a finalizer that runs only between event-loop turns
    if (i % 16 === 15) await new Promise((resolve) => setImmediate(resolve));
    patches++;
    if (chunked.normalize(p).normalized !== whole.normalize(p).normalized) {
      differing++;
      console.log(`${c.id}: keys differ for distinct patch ${i}`);
    }
  }
  if (args.includes("--verbose"))
    console.log(`${c.id}: ${distinct.length} distinct, rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
  for (const k of Object.keys(totals) as Array<keyof typeof totals>) totals[k] += chunked.chunked!.stats[k];
  await new Promise((resolve) => setImmediate(resolve));
}
console.log(`instances ${cases.length}, distinct patches ${patches}, keys differing ${differing}`);
console.log(
  `chunked: ${totals.spansParsed} top-level spans and ${totals.memberSpansParsed} member spans parsed, ${totals.fallbacks} whole-file fallbacks`,
);
process.exit(differing === 0 ? 0 : 1);
