// makeTestSpec's contract: image names, errors for unknown repos/versions, script shape.
import { describe, expect, it } from "vitest";
import type { Instance } from "../dataset/schema.js";
import { instanceImageName, makeTestSpec, UnknownSpecError } from "./test-spec.js";

const patch = [
  "diff --git a/tests/test_x.py b/tests/test_x.py",
  "--- a/tests/test_x.py",
  "+++ b/tests/test_x.py",
  "@@ -1 +1,2 @@",
  " import x",
  "+def test_y(): pass",
  "",
].join("\n");

const instance = (over: Partial<Instance>): Instance => ({
  instance_id: "pytest-dev__pytest-5227",
  repo: "pytest-dev/pytest",
  base_commit: "2051e30b9b596e944524ccb787ed20f9f5be93e3",
  patch: "",
  test_patch: patch,
  problem_statement: "",
  hints_text: "",
  created_at: "",
  version: "4.4",
  environment_setup_commit: "",
  FAIL_TO_PASS: [],
  PASS_TO_PASS: [],
  ...over,
});

describe("instanceImageName", () => {
  it("lowercases the id and replaces __ with _1776_", () => {
    expect(instanceImageName("Django__Django-11099")).toBe("swebench/sweb.eval.x86_64.django_1776_django-11099:latest");
    expect(instanceImageName("sympy__sympy-20590", "myorg")).toBe(
      "myorg/sweb.eval.x86_64.sympy_1776_sympy-20590:latest",
    );
  });
  it("keeps local (namespace-less) names as the harness builds them", () => {
    expect(instanceImageName("sympy__sympy-20590", "")).toBe("sweb.eval.x86_64.sympy__sympy-20590:latest");
  });
});

describe("makeTestSpec", () => {
  it("builds the pytest spec and script for a known repo/version", () => {
    const spec = makeTestSpec(instance({}), { namespace: "mirror" });
    expect(spec).toMatchObject({
      instanceId: "pytest-dev__pytest-5227",
      testDirectives: ["tests/test_x.py"],
      testCommand: "pytest -rA tests/test_x.py",
      image: "mirror/sweb.eval.x86_64.pytest-dev_1776_pytest-5227:latest",
      logParser: "parse_log_pytest",
    });
    const lines = spec.evalScript.split("\n");
    expect(lines.slice(0, 2)).toEqual(["#!/bin/bash", "set -uxo pipefail"]);
    const checkout = "git checkout 2051e30b9b596e944524ccb787ed20f9f5be93e3 tests/test_x.py";
    expect(lines.filter((l) => l === checkout)).toHaveLength(2);
    expect(spec.evalScript).toContain(`git apply -v - <<'EOF_114329324912'\n${patch}\nEOF_114329324912\n`);
    expect(spec.evalScript.endsWith(`: '>>>>> End Test Output'\n${checkout}\n`)).toBe(true);
  });

  it("names the instance and the known repos when the repo is unknown", () => {
    const call = () => makeTestSpec(instance({ instance_id: "acme__rocket-1", repo: "acme/rocket" }));
    expect(call).toThrow(UnknownSpecError);
    expect(call).toThrow(
      /instance acme__rocket-1: .*repo "acme\/rocket" is not one of the known repos \(.*django\/django/,
    );
  });

  it("names the instance and the known versions when the version is unknown", () => {
    expect(() => makeTestSpec(instance({ version: "99.0" }))).toThrow(
      /instance pytest-dev__pytest-5227: .*version "99.0" is not one of pytest-dev\/pytest's known versions \(4\.4, /,
    );
  });
});
