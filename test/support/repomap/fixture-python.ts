// Test support: Python files with known maps (nested classes, decorators, async defs, code
// under if/else/try, a one-line class with a multi-line string, syntax errors). Line numbers
// were checked against Python's ast (lineno/end_lineno, ast.walk order for classes).
import type { PyFileMap } from "../../../src/repomap/types.js";

export const SHAPES_PY = `import functools


def helper(x):
    """Doc."""
    def inner():  # closure: not listed
        return x
    return inner


@functools.lru_cache(
    maxsize=None,
)
def cached(n):
    return n * 2
    # trailing comment, not part of the function


class Shape:
    """A shape."""

    class Meta:
        ordering = ["name"]

        class Deeper:
            pass

    @property
    def area(self):
        return 0

    @staticmethod
    async def fetch(url):
        data = await get(
            url,
        )
        return data

    if True:
        def conditional(self):
            pass

    def _local(self):
        class InFunction:
            def m(self):
                pass
        return InFunction


async def main():
    await Shape.fetch("x")


if __name__ == "__main__":
    def entry():
        return "s = '''"
else:
    class Fallback:
        def run(self):
            ...

try:
    import numpy
except ImportError:
    def numpy_missing():
        pass


class Last(Shape, metaclass=type): x = """
multi-line string
"""
`;

export const SHAPES_MAP: PyFileMap = {
  classes: [
    {
      name: "Shape",
      start_line: 19,
      end_line: 47,
      methods: [
        { name: "area", start_line: 29, end_line: 30 },
        { name: "fetch", start_line: 33, end_line: 37 },
        { name: "conditional", start_line: 40, end_line: 41 },
        { name: "_local", start_line: 43, end_line: 47 },
      ],
    },
    { name: "Last", start_line: 69, end_line: 71, methods: [] },
    { name: "Meta", start_line: 22, end_line: 26, methods: [] },
    { name: "Fallback", start_line: 58, end_line: 60, methods: [{ name: "run", start_line: 59, end_line: 60 }] },
    { name: "Deeper", start_line: 25, end_line: 26, methods: [] },
    { name: "InFunction", start_line: 44, end_line: 46, methods: [{ name: "m", start_line: 45, end_line: 46 }] },
  ],
  functions: [
    { name: "helper", start_line: 4, end_line: 8 },
    { name: "cached", start_line: 14, end_line: 15 },
    { name: "main", start_line: 50, end_line: 51 },
    { name: "entry", start_line: 55, end_line: 56 },
    { name: "numpy_missing", start_line: 65, end_line: 66 },
  ],
  syntax_error: false,
};

/** A def without its colon: tree-sitter keeps the class before it and the def after it. */
export const BROKEN_PY = `class Good:
    def ok(self):
        return 1

def broken(self)
    pass

def after():
    return 2
`;

export const BROKEN_MAP: PyFileMap = {
  classes: [{ name: "Good", start_line: 1, end_line: 3, methods: [{ name: "ok", start_line: 2, end_line: 3 }] }],
  functions: [{ name: "after", start_line: 8, end_line: 9 }],
  syntax_error: true,
};

/** A bracket never closed: everything after it is swallowed into the first def. */
export const UNCLOSED_PY = `def first():
    return [1,
            2

class Later:
    def method(self):
        pass
`;

export const UNCLOSED_MAP: PyFileMap = {
  classes: [],
  functions: [{ name: "first", start_line: 1, end_line: 7 }],
  syntax_error: true,
};
