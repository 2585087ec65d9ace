// Work that needs one engine for a while (an instance's testbed, a grading), retried elsewhere
// when the engine fails under it (validate, regress, reproduce, evaluation's gradeOnPool): an
// infrastructure error is tried again on another engine when there is one, or on the same one
// once it answers again (an engine that stopped answering is out of rotation until a probe
// brings it back); at most one attempt per engine. Other errors are the work's own and are thrown at once.
import { log } from "../log/logger.js";
import type { Engine, EngineLease, EnginePool } from "./engines.js";
import { InfraError } from "./errors.js";

export async function onEngines<T>(
  engines: EnginePool,
  what: string,
  work: (lease: EngineLease) => Promise<T>,
): Promise<T> {
  let last: Engine | undefined;
  for (let attempt = 1; ; attempt++) {
    const lease = await engines.acquire(last);
    try {
      return await work(lease);
    } catch (err) {
      if (!(err instanceof InfraError)) throw err;
      const down = await engines.isEngineDown(lease.engine);
      const several = engines.engines.length > 1;
      if (!(attempt <= engines.engines.length && engines.capacity > 0 && (down || several))) throw err;
      log.warn(
        `${what}: infrastructure error on engine ${lease.engine.name}${down ? " (it stopped answering)" : ""}; ` +
          `again${several ? " on another engine" : ""}: ${err.message.split("\n")[0]}`,
      );
      last = lease.engine;
    } finally {
      lease.release();
    }
  }
}
