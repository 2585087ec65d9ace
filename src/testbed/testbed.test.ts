// The testbed in real containers of the demo benchmark's textkit-1 image: reuse between steps,
// reset verified, and misbehaving steps contained (each followed by a step in a clean tree).
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type Docker from "dockerode";
import { loadSelectedInstances } from "../dataset/options.js";
import type { Instance } from "../dataset/schema.js";
import { removeRunContainers } from "../docker/cleanup.js";
import { requireDocker, testRunId } from "../../test/support/docker.js";
import { ensureDemoImages } from "../images/prepare.js";
import { envPreludeLines } from "../spec/env-prelude.js";
import { makeTestSpec } from "../spec/test-spec.js";
import { openTestbed, type Testbed, type TestbedOptions } from "./testbed.js";

let docker: Docker;
let instance: Instance;
let base: TestbedOptions;
const runId = testRunId("testbed");

beforeAll(async () => {
  docker = await requireDocker();
  [instance] = await loadSelectedInstances({ dataset: "demo", instanceIds: ["swerl-demo__textkit-1"] });
  await ensureDemoImages(docker, [instance!], "none");
  base = {
    docker,
    runId,
    instanceId: instance!.instance_id,
    image: makeTestSpec(instance!, { namespace: "none" }).image,
    memoryBytes: 256 * 1024 ** 2,
    pidsLimit: 128,
    prelude: envPreludeLines(instance!),
  };
}, 120_000);

afterAll(async () => {
  if (docker) await removeRunContainers(docker, runId);
});

const pytest = (timeoutMs = 60_000) => ({ command: "python -m pytest -rA tests/test_slug.py", timeoutMs });
// Prints nothing in a clean tree with an empty /tmp (but for the step's own command file).
const CLEAN_CHECK = {
  command: "git status --porcelain; git diff --stat; ls -A /tmp | grep -vx swerl-step-command.sh; true",
  timeoutMs: 30_000,
};

