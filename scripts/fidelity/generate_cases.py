"""Model-like outputs, slips included, for the strict-profile fidelity tests (our own generator).

Writes cases.json: {"repair": [...], "syntax": [...], "localize": [...], "verdict": [...],
"extract": [...]}. run_reference.py adds the reference functions' outputs to each case.
Usage: python3 generate_cases.py OUT.json [seed]
"""
import json
import random
import sys

R = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 16)

FILES = {
    "pkg/core.py": "import os\n\n\ndef add(a, b):\n    return a + b\n\n\ndef sub(a, b):\n    return a - b\n\n\nclass Box:\n    def __init__(self, v):\n        self.v = v\n\n    def get(self):\n        return self.v\n",
    "pkg/util/strings.py": "def upper(s):\n    return s.upper()\n\n\ndef lower(s):\n    return s.lower()  # lower\n\n\nVALUE = 1\nVALUE = 1\n",
    "pkg/__init__.py": "from .core import add\n",
    "setup.py": "from setuptools import setup\n\nsetup(name='pkg')\n",
    "pkg/legacy.py": "def old():\n    print 'hi'\n",
    "docs/conf.py": "project = 'x'\r\nversion = '1'\r\n",
    "pkg/empty.py": "",
}

EDITS = [
    ("pkg/core.py", "    return a + b", "    return int(a) + int(b)"),
    ("pkg/core.py", "def sub(a, b):\n    return a - b", "def sub(a, b):\n    return b - a"),
    ("pkg/core.py", "        return self.v", "        return self.v or None"),
    ("pkg/core.py", "import os", "import os\nimport sys"),
    ("pkg/util/strings.py", "    return s.upper()", "    return str(s).upper()"),
    ("pkg/util/strings.py", "VALUE = 1", "VALUE = 2"),
    ("pkg/util/strings.py", "lower", "casefold"),
    ("pkg/__init__.py", "from .core import add", "from .core import add, sub"),
    ("setup.py", "setup(name='pkg')", "setup(name='pkg', version='1')"),
    ("pkg/legacy.py", "    print 'hi'", "    print('hi')"),
    ("docs/conf.py", "version = '1'", "version = '2'"),
]

BAD_REPLACES = ["    return (a +", "def broken(:\n    pass", "    return a + b\n  x = 1", "\tif True:\n        pass"]


def block(path, search, replace, fence="```python", path_line=None, markers=("<<<<<<< SEARCH", "=======", ">>>>>>> REPLACE"), close="```"):
    head = f"### {path}" if path_line is None else path_line
    lines = [fence] if fence is not None else []
    if head != "":
        lines.append(head)
    lines += [markers[0], search, markers[1], replace, markers[2]]
    if close is not None:
        lines.append(close)
    return "\n".join(lines)


def slip_block(path, search, replace):
    kind = R.choice(["ok"] * 6 + ["fence_plain", "fence_py", "path_hash2", "path_bare", "path_dot", "path_suffix", "no_path",
                     "marker_space", "marker6", "divider_space", "no_close", "trailing_ws", "indent_off", "crlf", "not_found",
                     "empty_search", "identical", "bad_syntax", "blank_only", "midline", "path_quoted", "fence_space"])
    if kind == "fence_plain":
        return block(path, search, replace, fence="```"), kind
    if kind == "fence_py":
        return block(path, search, replace, fence="```py"), kind
    if kind == "fence_space":
        return block(path, search, replace, fence="```python "), kind
    if kind == "path_hash2":
        return block(path, search, replace, path_line=f"## {path}"), kind
    if kind == "path_bare":
        return block(path, search, replace, path_line=path), kind
    if kind == "path_dot":
        return block(path, search, replace, path_line=f"### ./{path}"), kind
    if kind == "path_suffix":
        return block(path, search, replace, path_line=f"### {path.split('/')[-1]}"), kind
    if kind == "path_quoted":
        return block(path, search, replace, path_line=f"### `{path}`"), kind
    if kind == "no_path":
        return block(path, search, replace, path_line=""), kind
    if kind == "marker_space":
        return block(path, search, replace, markers=("<<<<<<< SEARCH ", "=======", ">>>>>>> REPLACE")), kind
    if kind == "marker6":
        return block(path, search, replace, markers=("<<<<<< SEARCH", "=======", ">>>>>> REPLACE")), kind
    if kind == "divider_space":
        return block(path, search, replace, markers=("<<<<<<< SEARCH", "======= ", ">>>>>>> REPLACE")), kind
    if kind == "no_close":
        return block(path, search, replace, close=None), kind
    if kind == "trailing_ws":
        return block(path, search.replace("\n", "  \n") + " ", replace), kind
    if kind == "indent_off":
        return block(path, search.lstrip(), replace.lstrip()), kind
    if kind == "crlf":
        return block(path, search, replace).replace("\n", "\r\n"), kind
    if kind == "not_found":
        return block(path, search + "_nope", replace), kind
    if kind == "empty_search":
        return block(path, "", replace), kind
    if kind == "identical":
        return block(path, search, search), kind
    if kind == "bad_syntax":
        return block(path, search, R.choice(BAD_REPLACES)), kind
    if kind == "blank_only":
        return block(path, search, search + "\n\n"), kind
    if kind == "midline":
        return block(path, search.strip()[3:], replace.strip()[3:]), kind
    return block(path, search, replace), kind


