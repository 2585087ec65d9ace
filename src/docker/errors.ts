// Infrastructure failures (no engine, image missing, container could not start) as opposed to
// outcomes of the instance under test. Callers report these as "error", never as "unresolved",
// and may retry them; `reason` lets them tell the cases apart without parsing messages.
export type InfraReason = "docker_unavailable" | "image_missing" | "container" | "io";

export class InfraError extends Error {
  override readonly name = "InfraError";
  constructor(
    message: string,
    readonly reason: InfraReason,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The message of an unknown thrown value, for wrapping into clearer errors. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** HTTP status of a dockerode error (404 for a missing container/image/path), if any. */
export function statusOf(err: unknown): number | undefined {
  const code = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === "number" ? code : undefined;
}
