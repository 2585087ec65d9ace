// What a created container's inspect must show before swerl runs anything in it: no network and
// the limits asked for. An engine may accept a limit and not apply it (Podman rootless on cgroup
// v1 drops memory/pids/CPU limits with a warning) or report isolation differently (Podman omits
// Config.NetworkDisabled and attaches no network at all where Docker attaches "none"); this reads
// what both engines report the same way.
import type Docker from "dockerode";

export interface WantedContainment {
  memoryBytes: number;
  pidsLimit: number;
  nanoCpus?: number;
}

/** The ways `info` falls short of `want` (empty when it is contained as asked). */
export function containmentProblems(info: Docker.ContainerInspectInfo, want: WantedContainment): string[] {
  const problems: string[] = [];
  const host = info.HostConfig;
  if (host.NetworkMode !== "none") problems.push(`network mode is "${host.NetworkMode}", not "none"`);
  const networks = Object.keys(info.NetworkSettings?.Networks ?? {}).filter((n) => n !== "none");
  if (networks.length > 0) problems.push(`attached to network(s) ${networks.join(", ")}`);
  const topLevel = (info.NetworkSettings as { IPAddress?: string } | undefined)?.IPAddress ?? "";
  const addresses = Object.values(info.NetworkSettings?.Networks ?? {})
    .map((n) => n.IPAddress)
    .concat(topLevel)
    .filter(Boolean);
  if (addresses.length > 0) problems.push(`has IP address(es) ${addresses.join(", ")}`);
  if (host.Memory !== want.memoryBytes) problems.push(`memory limit is ${host.Memory ?? 0}, not ${want.memoryBytes}`);
  if (host.MemorySwap !== want.memoryBytes)
    problems.push(`memory+swap limit is ${host.MemorySwap ?? 0}, not ${want.memoryBytes}`);
  if (host.PidsLimit !== want.pidsLimit) problems.push(`pids limit is ${host.PidsLimit ?? 0}, not ${want.pidsLimit}`);
  if (want.nanoCpus !== undefined) {
    // Engines report the CPU limit as NanoCpus or as a CFS quota per period.
    const quota = host.CpuQuota && host.CpuPeriod ? Math.round((host.CpuQuota / host.CpuPeriod) * 1e9) : 0;
    if (host.NanoCpus !== want.nanoCpus && quota !== want.nanoCpus)
      problems.push(`CPU limit is ${host.NanoCpus || quota} nano-CPUs, not ${want.nanoCpus}`);
  }
  return problems;
}
