import { describe, expect, it } from "vitest";
import {
  baseState,
  formatArrayTaskIds,
  isActiveState,
  parseArrayTaskIds,
  parseSbatchParsable,
  parseScontrolJobs,
  parseSqueue,
  SQUEUE_FORMAT,
} from "./parse.js";

// Lines as Slurm 22.05 (Debian bookworm) printed them on our single-host cluster.
const SCONTROL_TASK =
  "JobId=2 ArrayJobId=1 ArrayTaskId=0 JobName=wrap UserId=root(0) GroupId=root(0) MCS_label=N/A Priority=4294901759 Nice=0 Account=(null) QOS=(null) JobState=COMPLETED Reason=None Dependency=(null) Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=0:0 RunTime=00:00:03 TimeLimit=UNLIMITED TimeMin=N/A SubmitTime=2026-12-05T23:54:27 EligibleTime=2026-12-05T23:54:28 AccrueTime=2026-12-05T23:54:28 StartTime=2026-12-05T23:54:28 EndTime=2026-12-05T23:54:31 Deadline=N/A SuspendTime=None SecsPreSuspend=0 LastSchedEval=2026-12-05T23:54:28 Scheduler=Main Partition=debug AllocNode:Sid=localhost:11975 ReqNodeList=(null) ExcNodeList=(null) NodeList=n1 BatchHost=n1 NumNodes=1 NumCPUs=1 NumTasks=1 CPUs/Task=1 ReqB:S:C:T=0:0:*:* TRES=cpu=1,node=1,billing=1 Socks/Node=* NtasksPerN:B:S:C=0:0:*:* CoreSpec=* MinCPUsNode=1 MinMemoryNode=0 MinTmpDiskNode=0 Features=(null) DelayBoot=00:00:00 OverSubscribe=OK Contiguous=0 Licenses=(null) Network=(null) Command=(null) WorkDir=/tmp StdErr=/tmp/slurmtest-1_0.out StdIn=/dev/null StdOut=/tmp/slurmtest-1_0.out Power= ";

describe("slurm output parsers", () => {
  it("sbatch --parsable: the job id, with or without a cluster name", () => {
    expect(parseSbatchParsable("42\n")).toBe("42");
    expect(parseSbatchParsable("42;cluster\n")).toBe("42");
    expect(() => parseSbatchParsable("sbatch: error: Batch job submission failed\n")).toThrow(/not a job id/);
  });

  it("squeue -h -r -o: one row per line, every field named", () => {
    expect(SQUEUE_FORMAT).toBe("%A|%F|%K|%T|%r|%N|%M");
    const rows = parseSqueue(
      "3|3|1|PENDING|BeginTime||0:00\n4|3|0|RUNNING|None|n1|0:04\n6|6|N/A|PENDING|Dependency||0:00\n",
    );
    expect(rows).toEqual([
      {
        jobId: "3",
        arrayJobId: "3",
        arrayTaskId: "1",
        state: "PENDING",
        reason: "BeginTime",
        nodes: "",
        elapsed: "0:00",
      },
      { jobId: "4", arrayJobId: "3", arrayTaskId: "0", state: "RUNNING", reason: "None", nodes: "n1", elapsed: "0:04" },
      {
        jobId: "6",
        arrayJobId: "6",
        arrayTaskId: "N/A",
        state: "PENDING",
        reason: "Dependency",
        nodes: "",
        elapsed: "0:00",
      },
    ]);
    expect(parseSqueue("")).toEqual([]);
    expect(() => parseSqueue("3|3|1|PENDING\n")).toThrow(/4 fields, not 7/);
  });

  it("scontrol show job -o: Key=Value pairs, keys with ':' and '/', empty and spaced values", () => {
    const [job] = parseScontrolJobs(SCONTROL_TASK + "\n");
    expect(job.JobId).toBe("2");
    expect(job.ArrayJobId).toBe("1");
    expect(job.ArrayTaskId).toBe("0");
    expect(job.JobState).toBe("COMPLETED");
    expect(job.ExitCode).toBe("0:0");
    expect(job["AllocNode:Sid"]).toBe("localhost:11975");
    expect(job["CPUs/Task"]).toBe("1");
    expect(job.TRES).toBe("cpu=1,node=1,billing=1");
    expect(job.Power).toBe("");
    const spaced = parseScontrolJobs(
      "JobId=7 JobName=my job Reason=NodeDown JobState=PENDING WorkDir=/a b/c Restarts=2\nJobId=8 JobState=FAILED Reason=NonZeroExitCode ExitCode=1:0\n",
    );
    expect(spaced).toHaveLength(2);
    expect(spaced[0]).toMatchObject({ JobName: "my job", WorkDir: "/a b/c", Restarts: "2", JobState: "PENDING" });
    expect(spaced[1]).toMatchObject({ JobId: "8", JobState: "FAILED", ExitCode: "1:0" });
    expect(() => parseScontrolJobs("slurm_load_jobs error: Invalid job id specified\n")).toThrow(/not a job/);
  });

  it("array task specs: ranges, steps, limits and brackets, and back", () => {
    expect(parseArrayTaskIds("0-1")).toEqual([0, 1]);
    expect(parseArrayTaskIds("[0-3,7]")).toEqual([0, 1, 2, 3, 7]);
    expect(parseArrayTaskIds("1-9:4%2")).toEqual([1, 5, 9]);
    expect(parseArrayTaskIds("5")).toEqual([5]);
    expect(() => parseArrayTaskIds("3-1")).toThrow(/not an array task spec/);
    expect(() => parseArrayTaskIds("N/A")).toThrow(/not an array task spec/);
    expect(formatArrayTaskIds([3, 0, 1, 2, 7, 9, 8])).toBe("0-3,7-9");
    expect(formatArrayTaskIds([1])).toBe("1");
    for (const ids of [[0], [1, 3], [0, 1, 2, 5, 6, 10]])
      expect(parseArrayTaskIds(formatArrayTaskIds(ids))).toEqual(ids);
  });

  it("job states: the base word, and which are still queued or running", () => {
    expect(baseState("CANCELLED by 0")).toBe("CANCELLED");
    expect(baseState("COMPLETING+")).toBe("COMPLETING");
    for (const s of ["PENDING", "RUNNING", "REQUEUED", "COMPLETING", "CONFIGURING"])
      expect(isActiveState(s)).toBe(true);
    for (const s of ["COMPLETED", "FAILED", "CANCELLED", "NODE_FAIL", "TIMEOUT", "OUT_OF_MEMORY", "UNKNOWN"])
      expect(isActiveState(s)).toBe(false);
  });
});