describe("testbed (reuse)", () => {
  let tb: Testbed;
  beforeAll(async () => {
    tb = await openTestbed(base);
  });
  afterAll(async () => {
    await tb?.close();
  });

  it("applies the gold patch, runs the tests, and leaves a clean tree in the same container", async () => {
    const gold = await tb.run({ ...pytest(), patch: instance.patch, files: [{ path: "/tmp/note.txt", content: "x" }] });
    expect(gold).toMatchObject({
      applied: true,
      applyMethod: "git apply --verbose",
      exitCode: 0,
      timedOut: false,
      violation: null,
    });
    expect(gold.output).toMatch(/PASSED tests\/test_slug.py::test_simple/);
    expect(gold.durationMs).toBeGreaterThan(0);
    const after = await tb.run(CLEAN_CHECK);
    expect(after).toMatchObject({ exitCode: 0, output: "", violation: null });
    const unpatched = await tb.run(pytest());
    expect(unpatched.exitCode).toBe(0); // test_slug.py's base tests pass without the patch too
    expect(tb.containersStarted).toBe(1);
  });

  it("delivers step files byte for byte (large, multi-byte, executable)", async () => {
    const big = "é😀 line\n".repeat(30_000) + "no newline at the end";
    const r = await tb.run({
      files: [
        { path: "/tmp/big.txt", content: big },
        { path: "run.sh", content: "#!/bin/sh\necho ran\n", mode: 0o755 },
        { path: "sub/dir/x.py", content: "" },
      ],
      command: "sha1sum /tmp/big.txt | cut -c1-40; ./run.sh; stat -c %s sub/dir/x.py",
      timeoutMs: 10_000,
    });
    expect(r.output).toBe(`${createHash("sha1").update(big).digest("hex")}\nran\n0\n`);
  });

  it("reports a patch that does not apply and does not run the command", async () => {
    const r = await tb.run({
      patch: "--- a/nope.py\n+++ b/nope.py\n@@ -1 +1 @@\n-x\n+y\n",
      command: "echo ran",
      timeoutMs: 10_000,
    });
    expect(r).toMatchObject({ applied: false, applyMethod: null, exitCode: null, output: "", violation: null });
    expect(r.applyLog).toMatch(/\$ patch --batch --fuzz=5 -p1 -i \/tmp\/patch.diff {2}\(exit \d+\)/);
  });

  it("contains a write outside the tree: violation, fresh container, file gone", async () => {
    const before = tb.containersStarted;
    const r = await tb.run({
      command: "echo evil > /usr/local/lib/evil.txt; echo pwned >> /etc/hostname.bak; echo done",
      timeoutMs: 10_000,
    });
    expect(r.violation).toMatch(
      /wrote outside the tree: .*A \/usr\/local\/lib\/evil.txt.*A \/etc\/hostname.bak|wrote outside the tree: .*A \/etc\/hostname.bak.*A \/usr\/local\/lib\/evil.txt/,
    );
    const next = await tb.run({
      command: "ls /usr/local/lib/evil.txt /etc/hostname.bak 2>&1; git status --porcelain",
      timeoutMs: 10_000,
    });
    expect(next.violation).toBeNull();
    expect(next.output).toMatch(/No such file or directory[\s\S]*No such file or directory/);
    expect(tb.containersStarted).toBe(before + 1);
  });

  it("runs an ownContainer step alone in a container of its own: its writes outside the tree are allowed and reach no other step", async () => {
    const before = tb.containersStarted;
    // Queued together: the steps before and after it share the reused container, it does not.
    const [first, own, after] = await Promise.all([
      tb.run({ command: "echo first > /tmp/first.txt; hostname", timeoutMs: 10_000 }),
      tb.run({
        command: "echo installed > /usr/local/lib/own.txt; hostname; git status --porcelain",
        patch: instance.patch,
        timeoutMs: 10_000,
        ownContainer: true,
      }),
      tb.run({ command: "ls /usr/local/lib/own.txt 2>&1; git status --porcelain; hostname", timeoutMs: 10_000 }),
    ]);
    expect(first.violation).toBeNull();
    expect(own).toMatchObject({ applied: true, exitCode: 0, violation: null });
    expect(own.output).toMatch(/M textkit\/slug.py/); // the patch, applied in its container
    expect(after.violation).toBeNull();
    expect(after.output).toMatch(/No such file or directory/);
    expect(after.output).not.toMatch(/slug.py/);
    const host = (r: { output: string }) => r.output.trim().split("\n").at(-1);
    expect(new Set([host(first), host(own), host(after)]).size).toBe(3);
    expect(tb.containersStarted).toBe(before + 2); // its own, then a fresh reused one
  });

  it("sees a rewrite of a file the prelude had already written (/root/.gitconfig), which docker diff cannot", async () => {
    const readName = { command: "git config --global user.name || echo unset", timeoutMs: 10_000 };
    const before = await tb.run(readName);
    const r = await tb.run({ command: "git config --global user.name swerl-test-evil; echo done", timeoutMs: 10_000 });
    expect(r.violation).toMatch(/wrote outside the tree: C \/root\/.gitconfig \(rewritten\)/);
    const after = await tb.run(readName);
    expect(after).toMatchObject({ output: before.output, violation: null });
    expect(after.output).not.toMatch(/evil/);
  });

  it("contains a write into .git (a hook) and a daemon that edits the tree later", async () => {
    const hook = await tb.run({
      command: "echo 'touch /testbed/HOOKED' > .git/hooks/post-checkout; chmod +x .git/hooks/post-checkout",
      timeoutMs: 10_000,
    });
    expect(hook.violation).toMatch(/wrote outside the tree: .*\/testbed\/.git\/hooks\/post-checkout/);
    // One daemon with the step's environment, one without any (env -i): both are gone after the step.
    const daemon = await tb.run({
      command:
        "setsid bash -c 'sleep 1; echo late > /testbed/late.txt' >/dev/null 2>&1 & env -i /usr/bin/setsid /bin/bash -c 'sleep 1; echo late > /testbed/late2.txt' >/dev/null 2>&1 & echo started",
      timeoutMs: 10_000,
    });
    expect(daemon).toMatchObject({ exitCode: 0, violation: null });
    await new Promise((r) => setTimeout(r, 1500));
    const after = await tb.run(CLEAN_CHECK);
    expect(after).toMatchObject({ output: "", violation: null });
  });

  it("queued steps are checked in one batch; a write outside the tree in the middle is pinned on its step", async () => {
    const before = tb.containersStarted;
    const steps = [
      "echo a > /tmp/a; echo one",
      "echo x > /opt/swerl-batch-evil; echo two",
      "echo three",
      "ls /opt/swerl-batch-evil 2>&1; echo four",
    ];
    const results = await Promise.all(steps.map((command) => tb.run({ command, timeoutMs: 10_000 })));
    expect(results.map((r) => r.violation === null)).toEqual([true, false, true, true]);
    expect(results[1]!.violation).toMatch(/wrote outside the tree: A \/opt\/swerl-batch-evil/);
    // The re-runs happen one by one in fresh containers: step 4 never sees step 2's file.
    expect(results[3]!.output).toMatch(/No such file or directory\nfour\n$/);
    expect(results.map((r) => r.output.split("\n").at(-2))).toEqual(["one", "two", "three", "four"]);
    expect(tb.containersStarted).toBeGreaterThan(before);
  });

  it("contains a hang: timed out within the limit, next step runs in a clean tree", async () => {
    const t0 = Date.now();
    const r = await tb.run({ patch: instance.patch, command: "echo start; sleep 60", timeoutMs: 1500 });
    expect(r).toMatchObject({ applied: true, timedOut: true, output: "start\n" });
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(await tb.run(CLEAN_CHECK)).toMatchObject({ output: "", violation: null, timedOut: false });
  });

  it("contains a fork bomb and a memory hog", async () => {
    const bomb = await tb.run({ command: "bomb() { bomb | bomb & }; bomb; sleep 2; echo survived", timeoutMs: 5000 });
    expect(bomb.violation).toMatch(/process limit/);
    const hog = await tb.run({ command: "python -c 'x = bytearray(1 << 30); print(len(x))'", timeoutMs: 20_000 });
    expect(hog.exitCode).not.toBe(0);
    expect(hog.violation).toMatch(/memory limit/);
    expect(await tb.run(CLEAN_CHECK)).toMatchObject({ exitCode: 0, output: "", violation: null });
  });

  it("a container killed from outside mid-step is not the step's fault: the step runs again in a fresh container", async () => {
    await tb.run({ command: "true", timeoutMs: 10_000 }); // a live container to kill
    const before = tb.containersStarted;
    const running = tb.run({ command: "echo started; sleep 6; echo finished", timeoutMs: 30_000 });
    let killed = false;
    for (let i = 0; i < 100 && !killed; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const [info] = await docker.listContainers({ filters: { label: [`swerl.run=${runId}`], status: ["running"] } });
      const top = info
        ? await docker
            .getContainer(info.Id)
            .top()
            .catch(() => undefined)
        : undefined;
      if (top && JSON.stringify(top.Processes).includes("sleep 6")) {
        await docker.getContainer(info!.Id).kill();
        killed = true;
      }
    }
    expect(killed).toBe(true);
    const r = await running;
    expect(r).toMatchObject({ exitCode: 0, output: "started\nfinished\n", violation: null, timedOut: false });
    expect(tb.containersStarted).toBe(before + 1); // the killed one's replacement
  });

  it("has no network but loopback: NetworkMode none, only lo, a connect to 127.0.0.1 is refused", async () => {
    const r = await tb.run({
      command:
        "ls /sys/class/net; python -c \"import socket; s = socket.socket(); s.settimeout(2)\ntry:\n  s.connect(('127.0.0.1', 9)); print('connected')\nexcept OSError as e: print('refused', e.errno)\"",
      timeoutMs: 10_000,
    });
    expect(r.output).toMatch(/^lo\nrefused \d+\n$/);
    const [info] = await docker.listContainers({ filters: { label: [`swerl.run=${runId}`] } });
    const inspected = await docker.getContainer(info!.Id).inspect();
    expect(inspected.HostConfig.NetworkMode).toBe("none");
  });
});

