// Grouping samples into unique patches with each validate.normalize choice: Agentless's
// normalization folds quote style and redundant parentheses, which the canonical form keeps.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Instance } from "../dataset/schema.js";
import { createPatchNormalizer } from "../normalize/patch-normalizer.js";
import { makeFixtureRepo } from "../../test/support/fixture-repo.js";
import { gitDiff } from "../../test/support/verified-cases.js";
import { uniquePatches } from "./group.js";

const BASE = "def area(w, h):\n    return w * h\n\n\ndef name():\n    return 'box'\n";
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe("uniquePatches with validate.normalize", () => {
  it("agentless groups quote, parenthesis and comment variants that canonical keeps apart", async () => {
    const dir = await mkdtemp(join(tmpdir(), "swerl-group-"));
    dirs.push(dir);
    const [sha] = await makeFixtureRepo(dir, [{ "geo.py": BASE }]);
    const instance = { instance_id: "demo__geo-1", repo: "demo/geo", base_commit: sha } as Instance;
    const edit = (after: string) => gitDiff({ "geo.py": BASE }, { "geo.py": after });
    const samples = [
      { instance_id: instance.instance_id, sample: 0, patch: edit(BASE.replace("return 'box'", "return 'crate'")) },
      {
        instance_id: instance.instance_id,
        sample: 1,
        patch: edit(BASE.replace("return 'box'", 'return ("crate")  # renamed')),
      },
      { instance_id: instance.instance_id, sample: 2, patch: edit(BASE.replace("return w * h", "return abs(w * h)")) },
      {
        instance_id: instance.instance_id,
        sample: 3,
        patch: edit(BASE.replace("    return w * h", "    # only a comment\n    return w * h")),
      },
      { instance_id: instance.instance_id, sample: 4, patch: "" },
    ];
    const agentless = createPatchNormalizer("agentless");
    try {
      const a = await uniquePatches(instance, samples, dir, agentless);
      expect(a.map((u) => u.samples)).toEqual([[0, 1], [2]]);
      expect(a[0].normalized).toContain("+    return 'crate'");
      expect(a[0].normalized).toMatch(/^diff --git a\/geo\.py b\/geo\.py\nindex [0-9a-f]{7}\.\.[0-9a-f]{7} 100644\n/);
    } finally {
      await agentless.close();
    }
    const c = await uniquePatches(instance, samples, dir, createPatchNormalizer("canonical"));
    expect(c.map((u) => u.samples)).toEqual([[0], [1], [2]]);
  });
});
