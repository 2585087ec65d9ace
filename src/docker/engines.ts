// Several Docker engines behind one pool: each with its own worker count; work goes to the
// healthy engine with the most free slots; an engine that stops answering is taken out of
// rotation, probed (ping) with a growing interval, and put back when it answers. Callers run
// all of one instance's containers on the engine of their lease and, when the work failed
// because the engine went away (`isEngineDown`), retry it on another lease.
import type Docker from "dockerode";
import { dockerClient, describeEngine } from "./client.js";
import { announceEngine } from "./engine-info.js";
import { log } from "../log/logger.js";

export interface EngineSpec {
  /** unix:///path, /path, tcp://host:port, http(s)://host:port, ssh://user@host (see client.ts). */
  host: string;
  /** Instances this engine runs at once. */
  workers: number;
  /** The engine already holds every image it needs: never copy or build images there. */
  hasImages?: boolean;
}

export interface Engine {
  readonly name: string;
  readonly docker: Docker;
  readonly workers: number;
  readonly hasImages: boolean;
  busy: number;
  healthy: boolean;
  /** Leases handed out so far (for reports and tests). */
  leases: number;
}

export interface EngineLease {
  engine: Engine;
  docker: Docker;
  release(): void;
}

export interface EnginePoolOptions {
  /** First probe of a down engine after this long; doubles up to maxProbeMs. */
  probeMs?: number;
  maxProbeMs?: number;
  pingTimeoutMs?: number;
  clientFor?: (spec: EngineSpec) => Docker;
}

export class EnginePool {
  readonly engines: Engine[];
  private waiters: Array<() => void> = [];
  private probes = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    specs: readonly EngineSpec[],
    private readonly opts: EnginePoolOptions = {},
  ) {
    if (specs.length === 0) throw new Error("docker.hosts: at least one engine is needed");
    this.engines = specs.map((s, i) => {
      if (!Number.isInteger(s.workers) || s.workers <= 0)
        throw new Error(`docker.hosts[${i}] (${s.host}): workers must be a positive integer (got ${s.workers})`);
      const docker = (opts.clientFor ?? ((x: EngineSpec) => dockerClient(x.host)))(s);
      return {
        name: s.host || describeEngine(docker),
        docker,
        workers: s.workers,
        hasImages: s.hasImages === true,
        busy: 0,
        healthy: true,
        leases: 0,
      };
    });
  }

  get capacity(): number {
    return this.engines.reduce((n, e) => n + (e.healthy ? e.workers : 0), 0);
  }

  /**
   * Wait for a free slot on a healthy engine (most free slots first). `avoid` (the engine a
   * retry comes from) is not used while another healthy engine exists, even a busy one: an
   * engine that is shutting down still answers for a while, and a retry must not land there.
   */
  async acquire(avoid?: Engine): Promise<EngineLease> {
    for (;;) {
      if (this.closed) throw new Error("engine pool closed");
      const others = avoid !== undefined && this.engines.some((e) => e.healthy && e !== avoid);
      const free = this.engines.filter((e) => e.healthy && e.busy < e.workers && !(others && e === avoid));
      const pick = free.sort((a, b) => b.workers - b.busy - (a.workers - a.busy) || a.leases - b.leases)[0];
      if (pick) {
        pick.busy++;
        pick.leases++;
        let released = false;
        return {
          engine: pick,
          docker: pick.docker,
          release: () => {
            if (!released) {
              released = true;
              pick.busy--;
              this.wake();
            }
          },
        };
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** True when the engine does not answer a ping: it is then out of rotation until a probe succeeds. */
  async isEngineDown(engine: Engine): Promise<boolean> {
    if (!engine.healthy) return true;
    if (await this.ping(engine)) return false;
    this.markDown(engine);
    return true;
  }

  markDown(engine: Engine): void {
    if (!engine.healthy || this.closed) return;
    engine.healthy = false;
    log.warn(`docker engine ${engine.name} stopped answering: out of rotation, probing it`);
    this.probe(engine, this.opts.probeMs ?? 2000);
    this.wake();
  }

  close(): void {
    this.closed = true;
    for (const t of this.probes) clearTimeout(t);
    this.probes.clear();
    this.wake();
  }

  private probe(engine: Engine, delay: number): void {
    const timer = setTimeout(async () => {
      this.probes.delete(timer);
      if (this.closed) return;
      if (await this.ping(engine)) {
        engine.healthy = true;
        log.info(`docker engine ${engine.name} answers again: back in rotation`);
        this.wake();
      } else {
        this.probe(engine, Math.min(delay * 2, this.opts.maxProbeMs ?? 60_000));
      }
    }, delay);
    timer.unref();
    this.probes.add(timer);
  }

  private async ping(engine: Engine): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        engine.docker.ping(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error("ping timeout")), this.opts.pingTimeoutMs ?? 3000);
        }),
      ]);
      return true;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  private wake(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w();
  }
}

/** Log, once per address, which engine each of the pool is and what differs (Podman); down engines are skipped. */
export async function announceEngines(pool: EnginePool): Promise<void> {
  await Promise.all(pool.engines.map((e) => announceEngine(e.docker, describeEngine(e.docker))));
}

/** "HOST" or "HOST=WORKERS" (the --docker-host flag) → spec; default workers from the caller. */
export function parseEngineFlag(value: string, defaultWorkers: number): EngineSpec {
  const m = /^(.*?)(?:=(\d+))?$/.exec(value.trim());
  const host = m?.[1] ?? "";
  if (!host) throw new Error(`--docker-host "${value}": expected HOST or HOST=WORKERS`);
  const workers = m?.[2] === undefined ? defaultWorkers : Number(m[2]);
  if (!Number.isInteger(workers) || workers <= 0)
    throw new Error(`--docker-host "${value}": workers must be a positive integer`);
  return { host, workers };
}
