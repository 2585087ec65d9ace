// The testbed's contract: options, a step, its result (see testbed.ts for the behaviour).
import type Docker from "dockerode";
import type { ApplyLadder } from "../docker/apply-patch.js";
import type { SandboxFile, SandboxOptions } from "../docker/container.js";

export type Isolation = "reuse" | "container";
export const ISOLATIONS: readonly Isolation[] = ["reuse", "container"];

/** The container's image, labels and limits are those of startContainer. */
export interface TestbedOptions
  extends Pick<SandboxOptions, "image" | "runId" | "instanceId" | "memoryBytes" | "pidsLimit" | "nanoCpus"> {
  docker: Docker;
  /** Default "reuse". */
  isolation?: Isolation;
  /**
   * The instance's environment (envPreludeLines: one complete command per line): steps'
   * commands run in what it sets up.
   * reuse: run once in every new container, before its baseline is taken; the variables it
   * exported and the directory it ended in are replayed at each step with bash builtins, so
   * conda activate, locale-gen and the like are paid once per container, not once per step.
   * container: run at the start of every step's command.
   */
  prelude?: readonly string[];
  /** Apply ladder (default "swebench-4.1", as evaluation). */
  ladder?: ApplyLadder;
  /** Repository directory (default /testbed). */
  workdir?: string;
  /**
   * Check for writes outside the tree (docker diff) at least every this many steps, and
   * whenever no step is waiting; results are released only once checked. 1 = after every step.
   */
  verifyEvery?: number;
}

export interface TestbedStep {
  /** Applied before the command; absent or "" = nothing to apply. */
  patch?: string;
  /** Written before the command; paths relative to the tree or absolute under the tree or /tmp. */
  files?: SandboxFile[];
  /** One bash script (prefix it with envPreludeLines(instance)). */
  command: string;
  timeoutMs: number;
  /** Also write the command's output to this host file. */
  outputFile?: string;
  /**
   * The step changes the environment outside the tree (a reinstall into site-packages, build
   * artifacts): it runs alone in a fresh container, with the prelude run in its command as
   * in isolation "container", and the container is removed after it. Nothing it writes can
   * reach another step, so it is not checked for writes outside the tree or a dirty tree.
   */
  ownContainer?: boolean;
}

export interface TestbedStepResult {
  /** The patch applied (true when there was none). The command runs only if it did. */
  applied: boolean;
  applyMethod: string | null;
  applyLog: string;
  /** Exit status of the command; null when it did not run or never reported back. */
  exitCode: number | null;
  timedOut: boolean;
  output: string;
  /** The command's own run time, measured inside the container. */
  durationMs: number;
  /** Contained misbehaviour (the container was replaced), or null. */
  violation: string | null;
  /** ms: the whole step (host), apply ladder, command, reset (in the container), host-side checks, container start. */
  timings: { step: number; apply: number; command: number; reset: number; check: number; container: number };
}

export interface Testbed {
  run(step: TestbedStep): Promise<TestbedStepResult>;
  close(): Promise<void>;
  /** Containers started so far (1 per step with isolation "container"). */
  readonly containersStarted: number;
}
