// A small Python file that uses every construct the repo map's code paths handle: mapped a
// few times when a thread starts parsing, so that V8 has seen every branch (strings of each
// kind, brackets, continuations, clauses, match, nested classes, a syntax error) before it
// optimizes the lexer and the tree walk. Without it, the first real files deoptimize and
// re-optimize them again and again (6% fewer instructions for a cold map of sympy on one
// thread, valgrind, --workers 0).
import type Parser from "tree-sitter";
import { createPythonParser } from "../treesitter/python.js";
import { mapPythonSource } from "./extract.js";

const SAMPLE = String.raw`# -*- coding: utf-8 -*-
"""Module docstring with 'quotes' and \"escapes\"."""
import os, sys  # comment
from a import (b,
    c)
X = {'k': [1, 2, (3, 4)], "s": r'raw\d', 'f': f"{x!r}"}
Y = '''triple
single''' + """triple
double"""
Z = 1 + \
    2
@decorator(arg=1)
@other
def top(a, b=2, *args, **kw) -> int:
    """Doc."""
    if a:
        return 1
    elif b:
        pass
    else:
        for i in range(3):
            while i:
                break
            else:
                continue
    try:
        x = [i for i in y if i]
    except (ValueError, KeyError) as e:
        raise
    except Exception:
        pass
    else:
        pass
    finally:
        del x
    with open('f') as f, open("g") as g:
        async_ = lambda q: q
    if a: return 3
    for q in r: s(q)
    match a:
        case 1:
            pass
        case _:
            pass
    @wraps(f)
    def inner(*a) -> Optional[int]:
        return 2
    if (a and
            b):
        pass
    return inner
def factory():
    class Local:
        def m(self):
            return 2
    return Local
async def co():
    async with a as b:
        await b
    async for i in c:
        yield i
class K(Base, metaclass=M):
    'doc'
    attr: int = 1
    class Nested:
        pass
    @property
    def p(self): return self._p
    if True:
        def q(self):
            pass
if __name__ == "__main__":
    top(1)
`;

// Broken: tree-sitter's error and the fallback to a full parse; an unclosed bracket; an
// unterminated string at the end of a file without a final newline.
const BROKEN = [
  SAMPLE.replace("    elif b:", "    elif b").replace("class K(", "class K(("),
  `${SAMPLE}x = 'open\ny = 1`,
  // a string continued with a backslash, and a stray backslash outside any string
  `${SAMPLE}s = 'line\\\ncontinued'\nz = a \\ b\n`,
];

// Enough for V8 to collect feedback for every function involved, not so many that it optimizes
// during the warm-up (sympy, one worker and this thread: 1 round 33 deoptimizations and 131
// optimized compiles, 2 rounds 19 and 104, 4 rounds 13 and 91, 10 rounds 14 and 121).
const ROUNDS = 4;

/** A new Python parser for this thread, with the sample files mapped a few times. */
export function warmPythonParser(): Parser {
  const parser = createPythonParser();
  for (let i = 0; i < ROUNDS; i++) {
    mapPythonSource(parser, SAMPLE, "skeleton");
    for (const text of BROKEN) mapPythonSource(parser, text, "skeleton");
  }
  return parser;
}
