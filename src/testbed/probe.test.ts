// The warm-up probe run by real bash on this machine (the script is plain bash; the
// container adds nothing to it): what the prelude exports and where it ends are captured,
// and a failing prelude line is named with its exit status and output.
import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { probeScript, splitProbe } from "./probe.js";

let repo: string;
beforeAll(async () => {
  repo = await mkdtemp(join(tmpdir(), "swerl-probe-"));
  execFileSync("git", ["init", "-q", repo]);
  await writeFile(join(repo, "keep.txt"), "untracked at start\n");
  execFileSync("mkdir", [join(repo, "sub")]);
});
afterAll(async () => {
  await rm(repo, { recursive: true, force: true });
});

const probe = (prelude: string[]) =>
  splitProbe(
    execFileSync("bash", ["-c", probeScript(prelude, repo)], {
      encoding: "utf8",
      env: { PATH: process.env.PATH!, HOME: repo },
    }),
  );

describe("probeScript + splitProbe", () => {
  it("captures what the prelude exported and the directory it ended in; a clean prelude reports nothing", () => {
    const p = probe([
      "export SWERL_A=$'two words\\nand \"quotes\"'",
      `cd ${repo}/sub`,
      "SWERL_NOT_EXPORTED=1",
      "declare -rx SWERL_RO=fixed",
    ]);
    expect(p.preludeFailures).toBe("");
    expect(p.cwd).toBe(`${repo}/sub`);
    expect(p.status).toEqual(["?? keep.txt"]); // git lists no empty directory
    expect(p.exports).toContain("declare -x SWERL_A=");
    expect(p.exports).not.toContain("SWERL_NOT_EXPORTED");
    expect(p.exports).not.toMatch(/^declare -x (PWD|OLDPWD|SHLVL)=/m);
    // Replayed in a fresh bash, the export gives the same value back.
    const replayed = execFileSync("bash", ["-c", `${p.exports}\nprintf %s "$SWERL_A"`], { encoding: "utf8" });
    expect(replayed).toBe('two words\nand "quotes"');
    expect(p.exports).toContain('declare -x SWERL_RO="fixed"'); // exported read-only: the value, not the attribute
  });

  it("names a failing line with its exit status and output, and runs the lines after it", () => {
    const p = probe(["echo before", "ls /no/such/dir", "export SWERL_AFTER=yes"]);
    expect(p.preludeFailures).toMatch(/^ls \/no\/such\/dir \(exit 2\); output: before .*No such file or directory/);
    expect(p.exports).toContain('declare -x SWERL_AFTER="yes"');
  });
});
