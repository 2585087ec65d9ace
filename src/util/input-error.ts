// Bad input from the user (arguments, configs, dataset rows, predictions, run directories):
// the CLI prints its message on one line and exits with code 2, apart from failures (exit 1).
export class InputError extends Error {
  override name = "InputError";
}

/** True for errors the CLI reports as bad input (exit code 2). */
export function isInputError(err: unknown): boolean {
  return err instanceof InputError;
}
