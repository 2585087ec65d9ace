"""Cases for the location fill and the reproduction-test vote key (our own generator).

Writes cases.json: {"fill": [...], "order": [...], "test_keys": [...]}; run_reference_fill.py
adds the reference's outputs. Usage: python3 generate_fill_cases.py OUT.json [seed]
"""
import json
import random
import sys

R = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1606)

FILES = ["a/core.py", "a/util.py", "b/io.py", "b/__init__.py", "setup.py", "docs/conf.py", "a/x/y.py"]


def location_set():
    u = R.random()
    if u < 0.15:
        return []
    if u < 0.25:
        return [R.choice(FILES[:2])]
    return R.sample(FILES, R.randint(1, 4))


def fill_case(i):
    sets = [location_set() for _ in range(R.randint(1, 10))]
    if R.random() < 0.2:  # repeats of earlier sets
        sets += [list(R.choice(sets)) for _ in range(R.randint(1, 4))]
        R.shuffle(sets)
    if R.random() < 0.05:
        sets = [[] for _ in sets]
    return {"id": i, "sets": sets, "samples": R.choice([1, 2, 3, 4, 5, 8, 10, 16, 40])}


NAMES = ["test_issue", "test_reproduce", "reproduce_issue", "main", "check_bug", "test__rules__std_L060_raised", "run"]


def body(name, style):
    q = '"' if style["dq"] else "'"
    doc = f'    {q*3}Reproduce the issue.{q*3}\n' if style["doc"] else ""
    c = "  # check it" if style["comment"] else ""
    paren = "(" if style["paren"] else ""
    close = ")" if style["paren"] else ""
    blank = "\n" * style["blank"]
    lines = [
        "import sys" + c,
        "from pkg import thing" if R.random() < 0.5 else "import pkg.thing as thing",
        blank,
        f"def {name}():",
        doc.rstrip("\n") if doc else None,
        "    try:",
        f"        result = {paren}thing.run({q}x{q}, 1){close}" + c,
        f"        assert result == {q}ok{q}",
        f"        print({q}Issue resolved{q})",
        "    except AssertionError:",
        f"        print({q}Issue reproduced{q})",
        "    except Exception:",
        f"        print({q}Other issues{q})" + c,
        blank,
    ]
    return "\n".join(l for l in lines if l is not None)


def tail(name, kind):
    if kind == "call":
        return f"{name}()"
    if kind == "main":
        return f'if __name__ == "__main__":\n    {name}()'
    if kind == "comment":
        return f"{name}()\n# end of test"
    if kind == "noparen":
        return f"{name}()\nx = 1"
    if kind == "paren_first":
        return f"{name}()\n(print('done'))"
    if kind == "string":
        return f'{name}()\n"""trailing docstring"""'
    if kind == "args":
        return f"{name}(1, key='v')"
    return ""


def test_key_case(i):
    u = R.random()
    if u < 0.03:
        code = ""
    elif u < 0.06:
        code = "print 'Issue reproduced'\n"  # Python 2: does not parse
    elif u < 0.09:
        code = "def test_it(:\n    print('Issue reproduced')\ntest_it()"
    else:
        name = R.choice(NAMES)
        style = {"dq": R.random() < 0.5, "doc": R.random() < 0.3, "comment": R.random() < 0.3, "paren": R.random() < 0.3, "blank": R.randint(0, 3)}
        code = body(name, style) + "\n" + tail(name, R.choice(["call", "call", "main", "comment", "noparen", "paren_first", "string", "args", "none"]))
        if R.random() < 0.1:
            code = code.replace("    ", "\t")
        if R.random() < 0.1:
            code = "#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n" + code
    return {"id": i, "code": code.strip()}


cases = {
    "fill": [fill_case(i) for i in range(600)],
    "order": [{"id": k * 12 + m - 1, "sets": k, "per_set": m} for k in range(1, 6) for m in range(1, 13)],
    "test_keys": [test_key_case(i) for i in range(600)],
}
with open(sys.argv[1], "w") as f:
    json.dump(cases, f)
