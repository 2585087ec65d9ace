// Python source, part of the agentless normalizer's worker (see agentless-worker-model.ts): a
// class modelled per member, so that a patch inside a method re-renders that method only, not
// the whole class. The class's ast.unparse text is its head (decorators, "class" line, the
// docstring) and then each member as the unparser writes it inside the class (a newline and the
// indentation before it, one more newline before a def or class). Stripping comments and string
// statements (remove_comments_and_docstrings) reads tokens one by one and drops a string token
// after INDENT or NEWLINE: a member's text is stripped on its own with the type of the token the
// whole text has before it (INDENT for the first member, DEDENT after a member with a block,
// else NEWLINE), so the joined lines are those of the whole text stripped. The stripped class
// parses when its head does with a body, every member's stripped text parses as a block's body
// and one of them is not empty. Where a class cannot be shown to split this way (statements
// sharing a line, a member not starting its line, the joined text differing from the class's own
// unparse), it stays one piece; where a patch touches the head or a member's new text does not
// parse as members at the same indentation, the whole class (or file) is re-rendered.
export const AGENTLESS_WORKER_MEMBERS = String.raw`def rendered_member(stmt, depth):
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


def block_body(text):
    """The statements of indented text parsed as the body of a block."""
    return ast.parse("if 1:\n" + text).body[0].body


def is_docstring(stmt):
    """Whether stmt, first in a body, is its docstring (as ast.unparse tells)."""
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str)


def head_of(node, depth):
    """A class's or function's head as its unparse writes it at depth (decorators, class or def
    line, docstring) and stripped, the stripped head parsed with a body (None when that does
    not parse), and whether it has a docstring."""
    docstring = is_docstring(node.body[0])
    head_node = copy.copy(node)
    head_node.body = node.body[:1] if docstring else []
    text = rendered_member(head_node, depth) if depth else ast.unparse(head_node)
    stripped = stripped_in_context(text, tokenize.NEWLINE)[0]
    try:
        check = stripped + "\n" + "    " * (depth + 1) + "pass"
        parsed = ast.parse("if 1:\n" + check).body[0].body[0] if depth else ast.parse(check).body[0]
        return (text, stripped), parsed, docstring
    except Exception:
        return (text, stripped), None, docstring


def first_line(stmt):
    """0-based line of a statement's first token (its first decorator's, if any)."""
    return min([stmt.lineno] + [d.lineno for d in getattr(stmt, "decorator_list", None) or []]) - 1


def class_methods(stmt):
    """function_nodes' Class.method entries a statement adds, in its order."""
    found = []
    if isinstance(stmt, ast.ClassDef):
        found += [(stmt.name + "." + item.name, item) for item in stmt.body if isinstance(item, FUNCTION_TYPES)]
    for child in ast.iter_child_nodes(stmt):
        found += class_methods(child)
    return found


class Member:
    """One statement of a class body: its text in the class's unparse, that text stripped in
    its context (None when that does not parse) and the stripped statements."""

    def __init__(self, stmt, depth, previous, unparsed=None, docstring_like=False):
        self.depth = depth
        # a string statement: the class's docstring if it became the first statement
        self.docstring_like = docstring_like or (stmt is not None and is_docstring(stmt))
        self._methods = None
        self.unparsed = rendered_member(stmt, depth) if unparsed is None else unparsed
        # only a statement that can start with a string token strips differently after a DEDENT
        self.sensitive = unparsed is not None or isinstance(stmt, ast.Expr)
        self.previous = previous
        self.stripped, self.ends_block = stripped_in_context(self.unparsed, previous)
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


def context_after(members, docstring):
    """Type of the token before the first token of a member after these in a class body."""
    if members:
        return tokenize.DEDENT if members[-1].ends_block else tokenize.NEWLINE
    return tokenize.NEWLINE if docstring else tokenize.INDENT


class ClassUnit:
    """A class statement at depth as its head and members; spans: each member's [first line,
    end line) in the original content (None for a patched class, never patched again)."""

    sensitive = False
    docstring_like = False
    ends_block = True
    aligned = True
    is_def = True

    def __init__(self, node, depth, head, head_ok, docstring, members, indent, spans, first=False, start=None):
        self.node, self.depth, self.head, self.head_ok, self.start = node, depth, head, head_ok, start
        self.docstring, self.members, self.indent, self.spans, self.first = docstring, members, indent, spans, first
        self.unparsed = head[0] + "".join(m.unparsed for m in members)
        texts = [m.stripped for m in members]
        if head_ok and None not in texts and any(texts):
            self.stripped = "\n".join(t for t in [head[1]] + texts if t)
        else:
            self.stripped = None
        self._methods = self._composite = None

    def in_context(self, previous):
        return self

    def direct_functions(self):
        """A method: its stripped node, made of the stripped head's and the members' nodes."""
        if isinstance(self.node, ast.ClassDef):
            return []
        if self._composite is None:
            self._composite = copy.copy(self.head_ok)
            self._composite.body = [node for m in self.members for node in m.nodes]
        return [self._composite]

    def methods(self):
        """function_nodes' Class.method entries of the stripped class (or function), in order."""
        if self._methods is None:
            found = []
            if isinstance(self.node, ast.ClassDef):
                found = [(self.node.name + "." + f.name, f) for m in self.members for f in m.direct_functions()]
            for m in self.members:
                found += m.methods()
            self._methods = found
        return self._methods

    def patched(self, new, ranges, old_count, stats):
        """This class in a patched content (lines new) whose changed lines are the original's
        ranges [(lo, hi, shift, delta)] (see changed_lines: old lines before lo are at +shift in
        new, those after hi at +delta), re-rendering only the members holding them (and the head
        with the first members, of a top-level class); None when new members cannot be shown
        to parse on their own."""
        segments = []  # [a, b, shift, delta, ranges]: members a..b re-rendered (a = -1: the head too)
        for lo, hi, shift, delta in ranges:
            if lo < self.spans[0][0]:
                a, b = -1, 0 if hi < self.spans[0][0] else piece_at(self.spans, hi, True)
            else:
                a, b = piece_at(self.spans, lo, False), piece_at(self.spans, hi, True)
            if a is None or b is None or (a < 0 and self.depth):
                return None
            if segments and a <= segments[-1][1]:
                segments[-1][1], segments[-1][3] = max(b, segments[-1][1]), delta
                segments[-1][4].append((lo, hi, shift, delta))
            else:
                segments.append([a, b, shift, delta, [(lo, hi, shift, delta)]])
        head = (self.node, self.head, self.head_ok, self.docstring)
        members, done, levels = [], 0, []
        for a, b, shift, delta, parts in segments:
            members += self.kept(done, max(a, 0), members, head[3])
            inner = None
            if a == b and isinstance(self.members[a], ClassUnit):
                inner = self.members[a].patched(new, parts, old_count, stats)
            if inner is not None:
                made = [inner]
            elif a < 0:
                got = self.remade_head(new, b, shift, delta, old_count)
                if got is None:
                    return None
                head, made, b = got
            else:
                made = self.remade(new, a, b, shift, delta, old_count, context_after(members, head[3]))
                if made is None:
                    return None
            if inner is None:
                levels.append("head" if a < 0 else "member")
            members += made
            done = b + 1
        members += self.kept(done, len(self.members), members, head[3])
        if not all(m.aligned for m in members) or (not head[3] and members and members[0].docstring_like):
            return None  # a member over-indented once stripped; a string statement now first
        for level in levels:
            stats[level] = stats.get(level, 0) + 1
        return ClassUnit(head[0], self.depth, head[1], head[2], head[3], members, self.indent, None, self.first)

    def all_spans(self):
        return self.spans + [s for m in self.members if isinstance(m, ClassUnit) for s in m.all_spans()]

    def kept(self, a, b, before, docstring):
        """Members a..b-1 kept, the first in its context after the members before it."""
        kept = self.members[a:b]
        if kept:
            kept[0] = kept[0].in_context(context_after(before, docstring))
        return kept

    def remade(self, new, a, b, shift, delta, old_count, previous):
        """Members from the new text of members a..b, or None when it is not members alone."""
        start, end = self.spans[a][0], self.spans[b][1]
        middle = "\n".join(new[start + shift:end + delta]) + ("\n" if end < old_count else "")
        try:
            tree = ast.parse("if 1:\n" + middle)
        except Exception:
            return None
        if len(tree.body) != 1 or not isinstance(tree.body[0], ast.If) or tree.body[0].orelse:
            return None  # the new lines end the class, or are not statements of its body
        stmts = tree.body[0].body
        line = middle.split("\n", first_line(stmts[0]))[first_line(stmts[0]) - 1]
        if not line.startswith(self.indent) or line[len(self.indent):len(self.indent) + 1].isspace():
            return None  # not at the class body's indentation
        if a == 0 and not self.docstring and is_docstring(stmts[0]):
            return None  # a new docstring belongs to the head
        made = []
        for stmt in stmts:
            made.append(Member(stmt, self.depth + 1, previous))
            previous = tokenize.DEDENT if made[-1].ends_block else tokenize.NEWLINE
        return made

    def remade_head(self, new, b, shift, delta, old_count):
        """(node, head, head_ok, docstring), members and their last old index, from the new text
        of this top-level class's head and members 0..b; None when that is not one class."""
        end = self.spans[b][1]
        text = "\n".join(new[self.start + shift:end + delta]) + ("\n" if end < old_count else "")
        try:
            body = ast.parse(text).body
        except Exception:
            # the head alone does not parse when the change removed its members: take one more
            return self.remade_head(new, b + 1, shift, delta, old_count) if b == 0 < len(self.members) - 1 else None
        if len(body) != 1 or not isinstance(body[0], ast.ClassDef):
            return None
        node = body[0]
        head, head_ok, docstring = head_of(node, 0)
        line = text.split("\n", first_line(node.body[0]) + 1)[first_line(node.body[0])]
        if not line.startswith(self.indent) or line[len(self.indent):len(self.indent) + 1] in ("", " ", "\t", "\f"):
            return None  # the body is not at the kept members' indentation
        previous = tokenize.NEWLINE if docstring else tokenize.INDENT
        made = []
        for stmt in node.body[1:] if docstring else node.body:
            made.append(Member(stmt, 1, previous))
            previous = tokenize.DEDENT if made[-1].ends_block else tokenize.NEWLINE
        return (node, head, head_ok, docstring), made, b

    @staticmethod
    def split(node, depth, lines, span, first=False):
        """The ClassUnit of a class statement of the content whose lines are lines (span: the
        class's [first, end) lines there), or None when it cannot be split."""
        body = node.body
        head, head_ok, docstring = head_of(node, depth)
        rest = body[1:] if docstring else body
        if not rest:
            return None
        starts = [first_line(stmt) for stmt in rest]
        if any(x >= y for x, y in zip(starts, starts[1:])):
            return None  # statements sharing a line
        first_text = lines[starts[0]]
        indent = first_text[:len(first_text) - len(first_text.lstrip(" \t"))]
        if not indent:
            return None
        for stmt, start in zip(rest, starts):
            text = lines[start]
            if not text.startswith(indent) or text[len(indent):len(indent) + 1] in ("", " ", "\t", "\f"):
                return None
            if getattr(stmt, "decorator_list", None):
                if text[len(indent)] != "@":
                    return None
            elif stmt.col_offset != len(indent):
                return None  # the statement does not start its line
        spans = [(start, end) for start, end in zip(starts, starts[1:] + [span[1]])]
        members = []
        for k, stmt in enumerate(rest):
            member = None
            if isinstance(node, ast.ClassDef) and isinstance(stmt, DEF_TYPES):
                member = ClassUnit.split(stmt, depth + 1, lines, spans[k])
            if member is None:
                previous = (tokenize.NEWLINE if docstring else tokenize.INDENT) if k == 0 else (
                    tokenize.DEDENT if members[-1].ends_block else tokenize.NEWLINE)
                member = Member(stmt, depth + 1, previous)
                if not member.aligned:
                    return None
            members.append(member)
        return ClassUnit(node, depth, head, head_ok, docstring, members, indent, spans, first, span[0])


`;
