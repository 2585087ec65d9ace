// readCheckedRecords: each record checked against a schema, errors naming file and line, and a
// half-written last line skipped (a writer killed mid-line), as readRecords does.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { readCheckedRecords, readRecords } from "./jsonl.js";

const schema = z.object({ id: z.string(), n: z.number().int() });
const dir = mkdtempSync(join(tmpdir(), "swerl-jsonl-"));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const all = async <T>(it: AsyncGenerator<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
};

describe("readCheckedRecords", () => {
  it("reads complete lines, skips blank ones and a torn last line, like readRecords", async () => {
    const p = file("torn.jsonl", '{"id":"a","n":1}\n\n{"id":"b","n":2}\n{"id":"c","n"');
    expect(await all(readCheckedRecords(p, schema))).toEqual([
      { id: "a", n: 1 },
      { id: "b", n: 2 },
    ]);
    expect(await all(readRecords(p))).toEqual([
      { id: "a", n: 1 },
      { id: "b", n: 2 },
    ]);
  });

  it("names the file and line of a record that is not JSON or does not fit the schema", async () => {
    const bad = file("bad.jsonl", '{"id":"a","n":1}\n{"id":"b","n":"two"}\n');
    await expect(all(readCheckedRecords(bad, schema))).rejects.toThrow(`${bad}:2: n:`);
    const notJson = file("nojson.jsonl", '{"id":"a","n":1}\nnope\n');
    await expect(all(readCheckedRecords(notJson, schema))).rejects.toThrow(`${notJson}:2: not JSON`);
  });

  it("gives nothing for a missing file", async () => {
    expect(await all(readCheckedRecords(join(dir, "absent.jsonl"), schema))).toEqual([]);
  });
});
