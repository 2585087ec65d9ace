// Python source of the member-level check of the agentless normalizer (run after the worker's
// model source, agentless-worker-model.ts, by src/normalize/agentless-members.test.ts): random
// line edits inside classes of real files (method bodies, docstrings, comments, decorators, the
// first and last member, nested classes, members added, removed, mis-indented or not parsing,
// string statements after blocks, the class line, statements after the class), each file's
// patched Model compared with the whole-file computation: ast.unparse of the whole parse, that
// text stripped and parsed, function_nodes of the compared text with each function rendered, and
// whether the change only adds functions. Also on random synthetic files whose classes hold many
// string statements after blocks (stripped differently there). Reads {"files": {name: text},
// "stdlib": [module files of the interpreter's standard library], "edits": n per file, "seed": s,
// "synthetic": number of synthetic files} on stdin; prints one JSON object: cases, per level and kind counts, and the mismatches.
/** Agentless's steps on a whole file, in python: the reference the piecewise results are checked against. */
export const WHOLE_FILE_REFERENCE = `
def reference(content):
    """Agentless's steps on the whole file: unparsed text (raw when it does not parse) and that
    text stripped (None when stripping fails or leaves code that does not parse)."""
    try:
        unparsed = ast.unparse(ast.parse(content))
    except Exception:
        unparsed = content
    try:
        stripped = without_comments_and_string_statements(unparsed)
        ast.parse(stripped)
    except Exception:
        stripped = None
    return unparsed, stripped


def patched_counted(original, new, result):
    """original.patched(new), counting in result the case and which pieces were re-rendered."""
    before = dict(STATS)
    model = original.patched(new)
    level = "+".join(sorted(k for k in STATS if ":" not in k and STATS[k] != before.get(k, 0))) or "unchanged"
    why = result.setdefault("why", {})
    for k in STATS:  # why a piece was widened or not split, new statements after a class
        if ":" in k and STATS[k] != before.get(k, 0):
            why[k] = why.get(k, 0) + STATS[k] - before.get(k, 0)
    result["cases"] += 1
    result["levels"][level] = result["levels"].get(level, 0) + 1
    return model, level
`;

