// The map of one Python file, from tree-sitter: names and line ranges, and the skeleton's
// promise that it changes nothing but speed.
import { describe, expect, it } from "vitest";
import { mapPythonSource, type ParseMode } from "./extract.js";
import {
  BROKEN_MAP,
  BROKEN_PY,
  SHAPES_MAP,
  SHAPES_PY,
  UNCLOSED_MAP,
  UNCLOSED_PY,
} from "../../test/support/repomap/fixture-python.js";
import { createPythonParser } from "../treesitter/python.js";
import { pythonSkeleton } from "./skeleton.js";

const parser = createPythonParser();
const MODES: ParseMode[] = ["skeleton", "full"];

describe("mapPythonSource", () => {
  for (const mode of MODES) {
    it(`maps nested classes, decorated and async defs, defs under if/else/try (${mode})`, () => {
      expect(mapPythonSource(parser, SHAPES_PY, mode)).toEqual(SHAPES_MAP);
    });

    it(`keeps what tree-sitter recovers from files with syntax errors (${mode})`, () => {
      expect(mapPythonSource(parser, BROKEN_PY, mode)).toEqual(BROKEN_MAP);
      expect(mapPythonSource(parser, UNCLOSED_PY, mode)).toEqual(UNCLOSED_MAP);
    });
  }

  it("counts lines the way Python does: CRLF, lone CR, tabs, form feeds", () => {
    const crlf = "def a():\r\n    return 1\r\n\r\nclass K:\r\n    pass\r\n";
    expect(mapPythonSource(parser, crlf)).toMatchObject({
      functions: [{ name: "a", start_line: 1, end_line: 2 }],
      classes: [{ name: "K", start_line: 4, end_line: 5 }],
    });
    expect(mapPythonSource(parser, "x = 1\rdef b():\r    pass\r").functions).toEqual([
      { name: "b", start_line: 2, end_line: 3 },
    ]);
    const tabs = "\fdef tabbed():\n\tif x:\n\t\treturn 1\n\treturn 2\n";
    expect(mapPythonSource(parser, tabs).functions).toEqual([{ name: "tabbed", start_line: 1, end_line: 4 }]);
  });
});

// Lexer corner cases: each must map the same through the skeleton as through a full parse.
const CORNERS: Record<string, string> = {
  "escaped newline in a string, quotes in comments and strings":
    "x = 'a\\\nb'\n# it's (not code\ndef f():\n    return \"it's # not a comment\"\n",
  "backslash continuation, one-line class": "def g():\n    y = 1 + \\\n        2\nclass C: pass\n",
  "continuation into a comment line": "def g():\n    assert f(x) \\\n        # says why\n\n\ndef h():\n    pass\n",
  "brackets in defaults and annotations, f-strings":
    'def h(a=(1, [2, {3: 4}]), *args, **kw) -> dict[str, "int"]:\n    return f"{a!r:>{10}} {kw[\'x\']}"\ndef i(): pass\n',
  "match statement with a def and a class in cases":
    'def m(cmd):\n    match cmd:\n        case {"op": op} if op:\n            def nested(): pass\n        case [x, *rest]:\n            pass\n        case _:\n            class InCase:\n                def run(self): pass\n',
  "match and case used as names": "match = 1\ncase = match\nmatch(case)\ndef after(): pass\n",
  "walrus in while, semicolons, except*":
    "while chunk := read(): pass\na = 1; b = 2\ntry:\n    pass\nexcept* ValueError as e:\n    def handler(): pass\n",
  "Python 2 print and exec statements":
    'def old():\n    print "hello %s" % `x`\n    exec "y = 1"\nclass Old:\n    def m(self): print 1\n',
  "triple-quoted strings holding quotes":
    "s = '''a ''' + \"\"\"b \\\"\"\" c\"\"\"\ndef t():\n    '''doc with \"\"\" inside'''\n    return 1\n",
  "multi-line decorator with brackets in a comment and a string":
    '@decorator(  # comment ) with paren\n    arg=")",\n)\nasync def decorated():\n    pass\n',
  "methods under if TYPE_CHECKING in a class body":
    "class T:\n    if TYPE_CHECKING:\n        def typed(self) -> int: ...\n    else:\n        def untyped(self): ...\n",
  "dict of lambdas at module level": 'CONFIG = {\n    "a": lambda: (yield),\n}\ndef after_config(): pass\n',
  "unterminated string (lexer gives up)": "def broken():\n    s = 'no end\nclass After:\n    pass\n",
};

describe("pythonSkeleton", () => {
  for (const [name, src] of Object.entries(CORNERS)) {
    it(`changes nothing in the map: ${name}`, () => {
      const full = mapPythonSource(parser, src, "full");
      expect(full.classes.length + full.functions.length).toBeGreaterThan(0);
      expect(mapPythonSource(parser, src, "skeleton")).toEqual(full);
      if (!name.includes("gives up")) {
        // the skeleton itself was used, not the fallback
        const skel = pythonSkeleton(src);
        expect(skel.clean && !parser.parse(skel.text).rootNode.hasError).toBe(true);
      }
    });
  }

  it("keeps every row and reduces simple statements", () => {
    const skel = pythonSkeleton(SHAPES_PY);
    expect(skel.clean).toBe(true);
    expect(skel.text.split("\n").length).toBe(SHAPES_PY.split("\n").length);
    expect(skel.text.length).toBeLessThan(SHAPES_PY.length * 0.7);
    expect(skel.text).not.toContain("functools.lru_cache(\n"); // bracket bodies emptied
    expect(skel.text).not.toContain("trailing comment");
  });

  it("says when it cannot be trusted", () => {
    expect(pythonSkeleton("x = (1,\n").clean).toBe(false);
    expect(pythonSkeleton("x = 1)\n").clean).toBe(false);
    expect(pythonSkeleton("x = [1)\n").clean).toBe(false);
    expect(pythonSkeleton("s = '''never closed\n").clean).toBe(false);
  });
});
