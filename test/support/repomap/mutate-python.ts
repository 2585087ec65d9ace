// Seeded damage to Python source (tests of the repo map's skeleton).
// Edits near a def body: the kinds of damage that decide whether tree-sitter's recovery (and
// so the map) changes.
export function mutatePython(src: string[], next: (n: number) => number): void {
  const defs = src.flatMap((l, i) => (/^\s*(async\s+)?def\b/.test(l) ? [i] : []));
  const at = defs.length > 0 ? Math.min(src.length - 1, defs[next(defs.length)]! + 1 + next(12)) : next(src.length);
  const text = src[at]!;
  const indent = /^\s*/.exec(text)![0];
  const inserts = [
    "else:",
    "except ValueError:",
    "finally:",
    "elif x:",
    "try:",
    "class Inner:",
    "class Inner(Base): pass",
    "@decorator",
    "match x:",
    "case 1:",
    "async with lock:",
    "def helper(a, b) -> int:",
    "x = (1 +",
    "if a and \\",
    "\tif tabbed:",
    "return",
  ];
  switch (next(6)) {
    case 0: // drop a header's colon
      src[at] = text.replace(/:\s*$/, "");
      break;
    case 1: // dedent or indent by a few spaces
      src[at] = next(2) === 0 ? text.replace(/^ {1,3}/, "") : "  " + text;
      break;
    case 2: // a statement at this line's indentation, or deeper
      src.splice(at, 0, indent + (next(3) === 0 ? "    " : "") + inserts[next(inserts.length)]!);
      break;
    case 3: // lose a line (perhaps a header's only statement)
      src.splice(at, 1);
      break;
    case 4: // a nested class with a method, inside a function body
      src.splice(at, 0, `${indent}class Local:`, `${indent}    def method(self):`, `${indent}        return 1`);
      break;
    default: // a one-line header with a block after it
      src.splice(at, 0, `${indent}if x: y = 1`, `${indent}    z = 2`);
  }
}
