import { describe, expect, it } from "vitest";
import { baseTestCommand, envPreludeLines } from "./env-prelude.js";
import { UnknownSpecError } from "./test-spec.js";

describe("envPreludeLines", () => {
  it("activates the conda env and sets django's locale for a django instance", () => {
    const lines = envPreludeLines({ instance_id: "django__django-11099", repo: "django/django", version: "3.0" });
    expect(lines.slice(0, 3)).toEqual(["source /opt/miniconda3/bin/activate", "conda activate testbed", "cd /testbed"]);
    expect(lines.some((l) => l.includes("LANG"))).toBe(true);
    expect(baseTestCommand({ instance_id: "django__django-11099", repo: "django/django", version: "3.0" })).toContain(
      "runtests.py",
    );
  });

  it("has no conda lines for the demo repos (plain Debian python)", () => {
    const lines = envPreludeLines({ instance_id: "swerl-demo__textkit-1", repo: "swerl-demo/textkit", version: "1.0" });
    expect(lines.some((l) => l.includes("conda"))).toBe(false);
    expect(lines[0]).toBe("cd /testbed");
  });

  it("names the instance when the repo is unknown", () => {
    expect(() => envPreludeLines({ instance_id: "x__y-1", repo: "x/y", version: "1" })).toThrow(UnknownSpecError);
    expect(() => envPreludeLines({ instance_id: "x__y-1", repo: "x/y", version: "1" })).toThrow(/x__y-1/);
  });
});

describe("envPreludeLines for SWE-bench Multilingual", () => {
  const druid = { instance_id: "apache__druid-13704", repo: "apache/druid", version: "13704" };
  it("has no conda lines (the toolchains are on PATH) and marks /testbed safe", () => {
    expect(envPreludeLines(druid)).toEqual([
      "cd /testbed",
      "git config --global --add safe.directory /testbed",
      "cd /testbed",
    ]);
  });
  it("has no base test command: the spec's commands are fixed per instance", () => {
    expect(() => baseTestCommand(druid)).toThrow(/Multilingual.*fixed per-instance/);
    expect(() => envPreludeLines({ ...druid, version: "1" })).toThrow(UnknownSpecError);
  });
});