def wrap(body, style):
    if style == "plain":
        return body
    if style == "prose":
        return "Here is the fix.\n\n" + body + "\n\nThis should resolve the issue."
    if style == "think":
        return "<think>\nThe bug is in the code.\n</think>\n<solution>\n" + body + "\n</solution>"
    if style == "think_unclosed":
        return "<think>\nhmm\n</think>\n<solution>\n" + body
    if style == "think_blocks_inside":
        inner = block(*EDITS[R.randrange(len(EDITS))])
        return "<think>\nMaybe:\n" + inner + "\n</think>\n<solution>\n" + body + "\n</solution>"
    if style == "no_solution_tag":
        return "<think>\nx\n</think>\n" + body
    return body


def repair_case(i):
    files = dict(FILES)
    loc = R.sample(sorted(files), R.randint(1, 4))
    n = R.choice([1, 1, 2, 2, 3])
    parts, kinds = [], []
    for _ in range(n):
        path, s, r = R.choice(EDITS) if R.random() < 0.8 else (R.choice(loc), "x = 1", "x = 2")
        if R.random() < 0.15:
            path = R.choice(sorted(files))
        b, k = slip_block(path, s, r)
        parts.append(b)
        kinds.append(k)
    if n > 1 and R.random() < 0.2:  # several edits in one fence
        body = "```python\n" + "\n".join(p.replace("```python\n", "").replace("\n```", "") for p in parts) + "\n```"
        kinds.append("shared_fence")
    else:
        body = "\n\n".join(parts)
    style = R.choice(["plain", "plain", "prose", "think", "think", "think_unclosed", "think_blocks_inside", "no_solution_tag"])
    if R.random() < 0.03:
        body, kinds = "I could not find the bug.", ["no_blocks"]
    return {"id": i, "output": wrap(body, style), "thinking": R.random() < 0.5,
            "file_contents": {p: files[p] for p in loc}, "kinds": kinds + [style]}


SNIPPETS_OK = ["x = 1\n", "def f(a, *, b=2):\n    return a\n", "async def g():\n    await h()\n", "match x:\n    case 1:\n        pass\n",
               "with (open('a') as f, open('b') as g):\n    pass\n", "print(f'{x!r:>{w}}')\n", "lambda: (yield)\n", "if (n := 10) > 5:\n    pass\n",
               "class A:\n    '''doc'''\n", "x = [i for i in range(3)]  # c\n", "try:\n    pass\nexcept* ValueError:\n    pass\n", "x = 1\r\ny = 2\r\n", "\ufeffx = 1\n",
               "def f():\n\treturn 1\n", "a = '''\nmulti\n'''\n", "global_var: int = 3\n"]
SNIPPETS_BAD = ["print 'x'\n", "def f(:\n    pass\n", "x = (1,\n", "if True:\npass\n", "def f():\n\treturn 1\n        return 2\n", "return 1\n",
                "x = 'unterminated\n", "class :\n", "f(**x, *y)\n", "x = 1 +\n", "def f():\n    yield = 3\n", "print(f'{x=!}')\n",
                "a = 0777\n", "exec 'code'\n", "x = $\n", "else:\n    pass\n", "def f():\n  x = 1\n    y = 2\n", "break\n"]


def syntax_case(i):
    k = R.randint(1, 4)
    texts = []
    for _ in range(k):
        u = R.random()
        if u < 0.05:
            texts.append(R.choice(["", "   \n", "\n\n\t"]))
        elif u < 0.55:
            texts.append("".join(R.choice(SNIPPETS_OK) for _ in range(R.randint(1, 4))))
        else:
            ok = [R.choice(SNIPPETS_OK) for _ in range(R.randint(0, 3))]
            ok.insert(R.randint(0, len(ok)), R.choice(SNIPPETS_BAD))
            texts.append("".join(ok))
    return {"id": i, "texts": texts}


