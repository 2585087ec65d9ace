// Which engine answers behind a Docker-API address (Docker or Podman's Docker-compatible service),
// and what of Podman's behaviour differs from Docker's where it matters to swerl. Read from
// /version (Podman names itself in Components/Platform) and /info, once per address, at start.
import type Docker from "dockerode";
import { log } from "../log/logger.js";

export type EngineKind = "docker" | "podman";

export interface EngineInfo {
  kind: EngineKind;
  /** The engine's own version (Podman's, for Podman). */
  version: string;
  apiVersion: string;
  storageDriver: string;
  /** "1" or "2" ("" when the engine does not say). */
  cgroupVersion: string;
  cgroupDriver: string;
  /** The engine runs without root (Podman rootless): on cgroup v1 it cannot apply resource limits. */
  rootless: boolean;
}

interface VersionBody {
  Version?: string;
  ApiVersion?: string;
  Platform?: { Name?: string };
  Components?: Array<{ Name?: string; Version?: string }>;
}
interface InfoBody {
  Driver?: string;
  CgroupVersion?: string;
  CgroupDriver?: string;
  SecurityOptions?: string[] | null;
}

const PODMAN = /podman/i;

/** The engine kind and facts from the bodies of GET /version and GET /info. */
export function engineInfoFrom(version: VersionBody, info: InfoBody): EngineInfo {
  const podmanComponent = (version.Components ?? []).find((c) => PODMAN.test(c.Name ?? ""));
  const podman = podmanComponent !== undefined || PODMAN.test(version.Platform?.Name ?? "");
  return {
    kind: podman ? "podman" : "docker",
    version: podmanComponent?.Version ?? version.Version ?? "",
    apiVersion: version.ApiVersion ?? "",
    storageDriver: info.Driver ?? "",
    cgroupVersion: info.CgroupVersion ?? "",
    cgroupDriver: info.CgroupDriver ?? "",
    rootless: (info.SecurityOptions ?? []).some((o) => /(^|,)name=rootless(,|$)/.test(o)),
  };
}

export async function inspectEngine(docker: Docker): Promise<EngineInfo> {
  const [version, info] = await Promise.all([docker.version(), docker.info()]);
  return engineInfoFrom(version as VersionBody, info as InfoBody);
}

export interface EngineNote {
  level: "info" | "warn";
  text: string;
}

/**
 * What differs from Docker and how swerl deals with it, one note each. Empty for Docker, but for
 * a rootless engine on cgroup v1 (whichever kind): its memory and pids limits are not applied.
 */
export function engineNotes(e: EngineInfo): EngineNote[] {
  const notes: EngineNote[] = [];
  if (e.rootless && e.cgroupVersion === "1") {
    notes.push({
      level: "warn",
      text: "rootless on cgroup v1: the engine cannot apply memory, pids or CPU limits; swerl refuses to start containers whose limits it does not see applied (run as root, or on cgroup v2)",
    });
  }
  if (e.kind !== "podman") return notes;
  notes.push(
    {
      level: "info",
      text: "image names: Podman stores images it loads as localhost/NAME and images committed through the API as docker.io/library/NAME; swerl looks images up by their short names, which find either",
    },
    {
      level: "info",
      text: `storage driver ${e.storageDriver || "unknown"}: container changes (docker diff) list what Docker's overlay2 lists but for Docker's own A /usr/sbin/docker-init; the testbed compares against a baseline taken when the container is ready, so neither counts`,
    },
    {
      level: "info",
      text: "--init: Podman's init is catatonit (/run/podman-init in the container); without /usr/libexec/podman/catatonit on the host no container starts (scripts/setup-podman.sh installs it)",
    },
    {
      level: "info",
      text: `cgroup v${e.cgroupVersion || "?"} (${e.cgroupDriver || "?"} driver): memory, pids and CPU limits are applied by the engine as with Docker; swerl checks each container's limits in its inspect`,
    },
    {
      level: "info",
      text: "pulls: a plain-HTTP registry (e.g. a mirror on loopback) must be marked insecure = true in registries.conf; Docker trusts 127.0.0.0/8 without it",
    },
    // Not visible through the API, so said every time (info, not a warning, for engines already set up).
    {
      level: "info",
      text: "exec sessions: each API exec keeps two conmon processes (~1.7 MB each) on the host until exit_command_delay passes (Podman's default 300 s, thousands of processes on a busy run): exit_command_delay = 30 under [engine] in containers.conf (scripts/setup-podman.sh writes it)",
    },
  );
  if (e.rootless && e.cgroupVersion !== "1") {
    notes.push({
      level: "info",
      text: "rootless: limits need the cpu, memory and pids controllers delegated to the user (systemd Delegate=)",
    });
  }
  return notes;
}

const announced = new Map<string, Promise<EngineInfo | undefined>>();
const ANNOUNCE_TIMEOUT_MS = 30_000;

/**
 * Detect the engine behind `docker` (at address `where`) and log, once per address, what it is
 * and what differs. Undefined when it does not answer /version or /info (the ping check reports that).
 */
export function announceEngine(docker: Docker, where: string): Promise<EngineInfo | undefined> {
  let pending = announced.get(where);
  if (!pending) {
    // Bounded: an unreachable tcp:// engine must not hold up the start (Podman answers /version
    // and /info in seconds on a loaded machine: it runs conmon and runc to learn their versions).
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("no answer")), ANNOUNCE_TIMEOUT_MS);
    });
    pending = Promise.race([inspectEngine(docker), late])
      .finally(() => clearTimeout(timer))
      .then(
        (e) => {
          log.info(
            `engine at ${where}: ${e.kind === "podman" ? "Podman" : "Docker"} ${e.version} (API ${e.apiVersion}, storage ${e.storageDriver || "?"}, cgroup v${e.cgroupVersion || "?"}${e.rootless ? ", rootless" : ""})`,
          );
          for (const n of engineNotes(e)) log[n.level](`${e.kind} engine at ${where}: ${n.text}`);
          return e;
        },
        () => undefined,
      );
    announced.set(where, pending);
  }
  return pending;
}
