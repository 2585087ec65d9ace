// Instance selection, as the SWE-bench harness takes it: ids (space- or comma-separated),
// repos, a limit, and a stable shard i/n (by hash of the instance id, so shards never move
// when the dataset order changes).
import { createHash } from "node:crypto";
import type { Instance } from "./schema.js";
import { InputError } from "../util/input-error.js";

export interface Selection {
  instanceIds?: string[];
  repos?: string[];
  limit?: number;
  shard?: string;
}

export const splitList = (values: string[] | string | undefined): string[] =>
  (Array.isArray(values) ? values : values ? [values] : []).flatMap((v) => v.split(/[\s,]+/)).filter(Boolean);

export function parseShard(spec: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(spec);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 0 || index >= count) {
    throw new InputError(`--shard must be i/n with 0 <= i < n (got "${spec}")`);
  }
  return { index, count };
}

export function shardOf(instanceId: string, count: number): number {
  return createHash("sha256").update(instanceId).digest().readUInt32BE(0) % count;
}

export function selectInstances(all: Instance[], sel: Selection): Instance[] {
  let out = all;
  if (sel.instanceIds?.length) {
    const known = new Set(all.map((i) => i.instance_id));
    const missing = sel.instanceIds.filter((id) => !known.has(id));
    if (missing.length) throw new InputError(`instance ids not in the dataset: ${missing.join(", ")}`);
    const wanted = new Set(sel.instanceIds);
    out = out.filter((i) => wanted.has(i.instance_id));
  }
  if (sel.repos?.length) {
    const wanted = new Set(sel.repos);
    out = out.filter((i) => wanted.has(i.repo));
  }
  if (sel.shard) {
    const { index, count } = parseShard(sel.shard);
    out = out.filter((i) => shardOf(i.instance_id, count) === index);
  }
  if (sel.limit !== undefined) out = out.slice(0, sel.limit);
  return out;
}
