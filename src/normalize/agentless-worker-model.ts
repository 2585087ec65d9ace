// Python source, first half of the agentless normalizer's worker (agentless-worker-source.ts
// appends the rest): our own code for what Agentless's normalize_patch does to one file
// (agentless/util/postprocess_data.py:408-470): ast.parse + ast.unparse (normalize_code, :428-433;
// raw text when either fails), then remove_comments_and_docstrings (:376-405) with an ast.parse
// check, both sides falling back to the unparsed texts when either fails (:438-448), and
// is_just_new_function (:346-368, get_functions :308-343). A file is modelled per top-level
// statement, a class or function per member (agentless-worker-members.ts), so a patched file
// re-renders only the pieces holding its changed regions (agentless-worker-regions.ts): new
// top-level statements between two others on their own (a gap group), a piece whose new text
// does not parse alone with its neighbours (widened); that the joined pieces equal the
// whole-file computation is checked on random edits (agentless-members.test.ts). A patched file
// arrives as the patch's edits of its cached original (agentless.ts), not as its whole text.
// What the process re-rendered for a changed member's or statement's text, each stripped text's
// parse and stripping, and ast's string-literal escaping are kept for the next samples, which
// share much of their changed text (Memo, agentless-worker-pieces.ts; agentless-memo.test.ts).
// ast.parse and tokenize only read the code.
import { AGENTLESS_WORKER_MEMBERS } from "./agentless-worker-members.js";
import { AGENTLESS_WORKER_PIECES } from "./agentless-worker-pieces.js";
import { AGENTLESS_WORKER_REGIONS } from "./agentless-worker-regions.js";
import { STRIP_COMMENTS_SOURCE } from "./strip-comments-source.js";

