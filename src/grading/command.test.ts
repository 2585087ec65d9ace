// `swerl grade` end to end: real dataset file, a log file on disk, the report on stdout.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { gradeCommand, runGrade } from "./command.js";

const VERIFIED = fileURLToPath(new URL("../../../shared/datasets/swe-bench-verified.test.jsonl", import.meta.url));
const ID = "django__django-11206";
const F2P = ["test_decimal_numbers", "test_decimal_subclass"].map(
  (t) => `${t} (utils_tests.test_numberformat.TestNumberFormat)`,
);
const P2P = ["test_float_numbers", "test_format_number", "test_format_string", "test_large_number"].map(
  (t) => `${t} (utils_tests.test_numberformat.TestNumberFormat)`,
);

let dir: string;
let logPath: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "swerl-grade-"));
  logPath = join(dir, "test_output.txt");
  const lines = [
    "+ : '>>>>> Start Test Output'",
    "+ ./tests/runtests.py --verbosity 2 --settings=test_sqlite --parallel 1 utils_tests.test_numberformat",
    `${F2P[0]} ... ok`,
    `${F2P[1]} ... FAIL`,
    ...P2P.map((t) => `${t} ... ok`),
    "+ : '>>>>> End Test Output'",
  ];
  await writeFile(logPath, lines.join("\n"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("swerl grade", () => {
  it("prints the instance's report.json for the log", async () => {
    const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      await gradeCommand().parseAsync(["--dataset", VERIFIED, "--instance-id", ID, "--log", logPath], { from: "user" });
      const printed = write.mock.calls.map((c) => String(c[0])).join("");
      expect(JSON.parse(printed)).toEqual({
        [ID]: {
          patch_is_None: false,
          patch_exists: true,
          patch_successfully_applied: true,
          resolved: false,
          tests_status: {
            FAIL_TO_PASS: { success: [F2P[0]], failure: [F2P[1]] },
            PASS_TO_PASS: { success: P2P, failure: [] },
            FAIL_TO_FAIL: { success: [], failure: [] },
            PASS_TO_FAIL: { success: [], failure: [] },
          },
        },
      });
      expect(printed.startsWith(`{\n    "${ID}": {\n        "patch_is_None": false,`)).toBe(true);
    } finally {
      write.mockRestore();
    }
  });

  it("honours --patch-failed and --empty-patch", async () => {
    let out = "";
    await runGrade(
      { dataset: VERIFIED, split: "test", instanceId: ID, log: logPath, patchFailed: true },
      (t) => (out += t),
    );
    expect(JSON.parse(out)[ID]).toEqual({
      patch_is_None: false,
      patch_exists: true,
      patch_successfully_applied: false,
      resolved: false,
    });
    out = "";
    await runGrade(
      { dataset: VERIFIED, split: "test", instanceId: ID, log: logPath, emptyPatch: true },
      (t) => (out += t),
    );
    expect(JSON.parse(out)[ID].patch_is_None).toBe(true);
  });

  it("names the missing instance or unreadable log", async () => {
    const base = { dataset: VERIFIED, split: "test", log: logPath };
    await expect(runGrade({ ...base, instanceId: "nope__nope-1" }, () => {})).rejects.toThrow(
      `instance nope__nope-1 is not in dataset ${VERIFIED}`,
    );
    const missing = join(dir, "absent.txt");
    await expect(runGrade({ ...base, instanceId: ID, log: missing }, () => {})).rejects.toThrow(
      `cannot read test log ${missing}`,
    );
  });
});