export const MEMBER_EDITS_CHECK =
  WHOLE_FILE_REFERENCE +
  String.raw`
import random

KINDS = ["line", "comment", "docstring", "add_member", "remove_member", "decorator", "break",
         "misindent", "string_after_block", "reshape", "class_line", "after_class",
         "docstring_only", "first_member", "last_member", "swap_members", "new_docstring",
         "string_edit", "class_docstring", "head_and_first", "reindent_head", "function", "function",
         "gap", "gap", "last_and_after"]


def rendered_functions(functions):
    return {name: ast.unparse(node) for name, node in functions.items()}


def only_adds(old_text, new_text):
    """is_just_new_function on two whole texts (False where parsing raises)."""
    try:
        before, after = function_nodes(ast.parse(old_text)), function_nodes(ast.parse(new_text))
    except Exception:
        return False
    if not before.keys() <= after.keys() or len(after) == len(before):
        return False
    return all(ast.unparse(before[n]) == ast.unparse(after[n]) for n in before)


def classes_of(tree):
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            found.append(node)
    return found


def indent_of(line):
    return line[:len(line) - len(line.lstrip(" \t"))]


def function_edit(lines, tree, rng):
    """An edit inside a top-level function (its statements are pieces too), or a function added."""
    funcs = [f for f in tree.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))]
    if not funcs:
        return None
    f = rng.choice(funcs)
    out = list(lines)
    body_start = f.body[0].lineno - 1
    pad = indent_of(lines[body_start])
    r = rng.random()
    k = rng.randrange(body_start, f.end_lineno)
    if r < 0.25:
        out.insert(k, pad + "edited = %d" % rng.randrange(100))
    elif r < 0.4:
        out[k:k] = [pad + "def nested(y):", pad + "    return y"]
    elif r < 0.55:
        del out[k]
    elif r < 0.7:
        out[body_start:f.end_lineno] = [pad + rng.choice(['"""Only a docstring."""', "'kept?'", "pass"])]
    elif r < 0.85:
        out[f.end_lineno:f.end_lineno] = ["", "", "def added_function(x):", "    return x"]
    else:
        out.insert(body_start, pad + rng.choice(['"""A new docstring."""', "# comment", "'%s' % y"]))
    return out


GAP_TEXTS = [["def gap_fn(x):", "    return x"], ["GAP = 1"], ["", "class Gap:", "    pass", ""],
             ["@gap_decorator"], ["else:", "    pass"], ["# only a comment"], ["    indented = 1"],
             ['"""a string statement"""'], ["GAP = (", "    1)"]]


def gap_edit(lines, tree, rng):
    """New lines between the last code line of a top-level statement and the next statement (or
    the end of the file): new statements, a decorator of the next one, a clause or indented
    lines that continue the one before, comments; often with a second change later in the same
    gap, on the next statement's first line or on both (one change from the gap into it)."""
    body = tree.body
    if not body:
        return None
    k = rng.randrange(1, len(body) + 1)
    start = body[k - 1].end_lineno
    end = len(lines) if k == len(body) else min([body[k].lineno] + [d.lineno for d in getattr(body[k], "decorator_list", [])]) - 1
    if start > end:
        return None  # statements sharing a line
    out = list(lines)
    at = rng.randrange(start, end + 1)
    r = rng.random()
    if r < 0.4 and at < end:
        out[rng.randrange(at, end)] = "# changed gap line"  # gap lines hold no code
    elif r < 0.7 and k < len(body):
        out[end] += "  # next"
        if r < 0.55 and at < end:
            out[end - 1] = "# changed gap line"  # one change from the gap into the next statement
    out[at:at] = rng.choice(GAP_TEXTS)
    return out


def edit(lines, tree, rng, kind):
    """lines edited by one random edit of kind inside (or around) a class; None if none fits."""
    if kind == "function":
        return function_edit(lines, tree, rng)
    if kind == "gap":
        return gap_edit(lines, tree, rng)
    classes = classes_of(tree)
    if not classes:
        return None
    # nested classes and small classes are rare: pick them more often than their share
    nested = [c for c in classes if c.col_offset > 0]
    cls = rng.choice(nested if nested and rng.random() < 0.3 else classes)
    body = cls.body
    members = body[1:] if isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) else body
    if not members:
        return None
    if kind in ("first_member", "head_and_first", "reindent_head", "class_docstring"):
        member = members[0]
    elif kind in ("last_member", "last_and_after"):
        member = members[-1]
    else:
        member = rng.choice(members)
    start = min([member.lineno] + [d.lineno for d in getattr(member, "decorator_list", [])]) - 1
    end = member.end_lineno  # exclusive, 0-based
    pad = indent_of(lines[start])
    out = list(lines)
    inner = [k for k in range(start + 1, end) if lines[k].strip()]
    if kind in ("line", "first_member", "last_member"):
        k = rng.choice(inner or [start])
        line = out[k]
        choice = rng.random()
        if choice < 0.4:
            out.insert(k, indent_of(line) + "edited_%d = %d" % (k, rng.randrange(100)))
        elif choice < 0.7:
            words = [w for w in ("self", "return", "None", "0", "1", "x", "i") if w in line]
            out[k] = line.replace(words[0], "other_name", 1) if words else line + "  # edited"
        else:
            del out[k]
    elif kind == "comment":
        k = rng.randrange(start, end + 1)
        out.insert(k, " " * rng.randrange(0, 12) + "# a comment")
    elif kind == "docstring":
        funcs = [f for f in ast.walk(cls) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)) and ast.get_docstring(f) is not None]
        if not funcs:
            return None
        doc = rng.choice(funcs).body[0]
        k = rng.randrange(doc.lineno - 1, doc.end_lineno)
        out[k] = out[k].replace(" ", " edited ", 1) if " " in out[k] else out[k] + " "
    elif kind == "add_member":
        k = rng.choice([start, end])
        out[k:k] = ["", pad + "def added_%d(self, x):" % k, pad + "    return x + 1"]
    elif kind == "remove_member":
        del out[start:end]
    elif kind == "decorator":
        if getattr(member, "decorator_list", None):
            del out[start]
        else:
            out.insert(start, pad + rng.choice(["@staticmethod", "@property", "@some.decorator('x')"]))
    elif kind == "break":
        out.insert(rng.randrange(start, end + 1), pad + rng.choice(["def broken(:", "x = (", "'''open"]))
    elif kind == "misindent":
        k = rng.choice([start] + inner)
        out[k] = (" " + out[k]) if rng.random() < 0.5 else out[k][1:]
    elif kind == "string_after_block":
        lines_in = [pad + "if flag:", pad + "    pass", pad + "'a string statement'"]
        out[end:end] = lines_in if rng.random() < 0.7 else [pad + "'after %s'" % type(member).__name__]
    elif kind == "reshape":
        # a member turned into a block or a block into a simple statement, mostly before a string
        # statement (which the stripping keeps after a block and drops after a simple statement)
        k = members.index(member)
        before = [m for m in members[:-1] if isinstance(members[members.index(m) + 1], ast.Expr)]
        if before and rng.random() < 0.8:
            member = rng.choice(before)
            start = min([member.lineno] + [d.lineno for d in getattr(member, "decorator_list", [])]) - 1
            end = member.end_lineno
        if isinstance(member, (ast.Expr, ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Pass, ast.Import)):
            out[start:end] = [pad + "if True:"] + ["    " + l if l.strip() else l for l in lines[start:end]]
        else:
            out[start:end] = [pad + "converted = 1"]
    elif kind == "string_edit":
        # a string statement changed, mostly one after a block (where the stripping keeps it)
        strings = [m for m in members if isinstance(m, ast.Expr) and m.lineno == m.end_lineno]
        if not strings:
            return None
        k = rng.choice(strings).lineno - 1
        out[k] = out[k].rstrip() + rng.choice([" + 'x'", ".upper()", ""]) if rng.random() < 0.7 else out[k] + "  # c"
    elif kind == "new_docstring":
        # a string statement before the first member: the class's docstring when it has none
        start = min([members[0].lineno] + [d.lineno for d in getattr(members[0], "decorator_list", [])]) - 1
        text = rng.choice(["'new doc'", '"""two\\nlines"""', "\"it's\""])
        out.insert(start + rng.randrange(2), indent_of(lines[start]) + text)
    elif kind in ("class_docstring", "head_and_first", "reindent_head"):
        # the head of a class (docstring, decorators): alone, with the first member dropped, or
        # with head and first member indented deeper than the other members
        doc = body[0] if members is not body else None
        top = cls.lineno - 1
        if kind == "class_docstring":
            if doc is None:
                out.insert(start, pad + rng.choice(['"""A new class docstring."""', "'%s' % x"]))
            elif rng.random() < 0.5:
                del out[doc.lineno - 1:doc.end_lineno]
            else:
                out[doc.lineno - 1] = out[doc.lineno - 1].replace('"""', '"""Edited. ', 1)
        elif kind == "head_and_first":
            del out[(doc.lineno - 1 if doc else start):end]
        else:
            out[top + 1:end] = ["  " + l if l.strip() else l for l in lines[top + 1:end]]
    elif kind == "class_line":
        k = cls.lineno - 1
        out[k] = out[k].replace("class " + cls.name, "class " + cls.name + "Edited", 1)
    elif kind == "last_and_after":  # the last member changed and a function after the class
        k = rng.choice(inner or [start])
        out[k] = out[k] + "  # edited"
        out[cls.end_lineno:cls.end_lineno] = ["", "", "def after_fn(x):", "    return x"]
    elif kind == "after_class":
        out.insert(cls.end_lineno, rng.choice(["after_class = 1", "    # indented comment", "else:", "  x = 2"]))
    elif kind == "docstring_only":
        if not isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return None
        first = member.body[0].lineno - 1
        out[first:end] = [indent_of(lines[first]) + '"""only a docstring now"""']
    elif kind == "swap_members":
        k = members.index(member)
        if k + 1 >= len(members):
            return None
        nxt = members[k + 1]
        nstart = min([nxt.lineno] + [d.lineno for d in getattr(nxt, "decorator_list", [])]) - 1
        out[start:nxt.end_lineno] = lines[nstart:nxt.end_lineno] + lines[end:nstart] + lines[start:end]
    return out


def synthetic_member(rng, depth):
    """Lines of one random class member at depth: the statements whose stripping depends on the
    token before them (string statements after blocks) are frequent here, rare in real files."""
    pad = "    " * depth
    r = rng.random()
    n = rng.randrange(1000)
    if r < 0.2:
        doc = [pad + '    """Doc of m%d."""' % n] if rng.random() < 0.5 else []
        return [pad + "def m%d(self, x):" % n] + doc + [pad + "    return x + %d" % n]
    if r < 0.27:
        return [pad + "@property", pad + "def p%d(self):" % n, pad + "    return %d" % n]
    if r < 0.4:
        return [pad + "attr%d = %d" % (n, n)]
    if r < 0.6:
        return [pad + rng.choice(["'a string'", '"".join(items)', "'%s' % value", "f'{value}'", "b'bytes'"])]
    if r < 0.72:
        return [pad + "if flag:", pad + "    value = %d" % n] + ([pad + "else:", pad + "    'in else'"] if rng.random() < 0.3 else [])
    if r < 0.82 and depth < 3:
        return synthetic_class(rng, depth)
    if r < 0.97:
        return [pad + "# a comment", pad + "x%d = (1," % n, pad + "      2)  # two lines"]
    return [pad + "a%d = 1; b%d = 2" % (n, n)]


def synthetic_class(rng, depth):
    pad = "    " * depth
    lines = [pad + "@decorated"] if rng.random() < 0.2 else []
    if rng.random() < 0.1:
        # a member on the header's last line (the class's only one)
        return lines + [pad + "class H%d(" % rng.randrange(1000), pad + "    Base): head_member = 1"]
    else:
        lines.append(pad + "class C%d(Base):" % rng.randrange(1000))
    if rng.random() < 0.5:
        lines.append(pad + '    """Class doc."""')
    for _ in range(rng.randrange(1, 7)):
        lines += synthetic_member(rng, depth + 1)
        if rng.random() < 0.3:
            lines.append("")
    return lines


def synthetic_file(rng):
    lines = ['"""A module."""', "import os", ""]
    for k in range(rng.randrange(2, 6)):
        choices = [['    """Doc."""'], ["    x = 1"], ["    if x:", "        return 2"], ["    'after'"]]
        body = [line for _ in range(rng.randrange(1, 4)) for line in rng.choice(choices)]
        lines += synthetic_class(rng, 0) + ["", "def f%d():" % k] + body + ["    return %d" % k, ""]
    return "\n".join(lines) + "\n"


def region(lines, edited):
    """(p, q, new lines): edited is lines with lines[p:q] replaced by new lines."""
    p = 0
    while p < min(len(lines), len(edited)) and lines[p] == edited[p]:
        p += 1
    s = 0
    while s < min(len(lines), len(edited)) - p and lines[-1 - s] == edited[-1 - s]:
        s += 1
    return p, len(lines) - s, edited[p:len(edited) - s]


def combined(lines, tree, rng, kind):
    """One edit of kind, and often a second one elsewhere (another class, or an import)."""
    first = edit(lines, tree, rng, kind)
    if first is None or rng.random() < 0.6:
        return first
    if rng.random() < 0.3:
        k = next((i for i, l in enumerate(lines) if l.startswith(("import ", "from "))), 0)
        second = lines[:k] + ["import added_module"] + lines[k:]
    else:
        second = edit(lines, tree, rng, rng.choice(KINDS))
    if second is None:
        return first
    (p1, q1, r1), (p2, q2, r2) = sorted([region(lines, first), region(lines, second)])
    if q1 >= p2:
        return first  # they overlap
    return lines[:p1] + r1 + lines[q1:p2] + r2 + lines[q2:]


def check(files, edits, seed, synthetic):
    rng = random.Random(seed)
    result = {"cases": 0, "levels": {}, "kinds": {}, "mismatches": []}
    files = dict(files)
    for k in range(synthetic):
        files["synthetic:%d" % k] = synthetic_file(rng)
    for name in sorted(files):
        content = files[name]
        try:
            tree = ast.parse(content)
        except Exception:
            continue
        if "\r" in content:
            continue
        lines = content.split("\n")
        original = Model(content)
        old_reference = reference(content)
        for n in range(edits):
            kind = KINDS[(n + rng.randrange(len(KINDS))) % len(KINDS)]
            new_lines = combined(lines, tree, rng, kind)
            if new_lines is None or new_lines == lines:
                continue
            new = "\n".join(new_lines)
            model, level = patched_counted(original, new, result)
            result["kinds"][kind + ":" + level] = result["kinds"].get(kind + ":" + level, 0) + 1
            unparsed, stripped = reference(new)
            got_stripped = None if model.stripped is None else model.stripped.text
            problems = []
            if model.unparsed.text != unparsed:
                problems.append("unparsed text")
            if got_stripped != stripped:
                problems.append("stripped text")
            if stripped is not None and got_stripped == stripped:
                if rendered_functions(model.stripped.functions()) != rendered_functions(function_nodes(ast.parse(stripped))):
                    problems.append("functions")
            old_text, new_text = (old_reference[1], stripped) if old_reference[1] is not None and stripped is not None else (old_reference[0], unparsed)
            a, b = compared_texts(original, model)
            try:
                got_only_adds = only_adds_functions(a, b)
            except Exception:
                got_only_adds = False
            if (a.text, b.text) != (old_text, new_text):
                problems.append("compared texts")
            elif got_only_adds != only_adds(old_text, new_text):
                problems.append("only adds functions")
            if problems:
                result["mismatches"].append({"file": name, "kind": kind, "level": level, "problems": problems})
    return result


request = json.loads(sys.stdin.read())
files = dict(request["files"])
for name in request["stdlib"]:
    import sysconfig
    with open(os.path.join(sysconfig.get_paths()["stdlib"], name), encoding="utf-8") as f:
        files["stdlib:" + name] = f.read()
print(json.dumps(check(files, request["edits"], request["seed"], request["synthetic"])))
`;
