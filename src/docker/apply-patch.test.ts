import type Docker from "dockerode";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { applyPatch, PATCH_PATH } from "./apply-patch.js";
import { removeRunContainers } from "./cleanup.js";
import { startContainer, type Sandbox } from "./container.js";
import { BASE_IMAGE, requireDocker, testRunId } from "../../test/support/docker.js";

let docker: Docker;
let box: Sandbox;
const runId = testRunId("apply");
const T = { timeoutMs: 30_000 };
const lines = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i}`).join("\n") + "\n";

async function sh(cmd: string): Promise<string> {
  const r = await box.exec(cmd, T);
  if (r.exitCode !== 0) throw new Error(`${cmd} → exit ${r.exitCode}\n${r.output}`);
  return r.output;
}

// A repo at /testbed with f.txt = line 1..20; `cleanPatch` changes line 10 (made by git diff).
let cleanPatch = "";
let initCommit = "";

beforeAll(async () => {
  docker = await requireDocker();
  box = await startContainer(docker, { image: BASE_IMAGE, runId, instanceId: "repo__repo-1" });
  await box.putFiles([{ path: "f.txt", content: lines(1, 20) }]);
  await sh("git init -q . && git add f.txt && git -c user.name=t -c user.email=t@t commit -qm init");
  await sh("sed -i 's/^line 10$/line ten/' f.txt");
  cleanPatch = await sh("git diff");
  await sh("git checkout -q -- f.txt");
  initCommit = (await sh("git rev-parse HEAD")).trim();
});

beforeEach(async () => {
  await sh(`git reset -q --hard ${initCommit} && git clean -fdq`);
});

afterAll(async () => {
  if (docker) await removeRunContainers(docker, runId);
});

describe("applyPatch (swebench-4.1 ladder)", () => {
  it("applies a clean patch with plain git apply", async () => {
    expect(cleanPatch).toContain("+line ten");
    const r = await applyPatch(box, cleanPatch);
    expect(r).toMatchObject({ applied: true, method: "git apply --verbose" });
    expect(r.log).toContain(`$ git apply --verbose ${PATCH_PATH}  (exit 0)`);
    expect((await box.readFile("f.txt")).toString()).toBe(lines(1, 20).replace("line 10\n", "line ten\n"));
    expect((await box.readFile(PATCH_PATH)).toString()).toBe(cleanPatch);
  });

  it("falls through to patch --fuzz when the context has drifted", async () => {
    // Change an outer context line of the hunk and commit: git apply (no fuzz) must refuse.
    await sh("sed -i 's/^line 7$/line seven/' f.txt && git -c user.name=t -c user.email=t@t commit -qam drift");
    const r = await applyPatch(box, cleanPatch);
    expect(r).toMatchObject({ applied: true, method: "patch --batch --fuzz=5 -p1 -i" });
    expect(r.log).toMatch(/\$ git apply --verbose \/tmp\/patch.diff {2}\(exit 1\)/);
    expect(r.log).toMatch(/\$ git apply --verbose --reject \/tmp\/patch.diff {2}\(exit 1\)/);
    expect(r.log).toMatch(/with fuzz/);
    const text = (await box.readFile("f.txt")).toString();
    expect(text).toContain("line seven\n");
    expect(text).toContain("line ten\n");
    expect(text).not.toContain("line 10\n");
  });

  it("fails all three commands on garbage, and leaves the tree untouched", async () => {
    const r = await applyPatch(box, "this is not a patch\nat all\n");
    expect(r.applied).toBe(false);
    expect(r.method).toBeUndefined();
    expect(r.log.match(/^\$ /gm)).toHaveLength(3);
    expect(r.log).toMatch(/\$ patch --batch --fuzz=5 -p1 -i \/tmp\/patch.diff {2}\(exit 2\)/);
    expect(await sh("git status --porcelain")).toBe("");
  });

  it("fails a patch for a file that does not exist", async () => {
    const r = await applyPatch(box, cleanPatch.replaceAll("f.txt", "missing.txt"));
    expect(r.applied).toBe(false);
  });
});

describe("applyPatch (swebench-5 ladder)", () => {
  it("resolves drifted context with --3way before trying patch", async () => {
    await sh("sed -i 's/^line 7$/line seven/' f.txt && git -c user.name=t -c user.email=t@t commit -qam drift");
    const r = await applyPatch(box, cleanPatch, { ladder: "swebench-5" });
    expect(r).toMatchObject({ applied: true, method: "git apply --verbose --3way" });
    const text = (await box.readFile("f.txt")).toString();
    expect(text).toContain("line seven\n");
    expect(text).toContain("line ten\n");
  });

  it("counts a patch that is already applied when every command fails", async () => {
    // Without the index line --3way has no base blob to merge from, so all four commands fail.
    const noIndex = cleanPatch.replace(/^index .*\n/m, "");
    await sh("sed -i 's/^line 10$/line ten/' f.txt && git -c user.name=t -c user.email=t@t commit -qam applied");
    const r = await applyPatch(box, noIndex, { ladder: "swebench-5" });
    expect(r).toMatchObject({ applied: true, method: "already applied" });
    expect(r.log.match(/^\$ /gm)).toHaveLength(5);
    const notApplied = await applyPatch(box, noIndex.replace("+line ten", "+line TEN"), { ladder: "swebench-5" });
    expect(notApplied.applied).toBe(false);
  });
});
