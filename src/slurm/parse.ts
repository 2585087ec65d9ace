// Parsers for the machine-readable output of Slurm's commands: `sbatch --parsable`,
// `squeue -h -o` with a '|'-separated format, and `scontrol show job -o` (one job per line of
// Key=Value pairs). Array task specs ("0-3,7%2") are expanded here too.

/** The job id `sbatch --parsable` printed ("123" or "123;cluster"). */
export function parseSbatchParsable(stdout: string): string {
  const line = stdout.trim().split("\n").pop()?.trim() ?? "";
  const id = line.split(";")[0];
  if (!/^\d+$/.test(id)) throw new Error(`sbatch --parsable printed "${stdout.trim()}", not a job id`);
  return id;
}

/** The squeue fields swerl asks for, in order; FORMAT is their `-o` format string. */
export const SQUEUE_FIELDS = [
  ["jobId", "%A"],
  ["arrayJobId", "%F"],
  ["arrayTaskId", "%K"],
  ["state", "%T"],
  ["reason", "%r"],
  ["nodes", "%N"],
  ["elapsed", "%M"],
] as const;
export const SQUEUE_FORMAT = SQUEUE_FIELDS.map(([, f]) => f).join("|");

export type SqueueRow = { [K in (typeof SQUEUE_FIELDS)[number][0]]: string };

/** The rows of `squeue -h -r -o SQUEUE_FORMAT`: one per job (per array task with -r). */
export function parseSqueue(stdout: string): SqueueRow[] {
  const rows: SqueueRow[] = [];
  for (const line of stdout.split("\n")) {
    if (line.trim() === "") continue;
    const cells = line.split("|");
    if (cells.length !== SQUEUE_FIELDS.length)
      throw new Error(`squeue printed a line with ${cells.length} fields, not ${SQUEUE_FIELDS.length}: "${line}"`);
    const row = {} as Record<string, string>;
    SQUEUE_FIELDS.forEach(([name], i) => {
      row[name] = cells[i].trim();
    });
    rows.push(row as SqueueRow);
  }
  return rows;
}

// A key starts a pair when it follows a space (or the line start): letters, digits and the
// ':' '/' '_' Slurm uses in keys such as AllocNode:Sid or CPUs/Task.
const KEY_AT = /(?:^|\s)([A-Za-z][\w:/]*)=/g;

/** The jobs of `scontrol show job -o`: one Key=Value map per line (values may hold spaces). */
export function parseScontrolJobs(stdout: string): Record<string, string>[] {
  const jobs: Record<string, string>[] = [];
  for (const line of stdout.split("\n")) {
    if (line.trim() === "") continue;
    const starts = [...line.matchAll(KEY_AT)];
    if (starts.length === 0 || !("JobId" === starts[0][1]))
      throw new Error(`scontrol show job -o printed a line that is not a job: "${line.slice(0, 80)}"`);
    const job: Record<string, string> = {};
    starts.forEach((m, i) => {
      const valueStart = m.index + m[0].length;
      const valueEnd = i + 1 < starts.length ? starts[i + 1].index : line.length;
      job[m[1]] = line.slice(valueStart, valueEnd).trim();
    });
    jobs.push(job);
  }
  return jobs;
}

/** The task ids of an array spec as Slurm prints or takes it: "0-3,7", "1-9:2", "0-5%2", "[0-1]". */
export function parseArrayTaskIds(spec: string): number[] {
  const body = spec
    .trim()
    .replace(/^\[|\]$/g, "")
    .replace(/%\d+$/, "");
  const ids: number[] = [];
  for (const part of body.split(",")) {
    const m = /^(\d+)(?:-(\d+)(?::(\d+))?)?$/.exec(part.trim());
    if (!m) throw new Error(`not an array task spec: "${spec}"`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    const step = m[3] === undefined ? 1 : Number(m[3]);
    if (to < from || step < 1) throw new Error(`not an array task spec: "${spec}"`);
    for (let i = from; i <= to; i += step) ids.push(i);
  }
  return ids;
}

/** An --array spec for task ids: runs of consecutive ids joined ("0-2,5"). */
export function formatArrayTaskIds(ids: readonly number[]): string {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j === i ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j;
  }
  return parts.join(",");
}

/** Job states in which a job is still queued or running (it may yet succeed). */
const ACTIVE_STATES = new Set([
  "PENDING",
  "RUNNING",
  "CONFIGURING",
  "COMPLETING",
  "REQUEUED",
  "REQUEUE_FED",
  "REQUEUE_HOLD",
  "RESIZING",
  "SUSPENDED",
  "STOPPED",
  "SIGNALING",
  "STAGE_OUT",
  "RESV_DEL_HOLD",
  "SPECIAL_EXIT",
]);

/** The base state of a Slurm state string ("CANCELLED by 0" → "CANCELLED", "COMPLETING+" too). */
export const baseState = (state: string): string => state.trim().split(/[\s+]/)[0].toUpperCase();

export const isActiveState = (state: string): boolean => ACTIVE_STATES.has(baseState(state));
