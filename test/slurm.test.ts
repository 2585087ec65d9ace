// `swerl slurm` against a real Slurm (scripts/setup-slurm.sh: one host, nodes n1 and n2), the
// demo benchmark with the oracle policy, real containers. Two submissions of the demo in two
// shards run beside a plain `swerl run` of it:
//  - "requeued" (shards pinned to n1, --requeue): n1 is set DOWN while a shard runs; Slurm
//    requeues the shards, they resume, the merge job runs after the array;
//  - "failed" (pinned to n2, --no-requeue): one array task is killed (scancel --signal=KILL);
//    status names that shard, the merge job is cancelled, `submit` again resubmits only it.
// Both merged runs must equal the plain run: same chosen patches, same solve rate, no record twice.
// A machine without Slurm fails these tests (never skips).
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { parseScontrolJobs } from "../src/slurm/parse.js";
import type { RunSlurmStatus } from "../src/slurm/status.js";
import { runCli, type CliRun } from "./helpers/cli.js";
import { repoRoot } from "./helpers/paths.js";

const exec = promisify(execFile);
const resultsDir = mkdtempSync(join(tmpdir(), "swerl-slurm-"));
const DEMO = join(repoRoot, "configs", "demo.yaml");
const swerl = (args: string[]): Promise<CliRun> => runCli([...args, "--results-dir", resultsDir], { cwd: resultsDir });
const slurm = async (cmd: string, args: string[]): Promise<string> =>
  (await exec(cmd, args, { timeout: 30_000 })).stdout;

const lines = (path: string): Record<string, unknown>[] =>
  existsSync(path)
    ? readFileSync(path, "utf8")
        .split("\n")
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l) as Record<string, unknown>)
    : [];
const preds = (run: string) =>
  lines(join(resultsDir, run, "preds.jsonl"))
    .map((p) => JSON.stringify([p.instance_id, p.model_patch, p.sample]))
    .sort();
const solveRate = (run: string) =>
  (JSON.parse(readFileSync(join(resultsDir, run, "report.json"), "utf8")) as { solve_rate: unknown }).solve_rate;
const resolvedIds = (run: string) =>
  (
    JSON.parse(readFileSync(join(resultsDir, run, "run_report.json"), "utf8")) as { resolved_ids: string[] }
  ).resolved_ids.sort();

/** Stage files and what each record is unique by: a resumed shard must not write one twice. */
const STAGE_KEYS: Record<string, (r: Record<string, unknown>) => string> = {
  "localization.jsonl": (r) => `${r.instance_id}#${r.sample}`,
  "repair.jsonl": (r) => `${r.instance_id}#${r.sample}`,
  "reproduction.jsonl": (r) => `${r.instance_id}#${r.sample}`,
  "regression.jsonl": (r) => `${r.instance_id}`,
  "validation.jsonl": (r) => `${r.instance_id}#${r.patch_id}`,
  "evaluation.jsonl": (r) => `${r.instance_id}`,
  "preds.jsonl": (r) => `${r.instance_id}`,
};

async function status(run: string): Promise<RunSlurmStatus> {
  const r = await swerl(["slurm", "status", run, "--json"]);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as RunSlurmStatus;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutS: number): Promise<T> {
  const deadline = Date.now() + timeoutS * 1000;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutS} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5000));
  }
}

/** A shard is mid-run: its job runs and its run directory holds model records already. */
const midRun = (s: RunSlurmStatus, shard: number): boolean =>
  s.shards[shard].job?.state === "RUNNING" && existsSync(join(resultsDir, s.shards[shard].runId, "repair.jsonl"));

/** Until the merged run is done (or the merge job ended without it): the final status. */
const merged = (run: string): Promise<RunSlurmStatus> =>
  waitFor(
    `${run} merged`,
    async () => {
      const s = await status(run);
      const mergeEnded = s.merge && !["PENDING", "RUNNING", "COMPLETING", "CONFIGURING"].includes(s.merge.state);
      return (s.merged === "success" && existsSync(join(resultsDir, run, "report.json"))) || mergeEnded ? s : undefined;
    },
    1500,
  );

function expectSameAsPlain(run: string): void {
  expect(preds(run)).toHaveLength(5);
  expect(preds(run)).toEqual(preds("plain"));
  expect(resolvedIds(run)).toEqual(resolvedIds("plain"));
  expect(solveRate(run)).toEqual(solveRate("plain"));
  for (const [file, key] of Object.entries(STAGE_KEYS)) {
    const keys = lines(join(resultsDir, run, file)).map(key);
    expect(keys.length, file).toBeGreaterThan(0);
    expect(new Set(keys).size, `${file}: a record twice`).toBe(keys.length);
    expect(keys.sort(), file).toEqual(
      lines(join(resultsDir, "plain", file))
        .map(key)
        .sort(),
    );
  }
}

