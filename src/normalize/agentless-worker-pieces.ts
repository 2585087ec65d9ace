// Python source, part of the agentless normalizer's worker (see agentless-worker-members.ts):
// one statement inside a class body (or a method's body) as the class's unparse writes it, that
// text stripped in its context, and the helpers to render, strip and parse such pieces.
export const AGENTLESS_WORKER_PIECES = String.raw`def rendered_member(stmt, depth):
    """stmt as ast.unparse writes it inside a block at depth (with the newlines before it)."""
    unparser = ast._Unparser()
    unparser._indent = depth
    unparser._source = [""]  # not the start of the text: fill and maybe_newline write newlines
    unparser.traverse(stmt)
    return "".join(unparser._source)


def stripped_in_context(source, previous):
    """without_comments_and_string_statements of a member's text whose first token follows a
    token of type previous in the whole text (its own leading NL and INDENT tokens stand for
    what the whole text has there); also whether the text ends inside a deeper block than the
    one it starts in (the next member then follows a DEDENT)."""
    out = []
    row, col = -1, 0
    leading = True
    dedents = 0
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        (start_row, start_col), (end_row, end_col) = token.start, token.end
        if start_row > row:
            col = 0
        if start_col > col:
            out.append(" " * (start_col - col))
        kind = token.type
        if kind == tokenize.STRING:
            if previous != tokenize.INDENT and previous != tokenize.NEWLINE and start_col > 0:
                out.append(token.string)
        elif kind != tokenize.COMMENT:
            out.append(token.string)
        if not leading or (kind != tokenize.NL and kind != tokenize.INDENT):
            leading = False
            previous = kind
        if kind == tokenize.DEDENT:
            dedents += 1
        elif kind != tokenize.ENDMARKER:
            dedents = 0
        row, col = end_row, end_col
    return "\n".join(line for line in "".join(out).splitlines() if line.strip()), dedents > 1


class Memo:
    """What a re-rendering made, by everything it was made from (the key): the samples of one
    instance often share a changed member's or statement's new text, whatever else they change.
    make gets the key's parts only, so the value cannot depend on anything else; values are
    never changed once made (patched models only share them, as they share kept members).
    Emptied when the texts it holds pass limit characters."""

    def __init__(self, limit):
        self.found, self.chars, self.limit = {}, 0, limit

    def get(self, make, *key):
        if key in self.found:
            return self.found[key]
        value = make(*key)
        if self.chars + len(key[0]) > self.limit:
            self.found, self.chars = {}, 0
        self.found[key] = value
        self.chars += len(key[0])
        return value


def literal_helper_kept(plain):
    """ast._Unparser._str_literal_helper (a string's literal text and its quotes: per
    character in Python, slow on long docstrings) kept by its arguments; a pure function
    of them, its lists copied on the way out as each call makes new ones."""
    kept = {}

    def helper(self, string, **options):
        key = (string,) + tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in options.items()))
        if key not in kept:
            if len(kept) > 20000:
                kept.clear()
            kept[key] = plain(self, string, **options)
        found = kept[key]
        return tuple(list(x) if isinstance(x, list) else x for x in found) if isinstance(found, tuple) else found
    helper.plain = plain  # for the test (agentless-memo-check.ts)
    return helper


if hasattr(ast, "_Unparser") and hasattr(ast._Unparser, "_str_literal_helper"):
    ast._Unparser._str_literal_helper = literal_helper_kept(ast._Unparser._str_literal_helper)


def parse_or_error(text):
    """ast.parse(text), or the SyntaxError (or ValueError) it raises: the same for the same text."""
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError) as error:
        return error


# member texts stripped before, by text and context (members that differ only in comments
# unparse to one text)
STRIPPED = Memo(1000000)
# stripped texts parsed before: changed members that differ only in what stripping drops
# (comments, docstrings) strip to one text; their trees are only read, never changed
PARSED = Memo(1000000)


def parsed(text):
    """ast.parse(text), the tree shared with earlier parses of the same (short) text."""
    if len(text) > 20000:
        return ast.parse(text)
    tree = PARSED.get(parse_or_error, text)
    if isinstance(tree, Exception):
        raise tree.with_traceback(None)
    return tree


def block_body(text):
    """The statements of indented text parsed as the body of a block."""
    return parsed("if 1:\n" + text).body[0].body


def is_docstring(stmt):
    """Whether stmt, first in a body, is its docstring (as ast.unparse tells)."""
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str)


class RecordingUnparser(ast._Unparser):
    """ast.unparse of one statement that also notes where the statements of its body (and of
    the bodies of the defs in its classes) start and end in the text: their slices are what
    rendered_member gives each, so one rendering serves the whole and its members."""

    def __init__(self, node=None, **options):
        # (the unparser makes one of its own type for an f-string's parts: node None)
        super().__init__(**options)
        self.watched, self.bounds = set(), {}
        if node is not None:
            self.watch(node)

    def watch(self, node):
        self.watched.add(id(node))
        for stmt in node.body:
            if isinstance(node, ast.ClassDef) and isinstance(stmt, DEF_TYPES):
                self.watch(stmt)
            else:
                self.watched.add(id(stmt))

    def traverse(self, node):
        if isinstance(node, list) or id(node) not in self.watched:
            return super().traverse(node)
        start = len(self._source)
        super().traverse(node)
        self.bounds[id(node)] = (start, len(self._source))


class Rendered:
    """A statement rendered once (RecordingUnparser): its text, each watched statement's text,
    a class's or def's head (its text before its first member)."""

    def __init__(self, node):
        unparser = RecordingUnparser(node)
        self.text = unparser.visit(node)
        self.chunks, self.bounds = unparser._source, unparser.bounds

    def of(self, node):
        start, end = self.bounds[id(node)]
        return "".join(self.chunks[start:end])

    def head(self, node, first_member):
        return "".join(self.chunks[self.bounds[id(node)][0]:self.bounds[id(first_member)][0]])


def head_of(node, depth, text=None):
    """A class's or function's head as its unparse writes it at depth (decorators, class or def
    line, docstring; text: that, rendered before) and stripped, the stripped head parsed with
    a body (None when that does not parse), and whether it has a docstring."""
    docstring = is_docstring(node.body[0])
    if text is None:
        head_node = copy.copy(node)
        head_node.body = node.body[:1] if docstring else []
        text = rendered_member(head_node, depth) if depth else ast.unparse(head_node)
    stripped = STRIPPED.get(stripped_in_context, text, tokenize.NEWLINE)[0]
    try:
        check = stripped + "\n" + "    " * (depth + 1) + "pass"
        checked = parsed("if 1:\n" + check).body[0].body[0] if depth else parsed(check).body[0]
        return (text, stripped), checked, docstring
    except Exception:
        return (text, stripped), None, docstring


def indentation(line):
    """The spaces and tabs a line starts with."""
    return line[:len(line) - len(line.lstrip(" \t"))]


def starts_at(line, indent):
    """Whether code on line starts right after exactly indent (not deeper, not blank)."""
    return line.startswith(indent) and line[len(indent):len(indent) + 1] not in ("", " ", "\t", "\f")


def line_at(text, k):
    """Line k (0-based) of text."""
    return text.split("\n", k + 1)[k]


def first_line(stmt):
    """0-based line of a statement's first token (its first decorator's, if any)."""
    return min([stmt.lineno] + [d.lineno for d in getattr(stmt, "decorator_list", None) or []]) - 1


def class_methods(stmt):
    """function_nodes' Class.method entries a statement adds, in its order."""
    found = []
    if isinstance(stmt, ast.ClassDef):
        found += [(stmt.name + "." + item.name, item) for item in stmt.body if isinstance(item, FUNCTION_TYPES)]
    for child in statements_in(stmt):
        found += class_methods(child)
    return found


def statements_in(node):
    """A node's children in ast.iter_child_nodes' order, without expressions: no expression
    holds a statement, so a walk for defs and classes need not enter them."""
    return [child for child in ast.iter_child_nodes(node) if not isinstance(child, ast.expr)]


class Member:
    """One statement of a class body: its text in the class's unparse, that text stripped in
    its context (None when that does not parse) and the stripped statements."""

    def __init__(self, stmt, depth, previous, unparsed=None, docstring_like=False, rendered=None):
        self.depth = depth
        # a string statement: the class's docstring if it became the first statement
        self.docstring_like = docstring_like or (stmt is not None and is_docstring(stmt))
        self._methods = None
        # rendered: stmt's text from its class's rendering (Rendered)
        self.unparsed = (rendered_member(stmt, depth) if rendered is None else rendered) if unparsed is None else unparsed
        # only a statement that can start with a string token strips differently after a DEDENT
        self.sensitive = unparsed is not None or isinstance(stmt, ast.Expr)
        self.previous = previous
        self.stripped, self.ends_block = STRIPPED.get(stripped_in_context, self.unparsed, previous)
        # a dropped string can leave the first line indented deeper than the class body, which
        # parses alone but not after the member before it (or does where this is the first
        # member): such a member is not modelled on its own
        pad = "    " * depth
        first = self.stripped.split("\n", 1)[0]
        self.aligned = not first or (first.startswith(pad) and first[len(pad):len(pad) + 1] not in ("", " "))
        try:
            self.nodes = block_body(self.stripped) if self.stripped else []
        except Exception:
            self.stripped, self.nodes = None, None

    def in_context(self, previous):
        if previous == self.previous or not self.sensitive:
            return self
        return Member(None, self.depth, previous, self.unparsed, self.docstring_like)

    def direct_functions(self):
        return [node for node in self.nodes if isinstance(node, FUNCTION_TYPES)]

    def methods(self):
        # kept: a patched class reuses the members the patch did not touch
        if self._methods is None:
            # only a class statement adds entries: no walk where the text has no "class"
            self._methods = [item for node in self.nodes for item in class_methods(node)] if "class" in self.stripped else []
        return self._methods


`;