LISTED = ["astropy/io/fits/card.py", "astropy/io/fits/header.py", "astropy/units/core.py", "astropy/__init__.py", "setup.py",
          "astropy/utils/misc.py", "astropy/table/table.py"]
NOT_LISTED = ["astropy/io/fits/tests/test_card.py", "docs/conf.py", "astropy/io/fits/cards.py", "README.rst"]


def loc_line(path):
    kind = R.choice(["exact"] * 5 + ["dash", "num", "star", "backtick", "dot", "slash", "a_prefix", "trailing_space", "leading_space",
                                      "colon_line", "comment", "crlf_only", "bold"])
    return {"exact": path, "dash": f"- {path}", "num": f"1. {path}", "star": f"* {path}", "backtick": f"`{path}`", "dot": f"./{path}",
            "slash": f"/{path}", "a_prefix": f"astropy/{path}", "trailing_space": path + " ", "leading_space": " " + path,
            "colon_line": f"{path}:12", "comment": f"{path}  # main", "crlf_only": path + "\r", "bold": f"**{path}**"}[kind]


def localize_case(i):
    n = R.randint(0, 7)
    paths = [R.choice(LISTED) if R.random() < 0.8 else R.choice(NOT_LISTED) for _ in range(n)]
    lines = [loc_line(p) for p in paths]
    fence = R.choice(["```", "```", "```text", "```python", None])
    body = "\n".join(lines)
    if fence:
        body = f"{fence}\n{body}\n```"
    style = R.choice(["plain", "plain", "prose", "think", "think", "no_solution_tag", "think_unclosed", "blank"])
    if style == "blank":
        out = R.choice(["", "   ", "\n"])
    elif style == "prose":
        out = "The files to edit are:\n" + body + "\nThat's all."
    else:
        out = wrap(body, style)
    if R.random() < 0.1:
        out = out.replace("\n", "\r\n")
    return {"id": i, "output": out, "thinking": R.random() < 0.5, "listed": LISTED}


MSGS = ["Issue reproduced", "Issue resolved", "Other issues"]
NOISE = ["Traceback (most recent call last):\n  File \"reproduce_bug.py\", line 3\nValueError: x", "+ python3 reproduce_bug.py", "collected 3 items",
         "print(\"Issue resolved\")", "issue reproduced", "Issue  reproduced", "Issue Reproduced", "Issue reproduced.", ">>> Other issues!",
         "\x1b[31mIssue reproduced\x1b[0m", "Issue \x1b[1mresolved", "Issue \x1b[1;31mresolved", "Other\x1b[0m issues", "Issue\treproduced",
         "Issue re\x1b[32mproduced", "\x1b[0m", "Issue resolved\r\n", "Issue\r\nresolved"]


def verdict_case(i):
    lines = []
    for _ in range(R.randint(0, 6)):
        u = R.random()
        lines.append(R.choice(MSGS) if u < 0.45 else R.choice(NOISE) if u < 0.8 else "noise line %d" % R.randint(0, 99))
    return {"id": i, "log": "\n".join(lines) + R.choice(["", "\n"])}


SCRIPTS = ["import x\n\ndef test_a():\n    print('Issue reproduced')\n\ntest_a()", "print('Issue resolved')", "", "   \n", "def t():\n    pass\n\nt()\n"]


def extract_case(i):
    s = R.choice(SCRIPTS)
    fence = R.choice(["```python\n", "```python", "```python3\n", "```py\n", "```\n", "```Python\n", "``` python\n"])
    body = fence + s + R.choice(["\n```", "```", "\n", "\n```\nmore\n```python\nsecond()\n```"])
    style = R.choice(["plain", "prose", "think", "think_blocks"])
    if style == "prose":
        body = "Here is a test:\n" + body + "\nDone."
    elif style == "think":
        body = "<think>\nI will write it.\n</think>\n" + body
    elif style == "think_blocks":
        body = "<think>\n```python\nprint('draft')\n```\n</think>\n" + body
    return {"id": i, "output": body}


cases = {
    "repair": [repair_case(i) for i in range(700)],
    "syntax": [syntax_case(i) for i in range(600)],
    "localize": [localize_case(i) for i in range(600)],
    "verdict": [verdict_case(i) for i in range(600)],
    "extract": [extract_case(i) for i in range(500)],
}
with open(sys.argv[1], "w") as f:
    json.dump(cases, f)
print({k: len(v) for k, v in cases.items()})
