// Conformance with the published eval_script column of SWE-bench Verified and Lite.
import { beforeAll, describe, expect, it } from "vitest";
import { liteParquet, verifiedJsonl } from "../../test/helpers/paths.js";
import { loadDataset } from "../dataset/load.js";
import type { Instance } from "../dataset/schema.js";
import { checkAgainstDataset } from "./check.js";
import { INSTANCE_FIXES } from "./data/instance-fixes.js";
import { modifiedFiles, touchedFiles } from "./patch-files.js";
import { makeTestSpec, type SpecRules } from "./test-spec.js";

let verified: Instance[];
let lite: Instance[];
beforeAll(async () => {
  [verified, lite] = await Promise.all([loadDataset(verifiedJsonl), loadDataset(liteParquet)]);
});

const check = (rows: Instance[], rules: SpecRules) =>
  checkAgainstDataset(rows.map((instance) => ({ instance, spec: makeTestSpec(instance, { rules }) })));

describe("v4.1 rules", () => {
  it("reproduce at least 480 of the 500 Verified eval scripts byte for byte", () => {
    const result = check(verified, "v4.1");
    expect(result.compared).toBe(500);
    expect(result.matched).toBeGreaterThanOrEqual(480);
  });

  it("reproduce at least 292 of the 300 Lite eval scripts byte for byte", () => {
    const result = check(lite, "v4.1");
    expect(result.compared).toBe(300);
    expect(result.matched).toBeGreaterThanOrEqual(292);
  });

  it("differ from the published script only where the newer rules apply", () => {
    const rows = new Map(verified.map((i) => [i.instance_id, i]));
    for (const m of check(verified, "v4.1").mismatches) {
      const row = rows.get(m.instanceId)!;
      const newerCheckout = touchedFiles(row.test_patch).join(" ") !== modifiedFiles(row.test_patch).join(" ");
      expect(newerCheckout || m.instanceId in INSTANCE_FIXES, m.instanceId).toBe(true);
    }
  });
});

describe("dataset rules (the default)", () => {
  it("reproduce every Verified and Lite eval script", () => {
    for (const rows of [verified, lite]) {
      const result = check(rows, "dataset");
      expect(result.mismatches).toEqual([]);
      expect(result.matched).toBe(rows.length);
    }
  });

  it("give the published image and log parser for every row", () => {
    for (const row of [...verified, ...lite]) {
      const spec = makeTestSpec(row);
      expect([row.instance_id, spec.image, spec.logParser]).toEqual([row.instance_id, row.image, row.log_parser]);
    }
  });
});
