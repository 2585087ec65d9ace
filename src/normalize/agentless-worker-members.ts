// Python source, part of the agentless normalizer's worker (see agentless-worker-model.ts): a
// top-level class (or function) modelled per member, and each method per statement of its body,
// so that a patch inside a method re-renders the statements it touches, not the whole class; the
// original is rendered once and sliced per member (Rendered). A class's (or
// method's) ast.unparse text is its head (decorators, "class"/"def" line, docstring) and then
// each member as the unparser writes it inside (a newline and the indentation before it, one
// more newline before a def or class). Stripping comments and string statements
// (remove_comments_and_docstrings) reads tokens one by one and drops a string token after INDENT
// or NEWLINE: a member's text is stripped on its own with the type of the token the whole text
// has before it (INDENT for the first member, DEDENT after a member with a block, else NEWLINE),
// so the joined lines are those of the whole text stripped. The stripped class parses when its
// head does with a body, every member's stripped text parses as a block's body at the body's
// indentation and one of them is not empty. Where a class cannot be shown to split this way
// (statements sharing a line, a member not starting its line, the joined text differing from the
// class's own unparse, a stripped member indented deeper), it stays one piece; where a patch's
// new text does not parse as members at the same indentation (or as the head and first
// members), the segment is widened by a member on each side (up to WIDENINGS times) before the
// whole class (or file) is re-rendered; a top-level class's last members may be followed by new
// top-level statements (trailing). ast._Unparser is what ast.unparse runs.
export const AGENTLESS_WORKER_MEMBERS = String.raw`def members_of(middle, indent, depth, previous, no_docstring, trailing_ok):
    """(Members, Pieces): the Members (at depth + 1) that middle, lines of a class body at indent
    whose first token follows a token of type previous, holds, and the top-level statements
    after them where trailing_ok (middle ends a top-level class: a new function after it), or
    None when it is not that (no_docstring: a string statement first would be the class's
    docstring)."""
    try:
        tree = ast.parse("if 1:\n" + middle)
    except Exception:
        return None
    if not isinstance(tree.body[0], ast.If) or tree.body[0].orelse:
        return None  # the new lines end the class, or are not statements of its body
    if len(tree.body) > 1 and not trailing_ok:
        return None  # the new lines end the class
    stmts = tree.body[0].body
    line = middle.split("\n", first_line(stmts[0]))[first_line(stmts[0]) - 1]
    if not line.startswith(indent) or line[len(indent):len(indent) + 1].isspace():
        return None  # not at the class body's indentation
    if no_docstring and is_docstring(stmts[0]):
        return None  # a new docstring belongs to the head
    made = []
    for stmt in stmts:
        made.append(Member(stmt, depth + 1, previous))
        previous = tokenize.DEDENT if made[-1].ends_block else tokenize.NEWLINE
    # at column 0 (module level of the parse): as pieces_of makes them; never the module's first
    return made, [Piece(stmt, False) for stmt in tree.body[1:]]


def head_remade(text, depth, indent, head_indent, kind):
    """ClassUnit.remade_head's answer for text, the new lines of a unit of type kind at depth
    (its def or class line at head_indent, its body at indent)."""
    if depth:
        text = "if 1:\n" + text  # an indented statement, parsed as a block's body
    try:
        body = ast.parse(text).body
    except Exception:
        return None
    if depth:
        if len(body) != 1 or not isinstance(body[0], ast.If) or body[0].orelse:
            return None
        body = body[0].body
    if len(body) != 1 or type(body[0]) is not kind:
        return None
    node = body[0]
    if not starts_at(line_at(text, first_line(node)), head_indent):
        return None  # the new head is not where the old one was (its block's indentation)
    head, head_ok, docstring = head_of(node, depth)
    if not starts_at(line_at(text, first_line(node.body[0])), indent):
        return None  # the body is not at the kept members' indentation
    previous = tokenize.NEWLINE if docstring else tokenize.INDENT
    made = []
    for stmt in node.body[1:] if docstring else node.body:
        made.append(Member(stmt, depth + 1, previous))
        previous = tokenize.DEDENT if made[-1].ends_block else tokenize.NEWLINE
    return (node, head, head_ok, docstring), made


# new heads (with their first members) re-rendered before, by text and place (values only read)
REMADE_HEADS = Memo(1000000)


# new member texts re-rendered before, by text and context (many samples share one)
REMADE_MEMBERS = Memo(1000000)


def context_after(members, docstring):
    """Type of the token before the first token of a member after these in a class body."""
    if members:
        return tokenize.DEDENT if members[-1].ends_block else tokenize.NEWLINE
    return tokenize.NEWLINE if docstring else tokenize.INDENT


class ClassUnit:
    """A class (or method) statement at depth as its head and members; spans: each member's
    [first line, end line) in the original content (None when patched: never patched again)."""

    sensitive = False
    docstring_like = False
    trailing = ()
    head_indent = ""
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
        with the first members, of a top-level class), a segment widened where its new text
        does not parse; None when new members cannot be shown to parse on their own. A
        top-level class's trailing: the new top-level statements right after it."""
        segments = []  # [a, b, ranges]: members a..b re-rendered (a = -1: the head too)
        for lo, hi, shift, delta in ranges:
            if lo < self.spans[0][0]:
                a, b = -1, 0 if hi < self.spans[0][0] else piece_at(self.spans, hi, True)
            else:
                a, b = piece_at(self.spans, lo, False), piece_at(self.spans, hi, True)
            if a is None or b is None:
                return self.unsplit(stats, "outside members")
            if self.depth and a >= 0 and leaves_block(new[lo + shift:hi + 1 + delta], self.head_indent):
                return self.unsplit(stats, "new lines leave it")  # a new member after this method
            if segments and a <= segments[-1][1]:
                segments[-1][1] = max(b, segments[-1][1])
                segments[-1][2].append((lo, hi, shift, delta))
            else:
                segments.append([a, b, [(lo, hi, shift, delta)]])
        unit, why = assembled_widening(lambda s: self.assembled(new, s, old_count, stats), segments, -1,
                                       len(self.members) - 1, stats, ("method" if self.depth else "class") + " widened")
        return unit if unit is not None else self.unsplit(stats, why)

    def assembled(self, new, segments, old_count, stats):
        """(the patched ClassUnit, None, None), or (None, index of the segment whose new text
        does not parse or None, why)."""
        head = (self.node, self.head, self.head_ok, self.docstring)
        members, done, levels, trailing = [], 0, [], []
        last = len(self.members) - 1
        for k, (a, b, parts) in enumerate(segments):
            shift, delta = parts[0][2], parts[-1][3]
            members += self.kept(done, max(a, 0), members, head[3])
            inner = None
            if a == b and isinstance(self.members[a], ClassUnit):
                inner = self.members[a].patched(new, parts, old_count, stats)
            if inner is not None:
                made = [inner]
            elif a < 0:
                got = self.remade_head(new, b, shift, delta, old_count)
                if got is None:
                    return None, k, "head does not parse"
                head, made = got
            else:
                got = self.remade(new, a, b, shift, delta, old_count, context_after(members, head[3]), b == last and not self.depth)
                if got is None:
                    return None, k, "members do not parse"
                made, trailing = got
            if inner is None:
                levels.append("head" if a < 0 else "member")
            members += made
            done = b + 1
        members += self.kept(done, len(self.members), members, head[3])
        if not all(m.aligned for m in members):
            return None, None, "member over-indented once stripped"
        if not head[3] and members and members[0].docstring_like:
            return None, None, "string statement now first"
        for level in levels:
            stats[level] = stats.get(level, 0) + 1
        if trailing:
            stats["trailing:after class"] = stats.get("trailing:after class", 0) + 1
        unit = ClassUnit(head[0], self.depth, head[1], head[2], head[3], members, self.indent, None, self.first)
        unit.trailing = trailing
        return unit, None, None

    def unsplit(self, stats, why):
        """None, for a patched class that cannot be shown to split: counted in stats as
        "class:<why>" (a top-level class, re-rendered whole) or "method:<why>"."""
        key = ("method:" if self.depth else "class:") + why
        stats[key] = stats.get(key, 0) + 1

    def all_spans(self):
        return self.spans + [s for m in self.members if isinstance(m, ClassUnit) for s in m.all_spans()]

    def kept(self, a, b, before, docstring):
        """Members a..b-1 kept, the first in its context after the members before it."""
        kept = self.members[a:b]
        if kept:
            kept[0] = kept[0].in_context(context_after(before, docstring))
        return kept

    def remade(self, new, a, b, shift, delta, old_count, previous, trailing_ok):
        """(Members, top-level Pieces after them) from the new text of members a..b, or None
        when it is not members alone (and, where trailing_ok, top-level statements after them)."""
        start, end = self.spans[a][0], self.spans[b][1]
        middle = "\n".join(new[start + shift:end + delta]) + ("\n" if end < old_count else "")
        made = REMADE_MEMBERS.get(members_of, middle, self.indent, self.depth, previous, a == 0 and not self.docstring, trailing_ok)
        return None if made is None else (list(made[0]), made[1])

    def remade_head(self, new, b, shift, delta, old_count):
        """(node, head, head_ok, docstring) and members from the new text of this class's (or
        function's) head and members 0..b; None when that is not one statement of its kind (the
        head alone does not parse when the change removed its members: the caller widens)."""
        end = self.spans[b][1]
        text = "\n".join(new[self.start + shift:end + delta]) + ("\n" if end < old_count else "")
        return REMADE_HEADS.get(head_remade, text, self.depth, self.indent, self.head_indent, type(self.node))

    @staticmethod
    def split(node, depth, lines, span, first=False, rendered=None):
        """The ClassUnit of a class statement of the content whose lines are lines (span: the
        class's [first, end) lines there), or None when it cannot be split; rendered: the
        Rendered of the top-level statement holding it (its texts sliced from that)."""
        body = node.body
        docstring = is_docstring(body[0])
        rest = body[1:] if docstring else body
        if not rest:
            return None
        head, head_ok, docstring = head_of(node, depth, None if rendered is None else rendered.head(node, rest[0]))
        starts = [first_line(stmt) for stmt in rest]
        if any(x >= y for x, y in zip(starts, starts[1:])):
            return None  # statements sharing a line
        indent = indentation(lines[starts[0]])
        if not indent:
            return None
        for stmt, start in zip(rest, starts):
            text = lines[start]
            if not starts_at(text, indent):
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
                member = ClassUnit.split(stmt, depth + 1, lines, spans[k], rendered=rendered)
            if member is None:
                previous = (tokenize.NEWLINE if docstring else tokenize.INDENT) if k == 0 else (
                    tokenize.DEDENT if members[-1].ends_block else tokenize.NEWLINE)
                member = Member(stmt, depth + 1, previous, rendered=None if rendered is None else rendered.of(stmt))
                if not member.aligned:
                    return None
            members.append(member)
        unit = ClassUnit(node, depth, head, head_ok, docstring, members, indent, spans, first, span[0])
        unit.head_indent = indentation(lines[first_line(node)])
        return unit


`;
