// The syntax check: tree-sitter on real Python (the standard library of the python3 on this
// machine), the incremental re-parse agreeing with a full parse on random edits.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import Parser from "tree-sitter";
import Python from "tree-sitter-python";
import { chunkedInput, newSyntaxErrors, PythonSyntaxChecker, pythonSyntaxError } from "./syntax.js";

const stdlib = execFileSync("python3", ["-c", "import os; print(os.path.dirname(os.__file__))"], {
  encoding: "utf8",
}).trim();
const realFiles = readdirSync(stdlib)
  .filter((f) => f.endsWith(".py"))
  .sort()
  .slice(0, 40)
  .map((f) => ({ path: f, text: readFileSync(join(stdlib, f), "utf8") }))
  .filter((f) => f.text.length > 3000);

describe("Python syntax check (tree-sitter)", () => {
  it("finds errors with a position; clean code passes", () => {
    expect(pythonSyntaxError("def f(:\n    pass\n")).toMatch(/^line 1, column \d+/);
    expect(pythonSyntaxError("x = (1,\n")).not.toBeNull();
    expect(pythonSyntaxError("def f():\n    return 1\n")).toBeNull();
    expect(realFiles.length).toBeGreaterThan(10);
    for (const f of realFiles)
      expect({ path: f.path, error: pythonSyntaxError(f.text) }).toEqual({ path: f.path, error: null });
  });

  it("blames only errors the edit introduced, and only in Python files", () => {
    expect(
      newSyntaxErrors(
        { "a.py": "x = 1\n", "b.py": "def (:\n", "c.txt": "(" },
        { "a.py": "x = (\n", "b.py": "def (:\n y", "c.txt": "((" },
      ),
    ).toEqual({ "a.py": expect.stringMatching(/^line 1/) });
  });

  it("the incremental re-parse agrees with a full parse on random edits of real files (UTF-16 offsets included)", () => {
    let seed = 11;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const edits: Array<(line: string) => string> = [
      (l) => l + "(",
      (l) => l.replace(/:\s*$/, ""),
      (l) => "    " + l,
      (l) => l + "  # ünïcødé ✓ 𝔘",
      (_l) => "",
      (l) => l.replace(")", ""),
      (l) => `${l}\nvalue = "é" if x else y`,
      (l) => l.replace(/^(\s*)/, "$1return "),
    ];
    let broken = 0;
    let cases = 0;
    for (const f of realFiles) {
      const checker = new PythonSyntaxChecker();
      for (let r = 0; r < 8; r++) {
        const lines = f.text.split("\n");
        for (let k = 0, n = 1 + rand(2); k < n; k++) {
          const at = rand(lines.length);
          lines[at] = edits[rand(edits.length)](lines[at]);
        }
        const edited = lines.join("\n");
        const full = pythonSyntaxError(edited);
        const incremental = checker.introducedError(f.path, f.text, edited);
        expect({ path: f.path, r, broken: incremental !== null }).toEqual({ path: f.path, r, broken: full !== null });
        expect(checker.introducedError(f.path, f.text, edited)).toBe(incremental); // cached verdict
        if (full) broken++;
        cases++;
      }
    }
    expect(broken).toBeGreaterThan(cases / 5);
    expect(broken).toBeLessThan(cases);
  });

  it("reads the text in chunks into the very tree a whole-string parse gives (astral characters across chunk ends)", () => {
    const parser = new Parser();
    parser.setLanguage(Python as Parser.Language);
    const big = realFiles.filter((f) => f.text.length > 9000).slice(0, 5);
    expect(big.length).toBe(5);
    for (const f of big) {
      for (const at of [4095, 4096, 8191]) {
        for (const insert of ["𝔘", "# 𝔘𝔘\n", "(", "é"]) {
          const text = f.text.slice(0, at) + insert + f.text.slice(at);
          const whole = parser.parse(text).rootNode.toString();
          expect(parser.parse(chunkedInput(text)).rootNode.toString(), `${f.path} ${at} ${insert}`).toBe(whole);
        }
      }
    }
    // a surrogate pair is never split: the chunk ending at it is one longer
    const read = chunkedInput("x".repeat(4095) + "𝔘" + "y");
    expect(read(0)).toHaveLength(4097);
    expect(read(4097)).toBe("y");
  });
});
