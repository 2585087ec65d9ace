// Python source of the memo check of the agentless normalizer (run after the worker's model
// source by src/normalize/agentless-memo.test.ts): the worker keeps what re-rendering a new
// member's or statement's text made and reuses it when that text comes again. The same
// snippets are inserted before every line of classes at many places in ONE process: first
// member with and without a docstring, after a method (a string statement is then kept), after
// an assignment, in method bodies, in classes indented 4 and 8 spaces (so one text shows up at
// two depths); each patched Model is compared with the whole-file computation. Prints one JSON
// object: cases, levels and mismatches. Also docstrings and f-strings sharing string values,
// rendered through the worker's kept string-literal helper against the unparser's own.
import { WHOLE_FILE_REFERENCE } from "./agentless-member-edits.js";
export const MEMO_CHECK =
  WHOLE_FILE_REFERENCE +
  String.raw`
def functions_rendered(text):
    return {n: ast.unparse(f) for n, f in function_nodes(ast.parse(text)).items()}


SNIPPETS = [
    ['"note"', "y = 1"],
    ['"a".join(y)'],
    ["'''doc'''", "def m(self):", "    return 1"],
    ["def m(self):", '    "doc"', "    return 2"],
    ["y = 1", '"after"'],
    ["if x:", "    y = 2", '"after block"'],
]


def base_files():
    """Classes where the line "x = 1" is a member (or method statement) in many contexts."""
    files = []
    for pad in ("    ", "        "):
        p2, p3 = pad * 2, pad * 3
        files.append("\n".join([
            "import os", "x = 1", "", "", "class A:", pad + "x = 1", pad + "def f(self):", p2 + "x = 1",
            p2 + "if self:", p3 + "x = 1", p2 + "x = 1", p2 + "return 1", pad + "x = 1", pad + "x = 1",
            "", "", "class B:", pad + '"""Doc."""', pad + "x = 1", pad + "def g(self):",
            p2 + '"""Doc."""', p2 + "x = 1", p2 + "return 3", pad + "class C:", p2 + "x = 1",
            p2 + "def h(self):", p3 + "return 4", p2 + "x = 1", pad + "x = 1", "", "",
            "def top():", pad + "x = 1", pad + "return 6", "x = 1", ""]))
    return files


def edits(lines):
    """Each "x = 1" line replaced by each snippet, then each snippet inserted before each line."""
    for i, line in enumerate(lines):
        if line.strip() == "x = 1":
            pad = line[:len(line) - len(line.lstrip())]
            for snippet in SNIPPETS:
                yield i, snippet, lines[:i] + [pad + s for s in snippet] + lines[i + 1:]
    for i, line in enumerate(lines):
        if line.strip():
            pad = line[:len(line) - len(line.lstrip())]
            for snippet in SNIPPETS:
                yield i, snippet, lines[:i] + [pad + s for s in snippet] + lines[i:]


def run():
    result = {"cases": 0, "levels": {}, "mismatches": []}
    for content in base_files():
        original = Model(content)
        lines = content.split("\n")
        old_unparsed, old_stripped = reference(content)
        for i, snippet, new_lines in edits(lines):
            new = "\n".join(new_lines)
            model, level = patched_counted(original, new, result)
            unparsed, stripped = reference(new)
            problems = []
            if model.unparsed.text != unparsed:
                problems.append("unparsed text")
            if (None if model.stripped is None else model.stripped.text) != stripped:
                problems.append("stripped text")
            elif stripped is not None:
                got = {n: ast.unparse(f) for n, f in model.stripped.functions().items()}
                if got != functions_rendered(stripped):
                    problems.append("functions")
            both = old_stripped is not None and stripped is not None
            a, b = compared_texts(original, model)
            if (a.text, b.text) != ((old_stripped, stripped) if both else (old_unparsed, unparsed)):
                problems.append("compared texts")
            if problems:
                result["mismatches"].append({"line": i, "snippet": snippet, "problems": problems})
    return result


def literal_check():
    """One string value as a docstring and as f-string parts (escaped differently, other
    quotes left) rendered through the kept literal helper, both orders, against the
    unparser's own helper: [sources, renderings that differ]."""
    values = ["a\nb", '"', "'''", 'x"', "\\", "tab\there", "\x00", "q'\"", 'end"', "\u00e9", ""]
    shapes = ["def f():\n    %s\n", "x = f'{v}' %s", "x = f'{v}' %s f'{w}'", "x = f'{v}\"' %s", "x = f\"{v}'\" %s"]
    trees = []
    for value in values:
        for shape in shapes:
            try:
                trees.append(ast.parse(shape % repr(value)))
            except SyntaxError:
                pass
    kept = [ast.unparse(t) for t in trees] + [ast.unparse(t) for t in reversed(trees)]
    helper = ast._Unparser._str_literal_helper
    ast._Unparser._str_literal_helper = helper.plain
    try:
        plain = [ast.unparse(t) for t in trees] + [ast.unparse(t) for t in reversed(trees)]
    finally:
        ast._Unparser._str_literal_helper = helper
    return [len(trees), [p for k, p in zip(kept, plain) if k != p]]


result = run()
result["literals"] = literal_check()
print(json.dumps(result))
`;
