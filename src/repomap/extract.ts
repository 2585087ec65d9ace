// Python file → classes (nested too, each with its methods) and module-level functions, from
// a tree-sitter-python tree. Agentless builds the same lists with Python's ast.walk; where we
// differ, it is on purpose (the list is at the top of command.ts): async defs are included,
// methods are the defs whose scope is the class body, functions those whose scope is the module.
import type Parser from "tree-sitter";
import type { Point, SyntaxNode, TreeCursor } from "tree-sitter";
import { pythonSkeleton } from "./skeleton.js";
import type { ClassSpan, PyFileMap, Span } from "./types.js";

export type ParseMode = "skeleton" | "full";

type Scope = { kind: "module" } | { kind: "class"; cls: ClassSpan } | { kind: "function" };
interface Found<T extends Span> {
  item: T;
  depth: number;
}

/** Universal newlines, as Python's open() gives them: tree-sitter counts rows on "\n" only. */
export const normalizeNewlines = (text: string): string => (text.includes("\r") ? text.replace(/\r\n?/g, "\n") : text);

export function mapPythonSource(parser: Parser, source: string, mode: ParseMode = "skeleton"): PyFileMap {
  const text = normalizeNewlines(source);
  if (mode === "skeleton") {
    const skel = pythonSkeleton(text);
    if (skel.clean) {
      const tree = parser.parse(skel.text);
      if (!tree.rootNode.hasError) return mapTree(tree.rootNode, { comments: false });
    }
  }
  return mapTree(parser.parse(text, undefined, { bufferSize: text.length + 1 }).rootNode, { comments: true });
}

/** `comments`: false when the source has none (a skeleton), which saves looking past them. */
export function mapTree(root: SyntaxNode, opts: { comments: boolean }): PyFileMap {
  const walker = new MapWalker(root, opts.comments);
  walker.statements(MODULE, 1);
  return { classes: ordered(walker.classes), functions: ordered(walker.functions), syntax_error: walker.damaged };
}

const MODULE: Scope = { kind: "module" };
const FUNCTION: Scope = { kind: "function" };

// A cursor, not SyntaxNode objects: the binding makes objects slowly, and most nodes are skipped.
// Methods with plain loops over the children, not closures taking callbacks: V8 compiled the
// closure version's statement visitor at ~90 ms a time, in every thread.
class MapWalker {
  readonly classes: Found<ClassSpan>[] = [];
  readonly functions: Found<Span>[] = [];
  /** In a tree without errors, no node needs the (costly) hasError check. */
  readonly damaged: boolean;
  private readonly cursor: TreeCursor;

  constructor(
    root: SyntaxNode,
    private readonly comments: boolean,
  ) {
    this.damaged = root.hasError;
    this.cursor = root.walk();
  }

  /**
   * The children of the cursor's node as statements; `depth` mimics the depth of the statement
   * in Python's AST (for Agentless's ast.walk order).
   */
  statements(scope: Scope, depth: number): void {
    const c = this.cursor;
    if (!c.gotoFirstChild()) return;
    do this.statement(scope, depth);
    while (c.gotoNextSibling());
    c.gotoParent();
  }

  private statement(scope: Scope, depth: number): void {
    const c = this.cursor;
    const type = typeOf(c);
    switch (type) {
      case "decorated_definition":
        if (!c.gotoFirstChild()) return;
        do {
          const t = typeOf(c);
          if (t === "class_definition" || t === "function_definition") this.definition(t, scope, depth);
        } while (c.gotoNextSibling());
        c.gotoParent();
        return;
      case "class_definition":
      case "function_definition":
        this.definition(type, scope, depth);
        return;
      case "if_statement": {
        if (!c.gotoFirstChild()) return;
        let elifs = 0; // ast nests each elif as an If inside the previous one's orelse
        do {
          const t = typeOf(c);
          if (t === "block") this.statements(scope, depth + 1);
          else if (t === "elif_clause") {
            elifs++;
            this.clause(scope, depth + elifs);
          } else if (t === "else_clause") this.clause(scope, depth + elifs);
          else this.ifDamaged(scope, depth);
        } while (c.gotoNextSibling());
        c.gotoParent();
        return;
      }
      case "for_statement":
      case "while_statement":
      case "try_statement":
      case "with_statement":
        if (!c.gotoFirstChild()) return;
        do {
          const t = typeOf(c);
          if (t === "block") this.statements(scope, depth + 1);
          else if (t === "except_clause") this.clause(scope, depth + 1);
          else if (t === "else_clause" || t === "finally_clause") this.clause(scope, depth);
          else this.ifDamaged(scope, depth);
        } while (c.gotoNextSibling());
        c.gotoParent();
        return;
      case "match_statement":
        if (!c.gotoFirstChild()) return;
        do {
          if (typeOf(c) === "block") {
            if (!c.gotoFirstChild()) continue;
            do if (typeOf(c) === "case_clause") this.clause(scope, depth + 1);
            while (c.gotoNextSibling());
            c.gotoParent();
          } else this.ifDamaged(scope, depth);
        } while (c.gotoNextSibling());
        c.gotoParent();
        return;
      case "ERROR":
        this.statements(scope, depth); // tree-sitter's recovery: keep what it kept
        return;
      default:
        this.ifDamaged(scope, depth);
    }
  }

