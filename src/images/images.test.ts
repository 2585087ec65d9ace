// Instance images built offline from the base image: /testbed as SWE-bench's setup leaves it.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import Docker from "dockerode";
import { describe, expect, it } from "vitest";
import { buildDemoBenchmark } from "../demo/build.js";
import { loadDataset } from "../dataset/load.js";
import { withSandbox } from "../docker/cleanup.js";
import { runCli } from "../../test/helpers/cli.js";
import { buildInstanceImage } from "./build.js";
import { BASE_IMAGE } from "./prepare.js";

const docker = new Docker();

describe("swerl images", () => {
  it("builds an instance image with base_commit reachable, one empty commit on top, no tags or remote", async () => {
    await docker.ping();
    const demo = await buildDemoBenchmark();
    const inst = (await loadDataset(demo.datasetPath)).find((i) => i.instance_id === "swerl-demo__textkit-1")!;
    const namespace = "swerltest";
    const r = await buildInstanceImage(docker, inst, {
      envImages: { [inst.repo]: BASE_IMAGE },
      repoSources: demo.repoSources,
      namespace,
      force: true,
    });
    expect(r.image).toBe("swerltest/sweb.eval.x86_64.swerl-demo_1776_textkit-1:latest");
    expect(r.built).toBe(true);
    try {
      const out = await withSandbox(
        docker,
        { image: r.image, runId: "images-test", instanceId: inst.instance_id },
        async (sb) => {
          const script = [
            "git rev-list --count HEAD",
            "git rev-parse HEAD^",
            "git tag | wc -l",
            "git remote | wc -l",
            "git diff --stat HEAD^ HEAD | wc -l",
            `git checkout ${inst.base_commit} -- textkit/slug.py && echo checkout-ok`,
            "git status --porcelain | wc -l",
            "pwd",
          ].join(" && ");
          return (await sb.exec(script, { timeoutMs: 30_000 })).output.trim().split("\n");
        },
      );
      expect(out).toEqual(["2", inst.base_commit, "0", "0", "0", "checkout-ok", "0", "/testbed"]);
      // An existing image is reused, not rebuilt.
      const again = await buildInstanceImage(docker, inst, {
        envImages: { [inst.repo]: BASE_IMAGE },
        repoSources: demo.repoSources,
        namespace,
      });
      expect(again.built).toBe(false);
    } finally {
      await docker.getImage(r.image).remove({ force: true });
    }
  });

  it("lists present and missing images, and names a missing env image clearly", async () => {
    const list = await runCli([
      "images",
      "list",
      "--dataset",
      "demo",
      "--namespace",
      "none",
      "--instance-ids",
      "swerl-demo__ledger-1",
    ]);
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(/^(present|missing)\tsweb\.eval\.x86_64\.swerl-demo__ledger-1:latest$/m);
    const results = mkdtempSync(join(tmpdir(), "swerl-img-"));
    const build = await runCli(["images", "build", "--dataset", join(results, "..", "nope.jsonl")]);
    expect(build.status).toBe(2);
    expect(build.stderr).toMatch(/nope\.jsonl/);
    const noEnv = await runCli([
      "images",
      "build",
      "--dataset",
      "demo",
      "--namespace",
      "swerltest2",
      "--instance-ids",
      "swerl-demo__ledger-1",
      "--env-image",
      "swerl-demo/ledger=no-such-image:1",
    ]);
    expect(noEnv.status).toBe(1);
    expect(noEnv.stderr).toContain("swerl-demo__ledger-1: environment image no-such-image:1 is not present locally");
  });

  it("builds from a --repo-source and --dataset given relative to the working directory", async () => {
    await docker.ping();
    const demo = await buildDemoBenchmark();
    const id = "swerl-demo__textkit-1";
    const cwd = mkdtempSync(join(tmpdir(), "swerl-img-rel-"));
    const source = relative(cwd, demo.repoSources["swerl-demo/textkit"]!);
    expect(source.startsWith("../")).toBe(true); // git would read file://../x as /x
    const image = "swerltestrel/sweb.eval.x86_64.swerl-demo_1776_textkit-1:latest";
    try {
      const r = await runCli(
        [
          "images",
          "build",
          "--dataset",
          relative(cwd, demo.datasetPath),
          "--instance-ids",
          id,
          "--repo-source",
          `swerl-demo/textkit=${source}`,
          "--env-image",
          `swerl-demo/textkit=${BASE_IMAGE}`,
          "--namespace",
          "swerltestrel",
          "--force",
        ],
        { cwd },
      );
      expect(r.stderr).not.toMatch(/\[error\]/);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain("1 images ready, 0 failed");
    } finally {
      await docker
        .getImage(image)
        .remove({ force: true })
        .catch(() => undefined);
    }
  });
});