/** The merge job started only once every array task had ended. */
async function expectMergeAfterArray(arrayJobs: string[], mergeJob: string): Promise<void> {
  const tasks = (await Promise.all(arrayJobs.map((id) => slurm("scontrol", ["show", "job", "-o", id])))).flatMap(
    parseScontrolJobs,
  );
  // The merged report is written before the merge job's process has exited: wait for its end.
  const merge = await waitFor(
    "the merge job's end",
    async () => {
      const [job] = parseScontrolJobs(await slurm("scontrol", ["show", "job", "-o", mergeJob]));
      return job && !["PENDING", "RUNNING", "COMPLETING", "CONFIGURING"].includes(job.JobState) ? job : undefined;
    },
    120,
  );
  expect(merge.JobState).toBe("COMPLETED");
  const lastEnd = tasks
    .map((t) => t.EndTime)
    .sort()
    .pop()!;
  expect(merge.StartTime >= lastEnd, `merge started ${merge.StartTime}, last shard ended ${lastEnd}`).toBe(true);
}

/** Requeue: n1 goes DOWN while shard 0 runs; the final status. */
async function requeueFlow(): Promise<RunSlurmStatus> {
  await waitFor("a requeued shard mid-run", async () => (midRun(await status("requeued"), 0) ? true : undefined), 900);
  await slurm("scontrol", ["update", "NodeName=n1", "State=DOWN", "Reason=swerl-test"]);
  const requeued = await waitFor(
    "the shard requeued",
    async () => {
      const s = await status("requeued");
      return (s.shards[0].job?.restarts ?? 0) >= 1 && s.shards[0].job?.state === "PENDING" ? s : undefined;
    },
    120,
  );
  expect(requeued.shards[0].verdict).toBe("active");
  // Slurm holds a requeued job ~2 minutes (BeginTime); release it now, and bring n1 back if
  // ReturnToService has not already.
  for (const sh of requeued.shards)
    if (sh.job?.state === "PENDING") await slurm("scontrol", ["update", `JobId=${sh.job.jobId}`, "StartTime=now"]);
  await slurm("scontrol", ["update", "NodeName=n1", "State=RESUME"]).catch(() => "n1 is back already");
  return merged("requeued");
}

/** No requeue: shard 1's task is killed mid-run; the status once the array has ended. */
async function killFlow(): Promise<RunSlurmStatus> {
  await waitFor("a shard of 'failed' mid-run", async () => (midRun(await status("failed"), 1) ? true : undefined), 900);
  const before = await status("failed");
  await slurm("scancel", ["--signal=KILL", before.shards[1].job!.jobId]);
  return waitFor(
    "the array of 'failed' to end",
    async () => {
      const s = await status("failed");
      return s.shards.every((sh) => sh.verdict !== "active") && s.merge?.state !== "PENDING" ? s : undefined;
    },
    900,
  );
}

let plain: Promise<CliRun>;
let requeue: Promise<RunSlurmStatus>;
let kill: Promise<RunSlurmStatus>;

/** No Slurm is a failure: the setup script (npm test's setup) starts it. */
async function expectSlurm(): Promise<void> {
  const nodes = await slurm("sinfo", ["-h", "-N", "-o", "%N %t"]);
  expect(nodes, "run scripts/setup-slurm.sh first").toMatch(/n1 (idle|mix|alloc)/);
  expect(nodes).toMatch(/n2 (idle|mix|alloc)/);
}

describe("swerl slurm: queue handling", () => {
  beforeAll(expectSlurm, 60_000);

  it("cancel scancels the run's queued jobs; sbatch's refusal is the error", async () => {
    const held = await swerl([
      "slurm",
      "submit",
      "-c",
      DEMO,
      "--run-id",
      "held",
      "--shards",
      "2",
      "--sbatch-arg=--hold",
    ]);
    expect(held.status, held.stderr).toBe(0);
    const queued = await status("held");
    expect(queued.shards.map((sh) => sh.job?.state)).toEqual(["PENDING", "PENDING"]);
    expect(queued.merge?.state).toBe("PENDING");
    const again = await swerl(["slurm", "submit", "-c", DEMO, "--run-id", "held"]);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/still queued or running \(/);
    for (const job of [queued.shards[0].job!.jobId, queued.shards[1].job!.jobId, queued.merge!.jobId])
      expect(again.stderr).toContain(`${job} PENDING`);
    const cancel = await swerl(["slurm", "cancel", "held"]);
    expect(cancel.status, cancel.stderr).toBe(0);
    expect(cancel.stdout).toMatch(/Cancelled job\(s\) \d+, \d+ of run held/);
    const after = await waitFor(
      "held jobs cancelled",
      async () => {
        const s = await status("held");
        return s.merge?.state === "CANCELLED" && s.shards.every((sh) => sh.job?.state === "CANCELLED") ? s : undefined;
      },
      60,
    );
    expect(after.shards.map((sh) => sh.verdict)).toEqual(["failed", "failed"]);
    expect((await swerl(["slurm", "cancel", "held"])).stdout).toMatch(/No job of run held is queued or running/);

    const bad = await swerl([
      "slurm",
      "submit",
      "-c",
      DEMO,
      "--run-id",
      "badpart",
      "--shards",
      "2",
      "--partition",
      "no-such-partition",
    ]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/sbatch .*failed.*invalid partition/i);
  }, 120_000);
});

