import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeRunContainers, withSandbox } from "./cleanup.js";
import { startContainer, type Sandbox } from "./container.js";
import { BASE_IMAGE, containersOfRun, requireDocker, TEST_ENGINE, testRunId } from "../../test/support/docker.js";

// PID 1 of every sandbox: the engine's init running the keep-alive (Podman's is catatonit).
const INIT_COMMAND =
  TEST_ENGINE === "podman" ? "/run/podman-init -- sleep infinity" : "/sbin/docker-init -- sleep infinity";

let docker: Docker;
let sandbox: Sandbox;
let hostDir: string;
const runId = testRunId("container");

beforeAll(async () => {
  docker = await requireDocker();
  sandbox = await startContainer(docker, { image: BASE_IMAGE, runId, instanceId: "demo__repo-1" });
  hostDir = await mkdtemp(join(tmpdir(), "swerl-docker-test-"));
});

afterAll(async () => {
  await removeRunContainers(docker, runId);
  if (hostDir) await rm(hostDir, { recursive: true, force: true });
});

describe("files", () => {
  it("round-trips text, binary, empty and nested files, with modes and relative paths", async () => {
    const binary = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    await sandbox.putFiles([
      { path: "/tmp/deep/er/note.txt", content: "héllo\nworld\n" },
      { path: "/tmp/bin.dat", content: binary },
      { path: "/tmp/empty", content: "" },
      { path: "rel/run.sh", content: "#!/bin/bash\necho ran\n", mode: 0o755 },
    ]);
    expect((await sandbox.readFile("/tmp/deep/er/note.txt")).toString("utf8")).toBe("héllo\nworld\n");
    expect((await sandbox.readFile("/tmp/bin.dat")).equals(binary)).toBe(true);
    expect((await sandbox.readFile("/tmp/empty")).length).toBe(0);
    const r = await sandbox.exec("stat -c %a /testbed/rel/run.sh && ./rel/run.sh", { timeoutMs: 20_000 });
    expect(r.output).toBe("755\nran\n");
    expect(r.exitCode).toBe(0);
  });

  it("reads files written inside the container, following symlinks", async () => {
    await sandbox.exec("printf 'made inside' > /tmp/inside.txt && ln -sf inside.txt /tmp/link.txt", {
      timeoutMs: 20_000,
    });
    expect((await sandbox.readFile("/tmp/link.txt")).toString()).toBe("made inside");
  });

  it("names the path when a file is missing or is a directory", async () => {
    await expect(sandbox.readFile("/tmp/no-such-file")).rejects.toThrow(/no such file.*\/tmp\/no-such-file/);
    await expect(sandbox.readFile("/tmp/deep")).rejects.toThrow(/\/tmp\/deep .*not a regular file/);
  });
});

describe("exec", () => {
  it("reports exit codes and the combined stdout+stderr output", async () => {
    // Docker reads stdout and stderr through separate pipes: order holds within each stream,
    // and across them only when writes are apart in time.
    const r = await sandbox.exec("echo out; echo out1; echo err >&2; sleep 0.3; echo out2; exit 3", {
      timeoutMs: 20_000,
    });
    expect(r).toMatchObject({ exitCode: 3, timedOut: false });
    expect(r.output.split("\n").filter((l) => l.startsWith("out"))).toEqual(["out", "out1", "out2"]);
    expect(r.output.endsWith("out2\n")).toBe(true);
    expect(r.output.split("\n").sort()).toEqual(["", "err", "out", "out1", "out2"]);
    expect((await sandbox.exec("true", { timeoutMs: 20_000 })).exitCode).toBe(0);
    expect((await sandbox.exec("exit 42", { timeoutMs: 20_000 })).exitCode).toBe(42);
  });

  it("runs in the workdir with the given environment, as root, without a login profile", async () => {
    const r = await sandbox.exec('echo "$PWD $FOO $(id -u) $0"', {
      timeoutMs: 20_000,
      workdir: "/tmp",
      env: { FOO: "bar baz" },
    });
    expect(r.output).toBe("/tmp bar baz 0 bash\n");
    expect((await sandbox.exec("pwd", { timeoutMs: 20_000 })).output).toBe("/testbed\n");
  });

  it("streams big output to a host file, returning no output in memory", async () => {
    const file = join(hostDir, "big.log");
    const size = 40 * 1024 * 1024;
    const r = await sandbox.exec(
      `echo err-line >&2; head -c ${size} /dev/zero | tr '\\0' 'a'; echo; echo tail-marker`,
      { timeoutMs: 60_000, outputFile: file },
    );
    expect(r.exitCode).toBe(0);
    expect(r.output).toBe("");
    expect((await stat(file)).size).toBe(size + 1 + "tail-marker\n".length + "err-line\n".length);
    const text = await readFile(file, "latin1");
    expect(text.endsWith("a\ntail-marker\n")).toBe(true);
    expect(text).toContain("err-line\n");
  });

  it("fails before running anything when the output file cannot be created", async () => {
    await expect(
      sandbox.exec("touch /tmp/should-not-exist", {
        timeoutMs: 20_000,
        outputFile: join(hostDir, "no/such/dir/x.log"),
      }),
    ).rejects.toThrow(/ENOENT/);
    expect((await sandbox.exec("test -e /tmp/should-not-exist", { timeoutMs: 20_000 })).exitCode).toBe(1);
  });

  it("rejects a missing or non-positive timeout", async () => {
    await expect(sandbox.exec("true", { timeoutMs: 0 })).rejects.toThrow(/timeoutMs/);
  });
});