  private definition(type: string, scope: Scope, depth: number): void {
    const c = this.cursor;
    const start = c.startPosition.row;
    const end = this.comments ? lastCodeLine(c.currentNode) : lineOfEnd(c.endPosition, start);
    let name = "";
    let body = false;
    if (!this.comments && !this.damaged) {
      // A tree with no errors and no comments (a clean skeleton): the name comes right after
      // the keywords, the body is the last child. Half the binding calls of visiting each child.
      c.gotoFirstChild();
      let named = fieldOf(c) === "name";
      while (!named && c.gotoNextSibling()) named = fieldOf(c) === "name";
      if (named) name = c.nodeText;
      c.gotoParent();
      c.gotoLastChild();
      if (fieldOf(c) === "body") {
        body = true;
        this.statements(this.bodyScope(type, scope, this.record(type, name, start, end, scope, depth)), depth + 1);
      }
      c.gotoParent();
    } else if (c.gotoFirstChild()) {
      do {
        const field = fieldOf(c);
        if (field === "name") name = c.nodeText;
        else if (field === "body") {
          body = true;
          this.statements(this.bodyScope(type, scope, this.record(type, name, start, end, scope, depth)), depth + 1);
        }
      } while (c.gotoNextSibling());
      c.gotoParent();
    }
    if (!body) this.record(type, name, start, end, scope, depth);
  }

  /** Lists a named definition where it belongs; a class's span, to collect its methods. */
  private record(
    type: string,
    name: string,
    start: number,
    end: number,
    scope: Scope,
    depth: number,
  ): ClassSpan | undefined {
    if (!name) return undefined;
    const item = { name, start_line: start + 1, end_line: end };
    if (type === "class_definition") {
      const cls: ClassSpan = { ...item, methods: [] };
      this.classes.push({ item: cls, depth });
      return cls;
    }
    if (scope.kind === "module") this.functions.push({ item, depth });
    else if (scope.kind === "class") scope.cls.methods.push(item);
    return undefined;
  }

  private bodyScope(type: string, scope: Scope, cls: ClassSpan | undefined): Scope {
    if (cls) return { kind: "class", cls };
    return type === "class_definition" ? scope : FUNCTION;
  }

  // Definitions can hide in error subtrees of anything; only look when the tree has errors.
  private ifDamaged(scope: Scope, depth: number): void {
    const c = this.cursor;
    if (this.damaged && c.nodeIsNamed && c.currentNode.hasError) this.statements(scope, depth);
  }

  // A clause (elif/else/except/finally/case) at AST depth `depth`: its block is one deeper.
  private clause(scope: Scope, depth: number): void {
    const c = this.cursor;
    if (!c.gotoFirstChild()) return;
    do {
      if (typeOf(c) === "block") this.statements(scope, depth + 1);
      else this.ifDamaged(scope, depth);
    } while (c.gotoNextSibling());
    c.gotoParent();
  }
}

// The binding makes a new string on every nodeType/currentFieldName read (≈ 3% of a cold map's
// instructions); the numeric ids are cheap. Names by id, read once per thread (one grammar).
const typeNames: string[] = [];
const fieldNames: Array<string | undefined> = [];
const typeOf = (cursor: TreeCursor): string => (typeNames[cursor.nodeTypeId] ??= cursor.nodeType);
const fieldOf = (cursor: TreeCursor): string | undefined => {
  const id = cursor.currentFieldId;
  return id === 0 ? undefined : (fieldNames[id] ??= cursor.currentFieldName);
};

// Two definitions never start on the same line, so (depth, line) is ast.walk's order.
const ordered = <T extends Span>(found: Found<T>[]): T[] =>
  found.sort((a, b) => a.depth - b.depth || a.item.start_line - b.item.start_line).map((f) => f.item);

/** The last line holding code: tree-sitter lets trailing comments into a block, Python's AST does not. */
function lastCodeLine(node: SyntaxNode): number {
  let last = node;
  for (;;) {
    let next: SyntaxNode | null = null;
    for (let i = last.childCount - 1; i >= 0; i--) {
      const c = last.child(i);
      if (c && c.type !== "comment") {
        next = c;
        break;
      }
    }
    if (!next) break;
    last = next;
  }
  return lineOfEnd(last.endPosition, node.startPosition.row);
}

function lineOfEnd(end: Point, startRow: number): number {
  return end.column === 0 && end.row > startRow ? end.row : end.row + 1;
}