export const AGENTLESS_WORKER_MODEL = String.raw`import ast
import bisect
import hashlib
import io
import copy
import difflib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import tokenize
import warnings
from collections import OrderedDict

# Only ast.parse / ast.unparse / tokenize touch the model's code: they read it, never run it.
warnings.simplefilter("ignore")
FUNCTION_TYPES = (ast.FunctionDef, ast.AsyncFunctionDef)
CACHE_CHARS = int(os.environ.get("SWERL_NORMALIZE_CACHE_CHARS", "200000000"))
# how the changed regions of patched files were re-rendered: "member" (members of a class),
# "head" (a top-level class's head and first members), "class" (a whole class: the new lines do
# not parse as members), "statement" (other top-level statements), "file" (the whole file parsed
# again); written to SWERL_AGENTLESS_STATS (a file) at exit
STATS = {}


${STRIP_COMMENTS_SOURCE}
${AGENTLESS_WORKER_PIECES}${AGENTLESS_WORKER_MEMBERS}${AGENTLESS_WORKER_REGIONS}
def function_nodes(tree):
    """Functions by name as the vote's new-function test keys them: functions with no class
    around them by bare name, then methods directly in a class body as Class.method; pre-order,
    later definitions win."""
    found = {}

    def free_functions(node, in_class):
        for child in statements_in(node):
            if isinstance(child, FUNCTION_TYPES) and not in_class:
                found[child.name] = child
            free_functions(child, in_class or isinstance(child, ast.ClassDef))

    def methods(node):
        for child in statements_in(node):
            if isinstance(child, ast.ClassDef):
                for item in child.body:
                    if isinstance(item, FUNCTION_TYPES):
                        found[child.name + "." + item.name] = item
            methods(child)

    free_functions(tree, False)
    methods(tree)
    return found


class Version:
    """One text of a file as the vote compares it, with its parse and functions made on demand."""

    def __init__(self, text):
        self.text = text
        self._tree = None
        self._functions = None
        self._rendered = {}

    def tree(self):
        if self._tree is None:
            self._tree = parsed(self.text)
        return self._tree

    def functions(self):
        if self._functions is None:
            self._functions = function_nodes(self.tree())
        return self._functions

    def rendered(self, name):
        if name not in self._rendered:
            self._rendered[name] = ast.unparse(self.functions()[name])
        return self._rendered[name]


DEF_TYPES = FUNCTION_TYPES + (ast.ClassDef,)


class Piece:
    """One top-level statement of a module: its ast.unparse text as the module's unparse writes
    it, that text stripped (None when stripping fails or leaves code that does not parse) and the
    functions of the stripped code. A module's texts are its pieces' texts joined (see Model)."""

    def __init__(self, stmt, first, unparsed=None):
        self.first = first
        self.is_def = isinstance(stmt, DEF_TYPES)
        self.unparsed = Piece.unparsed_text(stmt, first) if unparsed is None else unparsed
        try:
            stripped = Version(without_comments_and_string_statements(self.unparsed))
            stripped.tree()
            self.stripped = stripped
        except Exception:
            self.stripped = None

    @staticmethod
    def unparsed_text(stmt, first):
        # a module's first statement may be its docstring, which unparse writes differently
        return ast.unparse(ast.Module(body=[stmt], type_ignores=[])) if first else ast.unparse(stmt)


class ClassPiece:
    """A top-level class or function statement as a Piece, made of a ClassUnit
    (agentless-worker-members.ts)."""

    is_def = True

    def __init__(self, unit):
        self.unit, self.first, self.unparsed = unit, unit.first, unit.unparsed
        if unit.stripped is None:
            self.stripped = None
        elif isinstance(unit.node, ast.ClassDef):
            self.stripped = Stripped(unit.stripped, unit.methods)
        else:  # the function by its name, the functions and methods inside it
            self.stripped = Stripped(unit.stripped, lambda: function_nodes(ast.Module(body=unit.direct_functions(), type_ignores=[])).items())


class Stripped:
    """A piece's stripped text and its function_nodes (a class's: its Class.method entries)."""

    def __init__(self, text, methods):
        self.text = text
        self._methods = methods
        self._functions = None

    def functions(self):
        if self._functions is None:
            self._functions = dict(self._methods())
        return self._functions


class Model:
    """A file's content as the vote sees it: its unparsed text and stripped text (both through
    Version), made from per-statement pieces so that a patched file reuses the pieces of the
    statements it did not touch; raw text when the content does not parse."""

    def __init__(self, content, pieces=None, members=True):
        self.content = content  # a patched file's edits apply to it
        self.size = len(content)
        self.lines = None
        self.spans = None  # per piece: [first line, end line) in content (0-based)
        self.anchors = None
        if pieces is None:
            try:
                tree = ast.parse(content)
                if members and "\r" not in content and "\0" not in content:
                    self.lines = content.split("\n")
                    self.spans = spans_of(tree.body, len(self.lines))
                    self.ends = [stmt.end_lineno for stmt in tree.body]  # after each one's last code line
                pieces = [self.piece(stmt, k) for k, stmt in enumerate(tree.body)]
            except Exception:
                pieces = None
        self.pieces = pieces
        if pieces is None:  # does not parse (or unparse fails): as Agentless, the raw text
            self.unparsed = Version(content)
            try:
                stripped = Version(without_comments_and_string_statements(content))
                stripped.tree()
                self.stripped = stripped
            except Exception:
                self.stripped = None
            return
        text = "".join(("" if k == 0 else "\n\n" if p.is_def else "\n") + p.unparsed for k, p in enumerate(pieces))
        self.unparsed = Version(text)
        if all(p.stripped is not None for p in pieces):
            self.stripped = Version("\n".join(p.stripped.text for p in pieces if p.stripped.text))
            self.stripped.functions = lambda: merged_functions(self.stripped, pieces)
        else:
            self.stripped = None

    def patched(self, content):
        """The Model of content, a patched version of this file, re-rendering only the
        statements around each changed region (only the members of a class, where they parse
        on their own), else the whole file."""
        if self.spans is None or "\r" in content or "\0" in content:
            return whole_file(content, "original" if self.spans is None else "control characters")
        old, new = self.lines, content.split("\n")
        # the top-level statements holding each region's changed lines (an insertion: the line
        # after it), overlapping ones merged; new lines that would join the statement after them
        # (an open bracket, a decorator) do not parse on their own, and then the whole file is
        groups = []
        if self.anchors is None:  # where unchanged lines can be found: statements and members
            self.anchors = sorted(set(self.spans + [s for p in self.pieces if isinstance(p, ClassPiece) for s in p.unit.all_spans()]), key=lambda s: (s[0], -s[1]))
        for p, q, shift, delta in changed_regions(old, new, self.anchors):
            k = self.gap_at(new, p, q, shift, delta)
            if k is not None and groups and groups[-1][:2] == [k, k - 1]:
                groups[-1][2].append((p, p, shift, delta))
                continue
            if k is not None and not (groups and groups[-1][1] >= k - 1):
                groups.append([k, k - 1, [(p, p, shift, delta)]])  # no statement: new ones before k
                continue
            lo, hi = changed_lines(old, new, p, q, shift, delta)
            first = piece_at(self.spans, lo, False)
            last = piece_at(self.spans, hi, True)
            if first is None or last is None:
                return whole_file(content, "outside statements")
            if groups and first <= groups[-1][1]:
                # (a gap group [k, k - 1] and a change of statement k - 1's tail: [k - 1, last])
                groups[-1][0] = min(groups[-1][0], first)
                groups[-1][1] = max(groups[-1][1], last)
                groups[-1][2].append((lo, hi, shift, delta))
            else:
                groups.append([first, last, [(lo, hi, shift, delta)]])
        pieces, why = assembled_widening(lambda g: self.assembled(new, g), groups, 0, len(self.pieces) - 1, STATS, "file widened")
        if pieces is None:
            return whole_file(content, why)
        if pieces and not pieces[0].first:
            return whole_file(content, "first statement")  # a later statement would become the first one
        # a Model made by patched() is never patched again: it needs no spans
        return Model(content, pieces=pieces)

    def assembled(self, new, groups):
        """(the patched file's pieces, None, None), or (None, index of the group whose new text
        does not parse, why)."""
        pieces = []
        done = 0
        for k, (first, last, ranges) in enumerate(groups):
            made = self.repieced(new, first, last, ranges)
            if made is None:
                return None, k, "statements do not parse"
            pieces += self.pieces[done:first] + made
            done = last + 1
        return pieces + self.pieces[done:], None, None

    def gap_at(self, new, p, q, shift, delta):
        """k when the change of old lines [p, q) (new lines [p + shift, q + delta)) lies between
        the last code line of top-level statement k - 1 and the start of statement k (k = the
        count: the end of the file) and its first new line of code starts at column 0: new
        top-level statements there (or only comments), read on their own. Statement k - 1 ended
        before them (code at column 0 ends its block; an else or except would not parse alone)."""
        k = bisect.bisect_left(self.spans, (q, -1))
        if k == 0 or self.ends[k - 1] > p:
            return None
        for line in new[p + shift:q + delta]:
            code = line.lstrip(" \t\f")
            if code and not code.startswith("#"):
                return k if code is line else None
        return k

    def repieced(self, new, first, last, ranges):
        """New pieces for top-level statements first..last, which hold the changed old lines
        ranges [(lo, hi, shift, delta)] (old lines before lo are at +shift in new, those after
        hi at +delta); last = first - 1: new statements between the two (see gap_at)."""
        level = "statement"
        shift, delta = ranges[0][2], ranges[-1][3]
        if last < first:
            start = self.ends[last]
            end = self.spans[first][0] if first < len(self.spans) else len(self.lines)
            middle = "\n".join(new[start + shift:end + delta]) + ("\n" if end < len(self.lines) else "")
            made = REMADE_PIECES.get(pieces_of, middle, False)
            if made is not None:
                STATS["between"] = STATS.get("between", 0) + 1
            return None if made is None else list(made)
        if first == last and isinstance(self.pieces[first], ClassPiece):
            unit = self.pieces[first].unit.patched(new, ranges, len(self.lines), STATS)
            if unit is not None:
                return [ClassPiece(unit)] + list(unit.trailing)
            level = "class"
        start, end = self.spans[first][0], self.spans[last][1]
        middle = "\n".join(new[start + shift:end + delta]) + ("\n" if end < len(self.lines) else "")
        made = REMADE_PIECES.get(pieces_of, middle, first == 0)
        if made is None:
            return None
        made = list(made)
        STATS[level] = STATS.get(level, 0) + 1
        return made

    def piece(self, stmt, k):
        """The piece of top-level statement k: per member for a class or function that splits
        (see ClassUnit)."""
        if self.spans is not None and isinstance(stmt, DEF_TYPES):
            # rendered once (a def or class is never a docstring: Piece.unparsed_text's text)
            rendered = Rendered(stmt)
            unit = ClassUnit.split(stmt, 0, self.lines, self.spans[k], k == 0, rendered)
            # the joined text must be the class's own unparse (as Piece writes it)
            if unit is not None and unit.unparsed == rendered.text:
                return ClassPiece(unit)
            return Piece(stmt, k == 0, rendered.text)
        return Piece(stmt, k == 0)


def pieces_of(middle, first):
    """The Pieces of the top-level statements in middle (first: the module's first ones), or
    None when it does not parse (or unparse fails)."""
    try:
        return [Piece(stmt, first and k == 0) for k, stmt in enumerate(ast.parse(middle).body)]
    except Exception:
        return None


# new top-level statement texts re-rendered before (see Memo)
REMADE_PIECES = Memo(1000000)


def merged_functions(version, pieces):
    """function_nodes of the joined pieces, from each piece's own (cached) function_nodes:
    bare names first, Class.method after, each in statement order as one walk would find them."""
    if version._functions is None:
        free, methods = {}, {}
        for piece in pieces:
            for name, node in piece.stripped.functions().items():
                (methods if "." in name else free)[name] = node
        free.update(methods)
        version._functions = free
    return version._functions


def only_adds_functions(old, new):
    """No function removed or changed, at least one added."""
    before, after = old.functions(), new.functions()
    if not before.keys() <= after.keys() or len(after) == len(before):
        return False
    # a statement the patch did not touch is the same node in both: equal without rendering
    return all(before[name] is after[name] or old.rendered(name) == new.rendered(name) for name in before)


def compared_texts(old, new):
    """Both stripped texts when both strip cleanly, else both unparsed texts."""
    if old.stripped is not None and new.stripped is not None:
        return old.stripped, new.stripped
    return old.unparsed, new.unparsed


`;