describe("timeout", () => {
  it("kills every process of a timed-out command, even ones that left the process tree", async () => {
    const runId2 = testRunId("timeout");
    const box = await startContainer(docker, { image: BASE_IMAGE, runId: runId2, instanceId: "t__t-1" });
    try {
      const started = Date.now();
      // A background child reparented to init (setsid + subshell) and a foreground sleep.
      const r = await box.exec("(setsid sleep 1001 &); sleep 1000; echo never", { timeoutMs: 2000 });
      const elapsed = Date.now() - started;
      expect(r.timedOut).toBe(true);
      expect(r.output).not.toContain("never");
      expect(elapsed).toBeGreaterThanOrEqual(2000);
      expect(elapsed).toBeLessThan(2000 + 10_000);
      // The container survived (the token kill sufficed) and nothing of the command is left.
      const ps = await box.exec("ps -eo pid=,args=", { timeoutMs: 20_000 });
      expect(ps.exitCode).toBe(0);
      const lines = ps.output
        .trim()
        .split("\n")
        .map((l) => l.trim());
      expect(lines.filter((l) => /sleep 100[01]|echo never/.test(l))).toEqual([]);
      // Left: init (PID 1), the keep-alive sleep, and ps itself.
      expect(lines.map((l) => l.replace(/^\d+\s+/, "")).sort()).toEqual([
        INIT_COMMAND,
        "ps -eo pid=,args=",
        "sleep infinity",
      ]);
    } finally {
      await box.remove();
      await box.remove(); // idempotent
    }
    expect(await containersOfRun(docker, runId2)).toEqual([]);
  });

  it("kills the whole container when a process escapes the exec's marker but holds its output", async () => {
    const runId3 = testRunId("escape");
    await withSandbox(docker, { image: BASE_IMAGE, runId: runId3, instanceId: "t__t-2" }, async (box) => {
      const started = Date.now();
      const r = await box.exec("env -i /bin/sleep 1002", { timeoutMs: 1500 });
      expect(r.timedOut).toBe(true);
      expect(Date.now() - started).toBeLessThan(1500 + 10_000);
      const state = (await docker.getContainer(box.id).inspect()).State;
      expect(state.Running).toBe(false);
    });
    expect(await containersOfRun(docker, runId3)).toEqual([]);
  });
});