describe("swerl slurm: the demo in two shards beside a plain run", () => {
  beforeAll(async () => {
    await expectSlurm();
    plain = swerl(["run", "-c", DEMO, "--run-id", "plain"]);
    for (const [run, extra] of [
      ["requeued", ["--sbatch-arg=--nodelist=n1"]],
      ["failed", ["--no-requeue", "--sbatch-arg=--nodelist=n2"]],
    ] as const) {
      const r = await swerl([
        "slurm",
        "submit",
        "-c",
        DEMO,
        "--run-id",
        run,
        "--shards",
        "2",
        "--time",
        "60",
        ...extra,
      ]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/Submitted shards 0, 1 of 2 as array job \d+/);
    }
    // Both disturbances run at once (each waits for its own moment); the tests check the outcomes.
    requeue = requeueFlow();
    kill = killFlow();
    for (const p of [plain, requeue, kill]) p.catch(() => {}); // awaited by the tests
  }, 120_000);

  it("a shard whose node goes DOWN is requeued, resumes, and the merge equals a plain run", async () => {
    const s = await requeue;
    expect(s.merged).toBe("success");
    expect(s.shards.map((sh) => sh.verdict)).toEqual(["succeeded", "succeeded"]);
    expect(readFileSync(join(resultsDir, "requeued", "slurm", "logs", "shard-0.out"), "utf8")).toMatch(/restart 1\)/);
    const record = JSON.parse(readFileSync(join(resultsDir, "requeued", "slurm", "jobs.json"), "utf8")) as {
      submissions: { array_job_id: string; merge_job_id: string }[];
    };
    expect(record.submissions).toHaveLength(1);
    await expectMergeAfterArray([record.submissions[0].array_job_id], record.submissions[0].merge_job_id);
    const p = await plain;
    expect(p.status, p.stderr.slice(-2000)).toBe(0);
    expectSameAsPlain("requeued");
  }, 1_800_000);

  it("without requeue a killed shard is named by status, and submit again reruns only it", async () => {
    const failed = await kill;
    expect(failed.shards.map((sh) => sh.verdict)).toEqual(["succeeded", "failed"]);
    expect(failed.merge?.state).toBe("CANCELLED"); // kill_invalid_depend: its afterok can never hold
    expect(failed.merged).toBe("not merged");
    const text = await swerl(["slurm", "status", "failed"]);
    expect(text.stdout).toMatch(/shard 1 {2}FAILED {2}job \d+_1 /);
    expect(text.stdout).toMatch(/Failed shards: 1;/);

    const again = await swerl([
      "slurm",
      "submit",
      "-c",
      DEMO,
      "--run-id",
      "failed",
      "--no-requeue",
      "--sbatch-arg=--nodelist=n2",
    ]);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/Submitted shards 1 of 2 as array job \d+/);
    expect(again.stdout).toMatch(/Shards already done \(not resubmitted\): 0/);
    const s = await merged("failed");
    expect(s.merged).toBe("success");
    const record = JSON.parse(readFileSync(join(resultsDir, "failed", "slurm", "jobs.json"), "utf8")) as {
      submissions: { array_job_id: string; shards: number[]; merge_job_id: string }[];
    };
    expect(record.submissions.map((x) => x.shards)).toEqual([[0, 1], [1]]);
    await expectMergeAfterArray(
      record.submissions.map((x) => x.array_job_id),
      record.submissions[1].merge_job_id,
    );
    const p = await plain;
    expect(p.status, p.stderr.slice(-2000)).toBe(0);
    expectSameAsPlain("failed");
    // Everything merged: a further submit has nothing to do.
    const done = await swerl(["slurm", "submit", "-c", DEMO, "--run-id", "failed"]);
    expect(done.status).toBe(2);
    expect(done.stderr).toMatch(/merged already/);
  }, 1_800_000);
});
