import { describe, expect, it } from "vitest";
import { PythonAstWorker, PythonUnavailableError } from "./worker.js";

describe("the ast.parse worker", () => {
  it("answers with Python's own parser, many requests on one process", async () => {
    const w = new PythonAstWorker();
    try {
      const answers = await Promise.all([
        w.parses(["x = 1\n", "print 'py2'\n", "match x:\n    case 1:\n        pass\n"]),
        w.parses(["def f(:\n", "__import__('os').system('touch /tmp/swerl-must-not-run')\n"]),
      ]);
      expect(answers).toEqual([
        [true, false, true],
        [false, true],
      ]);
    } finally {
      w.close();
    }
  });

  it("names the missing interpreter", async () => {
    const w = new PythonAstWorker("/nonexistent/python3");
    await expect(w.parses(["x = 1"])).rejects.toBeInstanceOf(PythonUnavailableError);
    await expect(w.parses(["x = 1"])).rejects.toThrow(/nonexistent\/python3/);
  });
});
