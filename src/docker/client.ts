// The Docker engine connection: DOCKER_HOST (unix://, tcp://, http(s)://, ssh:// as docker-modem
// understands it) or the default socket /var/run/docker.sock.
import Docker from "dockerode";
import { announceEngine } from "./engine-info.js";
import { InfraError, messageOf } from "./errors.js";

const DEFAULT_SOCKET = "/var/run/docker.sock";

export function dockerClient(host?: string): Docker {
  const target = host ?? process.env.DOCKER_HOST;
  if (!target) return new Docker({ socketPath: DEFAULT_SOCKET });
  if (target.startsWith("/")) return new Docker({ socketPath: target });
  if (target.startsWith("unix://")) return new Docker({ socketPath: target.slice("unix://".length) });
  if (host === undefined) return new Docker(); // docker-modem parses DOCKER_HOST (+ TLS, ssh) itself
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new InfraError(
      `bad Docker host "${target}": expected unix:///path, tcp://host:port or http(s)://host:port`,
      "docker_unavailable",
    );
  }
  const protocol = url.protocol === "https:" ? "https" : "http";
  if (!["tcp:", "http:", "https:"].includes(url.protocol)) {
    throw new InfraError(`bad Docker host "${target}": unsupported scheme ${url.protocol}`, "docker_unavailable");
  }
  return new Docker({ host: url.hostname, port: url.port || (protocol === "https" ? 2376 : 2375), protocol });
}

/** Where a client talks to, for messages. */
export function describeEngine(docker: Docker): string {
  const m = docker.modem as unknown as {
    socketPath?: string;
    host?: string;
    port?: string | number;
    protocol?: string;
  };
  if (m.socketPath) return `unix://${m.socketPath}`;
  return `${m.protocol ?? "http"}://${m.host ?? "localhost"}${m.port ? `:${m.port}` : ""}`;
}

/** Throws an InfraError naming the address unless an engine answers a ping within timeoutMs; then says which engine it is. */
export async function ensureDockerAvailable(docker: Docker, timeoutMs = 5000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  const where = describeEngine(docker);
  try {
    await Promise.race([docker.ping(), timeout]);
  } catch (err) {
    const setup = /podman/i.test(where) ? "scripts/setup-podman.sh" : "scripts/setup-docker.sh";
    throw new InfraError(
      `no Docker engine answers at ${where} (${messageOf(err)}); run ${setup}`,
      "docker_unavailable",
      { cause: err },
    );
  } finally {
    clearTimeout(timer);
  }
  // Docker or Podman, and what differs (logged once per address).
  await announceEngine(docker, where);
}
