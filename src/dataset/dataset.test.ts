import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../test/helpers/cli.js";
import { liteParquet, verifiedJsonl, verifiedParquet } from "../../test/helpers/paths.js";
import { DatasetError, loadDataset } from "./load.js";
import { selectInstances, shardOf } from "./select.js";

describe("loading real SWE-bench datasets", () => {
  it("reads Verified from parquet and jsonl identically", async () => {
    const [pq, jl] = await Promise.all([loadDataset(verifiedParquet), loadDataset(verifiedJsonl)]);
    expect(pq.length).toBe(500);
    expect(jl.map((i) => i.instance_id)).toEqual(pq.map((i) => i.instance_id));
    const django = pq.find((i) => i.instance_id === "django__django-11099")!;
    expect(django.repo).toBe("django/django");
    expect(Array.isArray(django.FAIL_TO_PASS) && django.FAIL_TO_PASS.length).toBeGreaterThan(0);
    expect(jl.find((i) => i.instance_id === "django__django-11099")).toEqual(django);
  });

  it("reads Lite from parquet", async () => {
    expect((await loadDataset(liteParquet)).length).toBe(300);
  });

  it("CLI dataset info reports 500 instances, django 231 and sympy 75, for parquet and jsonl", async () => {
    for (const path of [verifiedParquet, verifiedJsonl]) {
      const out = JSON.parse((await runCli(["dataset", "info", "--dataset", path, "--json"])).stdout);
      expect(out.instances).toBe(500);
      expect(out.repos["django/django"]).toBe(231);
      expect(out.repos["sympy/sympy"]).toBe(75);
    }
  });
});

describe("bad rows", () => {
  const rows = readFileSync(verifiedJsonl, "utf8").split("\n").filter(Boolean).slice(0, 5);

  it("names the row and the field of a broken FAIL_TO_PASS string", async () => {
    const dir = mkdtempSync(join(tmpdir(), "swerl-ds-"));
    const bad = JSON.parse(rows[3]!);
    bad.FAIL_TO_PASS = '["tests/test_a.py::test_x", ';
    const path = join(dir, "bad.jsonl");
    writeFileSync(path, [rows[0], rows[1], rows[2], JSON.stringify(bad), rows[4]].join("\n") + "\n");
    const err = await loadDataset(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect((err as Error).message).toMatch(
      new RegExp(`line 4 \\(instance_id ${bad.instance_id}\\): field FAIL_TO_PASS is not valid JSON`),
    );

    const cli = await runCli(["dataset", "info", "--dataset", path]);
    expect(cli.status).toBe(2);
    const stderr = cli.stderr.trim().split("\n");
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toContain(`line 4 (instance_id ${bad.instance_id}): field FAIL_TO_PASS`);
  });

  it("rejects a FAIL_TO_PASS that is JSON but not a list of strings, and a missing repo", async () => {
    const dir = mkdtempSync(join(tmpdir(), "swerl-ds-"));
    const a = { ...JSON.parse(rows[0]!), FAIL_TO_PASS: "[1, 2]" };
    writeFileSync(join(dir, "a.json"), JSON.stringify([a]));
    await expect(loadDataset(join(dir, "a.json"))).rejects.toThrow(
      /item 0 .*FAIL_TO_PASS is not a JSON list of strings/,
    );
    const b = JSON.parse(rows[0]!);
    delete b.repo;
    writeFileSync(join(dir, "b.jsonl"), JSON.stringify(b) + "\n");
    await expect(loadDataset(join(dir, "b.jsonl"))).rejects.toThrow(/line 1 .*field repo/);
  });
});

describe("selection", () => {
  it("selects by ids (space or comma separated), repos, limit and stable shards", async () => {
    const all = await loadDataset(verifiedJsonl);
    expect(
      selectInstances(all, { instanceIds: ["django__django-11099", "sympy__sympy-20590"] })
        .map((i) => i.instance_id)
        .sort(),
    ).toEqual(["django__django-11099", "sympy__sympy-20590"]);
    expect(() => selectInstances(all, { instanceIds: ["nope__nope-1"] })).toThrow(/nope__nope-1/);
    expect(selectInstances(all, { repos: ["psf/requests"] })).toHaveLength(8);
    expect(selectInstances(all, { repos: ["django/django"], limit: 3 })).toHaveLength(3);
    const shards = [0, 1, 2].map((i) => selectInstances(all, { shard: `${i}/3` }));
    expect(shards.reduce((n, s) => n + s.length, 0)).toBe(500);
    expect(new Set(shards.flat().map((i) => i.instance_id)).size).toBe(500);
    // Stable: a shard does not depend on the order of the dataset.
    expect(
      selectInstances([...all].reverse(), { shard: "1/3" })
        .map((i) => i.instance_id)
        .sort(),
    ).toEqual(shards[1]!.map((i) => i.instance_id).sort());
    expect(shardOf("django__django-11099", 7)).toBe(shardOf("django__django-11099", 7));
    expect(() => selectInstances(all, { shard: "3/3" })).toThrow(/--shard/);
  });

  it("CLI accepts comma-separated --instance-ids", async () => {
    const out = JSON.parse(
      (
        await runCli([
          "dataset",
          "info",
          "--dataset",
          verifiedJsonl,
          "--json",
          "--instance-ids",
          "django__django-11099,psf__requests-2317",
          "astropy__astropy-12907",
        ])
      ).stdout,
    );
    expect(out.instances).toBe(3);
  });
});
