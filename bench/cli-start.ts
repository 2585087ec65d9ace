// Start-up time of the CLI: `swerl --version` and `swerl --help` (which load no stage: see
// src/cli/commands.cts), beside a bare `node -e 0` and `swerl repo-map --help` (one stage
// loaded), as whole processes. Build dist/ first. Prints the median wall time and the median
// CPU time (user + system, read with sh's `times`) of each, over N rounds after 2 warm-ups.
//   npx vite-node bench/cli-start.ts [rounds=20]
import { spawn } from "node:child_process";
import { availableParallelism, loadavg } from "node:os";
import { fileURLToPath } from "node:url";

const rounds = Number(process.argv[2] ?? "20");
const cli = fileURLToPath(new URL("../dist/cli/main.cjs", import.meta.url));
const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;

/** One run: wall ms and the child's CPU ms (sh's `times`: second line is its children's). */
function once(argv: string[]): Promise<{ wall: number; cpu: number }> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const child = spawn("sh", ["-c", `${argv.map(quote).join(" ")} >/dev/null 2>&1 || exit 1; times`], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.once("error", reject);
    child.once("close", (code) => {
      const wall = performance.now() - t;
      const children = out.trim().split("\n")[1] ?? "";
      const secs = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
      if (code !== 0 || secs.length !== 2) {
        reject(new Error(`${argv.join(" ")} failed (exit ${code}): ${out}`));
        return;
      }
      resolve({ wall, cpu: (secs[0]! + secs[1]!) * 1000 });
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const cases: Array<[string, string[]]> = [
  ["node -e 0", ["node", "-e", "0"]],
  ["swerl --version", ["node", cli, "--version"]],
  ["swerl --help", ["node", cli, "--help"]],
  ["swerl repo-map --help", ["node", cli, "repo-map", "--help"]],
];

console.log(
  `machine: ${availableParallelism()} cores, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}; ${rounds} rounds`,
);
for (const [name, argv] of cases) {
  for (let i = 0; i < 2; i++) await once(argv);
  const runs: Array<{ wall: number; cpu: number }> = [];
  // Interleaving would mix the cases' page-cache effects; each case runs its rounds in a row.
  for (let i = 0; i < rounds; i++) runs.push(await once(argv));
  const walls = runs.map((r) => r.wall);
  console.log(
    `${name.padEnd(24)} wall median ${median(walls).toFixed(0)} ms (min ${Math.min(...walls).toFixed(0)}), ` +
      `CPU median ${median(runs.map((r) => r.cpu)).toFixed(0)} ms`,
  );
}