// A prelude that counts its runs, exports a value bash must quote, unsets a variable and ends in a subdirectory.
const COUNTING_PRELUDE = [
  "echo run >> /root/prelude-runs",
  "export SWERL_PRELUDE_VAR=$'two words\\nand \"quotes\" $x'",
  "unset SWERL_GONE",
  "cd /testbed/tests",
];
const SHOW_ENV = { command: `printf '%s|' "$SWERL_PRELUDE_VAR" "$PWD"; wc -l < /root/prelude-runs`, timeoutMs: 10_000 };

describe("testbed: the prelude's environment", () => {
  it("reuse: the prelude runs once per container; every step starts in what it exported and where it ended", async () => {
    const tb = await openTestbed({ ...base, prelude: COUNTING_PRELUDE });
    try {
      const [a, b] = await Promise.all([tb.run(SHOW_ENV), tb.run(SHOW_ENV)]);
      const c = await tb.run({
        patch: instance.patch,
        command: "git diff --stat | tail -1; echo $PWD",
        timeoutMs: 10_000,
      });
      expect(a.output).toBe('two words\nand "quotes" $x|/testbed/tests|1\n');
      expect(b.output).toBe(a.output);
      expect(c).toMatchObject({
        applied: true,
        output: " 1 file changed, 1 insertion(+), 1 deletion(-)\n/testbed/tests\n",
        violation: null,
      });
      expect(tb.containersStarted).toBe(1);
    } finally {
      await tb.close();
    }
  });

  it("container: the prelude runs in each step's own container", async () => {
    const tb = await openTestbed({ ...base, prelude: COUNTING_PRELUDE, isolation: "container" });
    try {
      const a = await tb.run(SHOW_ENV);
      const b = await tb.run(SHOW_ENV);
      expect(a.output).toBe('two words\nand "quotes" $x|/testbed/tests|1\n');
      expect(b.output).toBe(a.output);
      expect(tb.containersStarted).toBe(2);
    } finally {
      await tb.close();
    }
  });
});

describe("testbed (isolation: container)", () => {
  it("starts a fresh container per step, so nothing carries over", async () => {
    const tb = await openTestbed({ ...base, isolation: "container" });
    try {
      const a = await tb.run({
        patch: instance.patch,
        command: "echo leftover > /etc/leftover; git status --porcelain",
        timeoutMs: 10_000,
      });
      expect(a).toMatchObject({ applied: true, exitCode: 0, output: " M textkit/slug.py\n", violation: null });
      const b = await tb.run({ command: "cat /etc/leftover 2>&1; git status --porcelain", timeoutMs: 10_000 });
      expect(b.output).toMatch(/No such file/);
      expect(tb.containersStarted).toBe(2);
    } finally {
      await tb.close();
    }
    expect(
      await docker
        .listContainers({ all: true, filters: { label: [`swerl.run=${runId}`], status: ["running"] } })
        .then((l) => l.length),
    ).toBe(0);
  });
});
