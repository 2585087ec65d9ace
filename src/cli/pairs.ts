// Options of the form KEY=VALUE, repeatable (e.g. --env-image django/django=my-env:1).
import { InputError } from "../util/input-error.js";
export function parsePairs(values: string[] | undefined, option: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values ?? []) {
    const eq = v.indexOf("=");
    if (eq <= 0 || eq === v.length - 1) throw new InputError(`${option} expects REPO=VALUE (got "${v}")`);
    out[v.slice(0, eq)] = v.slice(eq + 1);
  }
  return out;
}

export function parsePositiveInt(value: string, option: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InputError(`${option} must be a whole number ≥ 1 (got "${value}")`);
  return n;
}