describe("isolation and limits", () => {
  it("has no network: NetworkMode none, network disabled, only the loopback interface", async () => {
    const info = await docker.getContainer(sandbox.id).inspect();
    expect(info.HostConfig.NetworkMode).toBe("none");
    // Docker attaches the "none" network and records NetworkDisabled; Podman attaches none at all
    // and leaves NetworkDisabled out of its inspect. Neither gives the container an address.
    if (TEST_ENGINE === "docker") expect((info.Config as { NetworkDisabled?: boolean }).NetworkDisabled).toBe(true);
    expect(Object.keys(info.NetworkSettings.Networks).filter((n) => n !== "none")).toEqual([]);
    expect(
      Object.values(info.NetworkSettings.Networks)
        .map((n) => n.IPAddress)
        .filter(Boolean),
    ).toEqual([]);
    expect(info.HostConfig.Init).toBe(true);
    const r = await sandbox.exec("ls /sys/class/net", { timeoutMs: 20_000 });
    expect(r.output.trim().split(/\s+/)).toEqual(["lo"]);
  });

  it("tells pip there is no index: an install that needs one fails at once, without connection retries", async () => {
    const info = await docker.getContainer(sandbox.id).inspect();
    expect(info.Config.Env).toContain("PIP_NO_INDEX=1");
    expect(info.Config.Env.some((e: string) => e.startsWith("PATH="))).toBe(true); // the image's own variables stay
    // A project built with build isolation needs its backend from the index (the eval script's `pip install -e .`).
    await sandbox.putFiles([
      {
        path: "/tmp/proj/pyproject.toml",
        content:
          '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n[project]\nname = "p"\nversion = "1"\n',
      },
    ]);
    const r = await sandbox.exec("cd /tmp/proj && python3 -m pip install -e . 2>&1", { timeoutMs: 60_000 });
    expect(r.exitCode).not.toBe(0);
    expect(r.output).toMatch(/from versions: none|No matching distribution/);
    expect(r.output).not.toMatch(/Retrying/);
  });

  it("labels containers with run and instance", async () => {
    const info = await docker.getContainer(sandbox.id).inspect();
    expect(info.Config.Labels["swerl.run"]).toBe(runId);
    expect(info.Config.Labels["swerl.instance"]).toBe("demo__repo-1");
    expect(info.Config.Labels["swerl.owner"]).toMatch(new RegExp(`:${process.pid}$`));
  });

  it("enforces the memory limit: under it works, beyond it the process dies", async () => {
    const mib = 1024 * 1024;
    await withSandbox(
      docker,
      { image: BASE_IMAGE, runId, instanceId: "mem__mem-1", memoryBytes: 128 * mib },
      async (box) => {
        const info = await docker.getContainer(box.id).inspect();
        expect(info.HostConfig.Memory).toBe(128 * mib);
        expect(info.HostConfig.MemorySwap).toBe(128 * mib);
        const alloc = (n: number) => `python3 -c "b = b'x' * (${n} * 1024 * 1024); print('allocated', len(b))"`;
        const under = await box.exec(alloc(32), { timeoutMs: 60_000 });
        expect(under).toMatchObject({ exitCode: 0, output: `allocated ${32 * mib}\n` });
        const over = await box.exec(alloc(400), { timeoutMs: 60_000 });
        expect(over.timedOut).toBe(false);
        expect(over.output).not.toContain("allocated");
        expect(over.exitCode === 137 || /MemoryError/.test(over.output)).toBe(true);
      },
    );
  });

  it("enforces the pids limit: a fork loop stops below it", async () => {
    await withSandbox(docker, { image: BASE_IMAGE, runId, instanceId: "pids__pids-1", pidsLimit: 64 }, async (box) => {
      expect((await docker.getContainer(box.id).inspect()).HostConfig.PidsLimit).toBe(64);
      await box.putFiles([{ path: "/tmp/forks.py", content: FORK_LOOP }]);
      const r = await box.exec("python3 /tmp/forks.py", { timeoutMs: 60_000 });
      expect(r.exitCode).toBe(0);
      const [forked, errno] = r.output.trim().split(" ").map(Number);
      expect(errno).toBe(11); // EAGAIN: the limit, not our loop bound
      expect(forked).toBeGreaterThan(10);
      expect(forked).toBeLessThan(64);
    });
  });

  it("applies a CPU limit when given", async () => {
    await withSandbox(
      docker,
      { image: BASE_IMAGE, runId, instanceId: "cpu__cpu-1", nanoCpus: 500_000_000 },
      async (box) => {
        expect((await docker.getContainer(box.id).inspect()).HostConfig.NanoCpus).toBe(500_000_000);
      },
    );
  });
});

describe("lifecycle", () => {
  it("stops at once on SIGTERM: init is PID 1 and forwards it to the keep-alive", async () => {
    await withSandbox(docker, { image: BASE_IMAGE, runId, instanceId: "stop__stop-1" }, async (box) => {
      const started = Date.now();
      await docker.getContainer(box.id).stop({ t: 30 }); // a SIGTERM-ignoring PID 1 would take 30 s
      expect(Date.now() - started).toBeLessThan(5000);
      expect((await docker.getContainer(box.id).inspect()).State.ExitCode).not.toBe(137);
    });
  });
});

describe("withSandbox", () => {
  it("removes the container when the work throws", async () => {
    const runId4 = testRunId("throws");
    let id = "";
    await expect(
      withSandbox(docker, { image: BASE_IMAGE, runId: runId4, instanceId: "x__x-1" }, async (box) => {
        id = box.id;
        expect(await containersOfRun(docker, runId4)).toHaveLength(1);
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(id).not.toBe("");
    expect(await containersOfRun(docker, runId4)).toEqual([]);
  });

  it("fails with an InfraError naming the image when it does not exist", async () => {
    await expect(
      startContainer(docker, { image: "swerl/no-such-image:nope", runId, instanceId: "x__x-2" }),
    ).rejects.toMatchObject({
      name: "InfraError",
      reason: "image_missing",
      message: expect.stringContaining("swerl/no-such-image:nope"),
    });
  });
});

const FORK_LOOP = `
import os, signal, time
kids, err = [], None
for _ in range(1000):
    try:
        pid = os.fork()
    except OSError as e:
        err = e.errno
        break
    if pid == 0:
        time.sleep(120)
        os._exit(0)
    kids.append(pid)
for k in kids:
    os.kill(k, signal.SIGKILL)
for k in kids:
    os.waitpid(k, 0)
print(len(kids), err)
`;
