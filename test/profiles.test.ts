// The demo (`swerl run`, embedded default: demo benchmark, oracle policy with noise) in the two
// profiles test/run.test.ts does not run (it runs the default, swe-rl): through the built CLI,
// real containers. Each run must solve what the gold patches solve, and its records must show
// the profile's own steps: agentless fills repair samples per location set (each set's first
// sample greedy) and keys tests with Agentless's ast.unparse form; swerl cycles the unique sets
// and keys tests with the canonical form. The report names the profile.
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { sharedAstWorker } from "../src/pyast/worker.js";
import { normalizeTest } from "../src/reproduce/script.js";
import { runCli, type CliRun } from "./helpers/cli.js";

const resultsDir = mkdtempSync(join(tmpdir(), "swerl-profiles-"));
const lines = (run: string, file: string): Record<string, unknown>[] => {
  const path = join(resultsDir, run, file);
  return existsSync(path)
    ? readFileSync(path, "utf8")
        .split("\n")
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l) as Record<string, unknown>)
    : [];
};
const PROFILES = ["agentless", "swerl"] as const;
const runs = new Map<string, CliRun>();

beforeAll(async () => {
  for (const p of PROFILES)
    runs.set(
      p,
      await runCli(["run", "--run-id", `profile-${p}`, "--set", `profile=${p}`, "--results-dir", resultsDir]),
    );
}, 1_500_000);

describe.each(PROFILES)("the demo in profile %s", (profile) => {
  const run = `profile-${profile}`;
  it("runs to the end, solves every instance, and the report names the profile", () => {
    const r = runs.get(profile)!;
    expect(r.status, r.stderr.slice(-3000)).toBe(0);
    expect(r.stdout).toMatch(/Solve rate: 100\.0% \(5\/5 resolved\)/);
    const manifest = JSON.parse(readFileSync(join(resultsDir, run, "run.json"), "utf8")) as {
      profile: { name: string; departures: Record<string, unknown> };
    };
    expect(manifest.profile.name).toBe(profile);
    expect(readFileSync(join(resultsDir, run, "report.html"), "utf8")).toContain(`${profile};`); // "profile" row: name; departures
  });

  it("repair fills samples from the location sets as the profile says", () => {
    const localized = new Map<string, number>();
    for (const l of lines(run, "localization.jsonl"))
      localized.set(
        l.instance_id as string,
        Math.max(localized.get(l.instance_id as string) ?? 0, (l.sample as number) + 1),
      );
    const repair = lines(run, "repair.jsonl");
    expect(repair).toHaveLength(40);
    for (const r of repair) {
      const k = localized.get(r.instance_id as string)!;
      if (profile === "agentless")
        expect(r.location_set_index).toBe((r.sample as number) % k); // per_set: every localization sample's set in turn
      else expect(r.location_set_index).toBeLessThan(k);
    }
  });

  it("reproduction tests are keyed by the profile's normalization", async () => {
    const withScript = lines(run, "reproduction.jsonl").filter((r) => typeof r.script === "string");
    expect(withScript.length).toBeGreaterThan(5);
    const scripts = withScript.map((r) => r.script as string);
    const expected =
      profile === "agentless"
        ? await sharedAstWorker().testVoteKeys(scripts)
        : scripts.map((s) => normalizeTest(s, "swerl"));
    expect(withScript.map((r) => r.normalized)).toEqual(expected);
  });
});
