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
  const classes: Found<ClassSpan>[] = [];
  const functions: Found<Span>[] = [];
  const damaged = root.hasError; // in a tree without errors, no node needs the (costly) check
  // A cursor, not SyntaxNode objects: the binding makes objects slowly, and most nodes are skipped.
  const cursor = root.walk();

  /** Calls fn with the cursor on each child of the current node, then puts the cursor back. */
  const eachChild = (fn: (type: string) => void): void => {
    if (!cursor.gotoFirstChild()) return;
    do fn(typeOf(cursor));
    while (cursor.gotoNextSibling());
    cursor.gotoParent();
  };

  // depth mimics the depth of the statement in Python's AST (for Agentless's ast.walk order).
  const visitStatements = (scope: Scope, depth: number): void => eachChild(() => visitStatement(scope, depth));

  const visitStatement = (scope: Scope, depth: number): void => {
    const type = typeOf(cursor);
    switch (type) {
      case "decorated_definition":
        eachChild((t) => {
          if (t === "class_definition" || t === "function_definition") visitStatement(scope, depth);
        });
        return;
      case "class_definition":
      case "function_definition": {
        const start = cursor.startPosition.row;
        const end = opts.comments ? lastCodeLine(cursor.currentNode) : lineOfEnd(cursor.endPosition, start);
        let name = "";
        let body = false;
        const make = (): { cls?: ClassSpan } => {
          const item = { name, start_line: start + 1, end_line: end };
          if (!name) return {};
          if (type === "class_definition") {
            const cls: ClassSpan = { ...item, methods: [] };
            classes.push({ item: cls, depth });
            return { cls };
          }
          if (scope.kind === "module") functions.push({ item, depth });
          else if (scope.kind === "class") scope.cls.methods.push(item);
          return {};
        };
        const scopeOfBody = (cls: ClassSpan | undefined): Scope =>
          cls ? { kind: "class", cls } : type === "class_definition" ? scope : { kind: "function" };
        if (!opts.comments && !damaged) {
          // A tree with no errors and no comments (a clean skeleton): the name comes right after
          // the keywords, the body is the last child. Half the binding calls of visiting each child.
          cursor.gotoFirstChild();
          let named = fieldOf(cursor) === "name";
          while (!named && cursor.gotoNextSibling()) named = fieldOf(cursor) === "name";
          if (named) name = cursor.nodeText;
          cursor.gotoParent();
          cursor.gotoLastChild();
          if (fieldOf(cursor) === "body") {
            body = true;
            visitStatements(scopeOfBody(make().cls), depth + 1);
          }
          cursor.gotoParent();
          if (!body) make();
          return;
        }
        eachChild(() => {
          const field = fieldOf(cursor);
          if (field === "name") name = cursor.nodeText;
          else if (field === "body") {
            body = true;
            visitStatements(scopeOfBody(make().cls), depth + 1);
          }
        });
        if (!body) make();
        return;
      }
      case "if_statement": {
        let elifs = 0; // ast nests each elif as an If inside the previous one's orelse
        eachChild((t) => {
          if (t === "block") visitStatements(scope, depth + 1);
          else if (t === "elif_clause") {
            elifs++;
            visitClause(scope, depth + elifs);
          } else if (t === "else_clause") visitClause(scope, depth + elifs);
          else visitIfDamaged(scope, depth);
        });
        return;
      }
      case "for_statement":
      case "while_statement":
      case "try_statement":
      case "with_statement":
        eachChild((t) => {
          if (t === "block") visitStatements(scope, depth + 1);
          else if (t === "except_clause") visitClause(scope, depth + 1);
          else if (t === "else_clause" || t === "finally_clause") visitClause(scope, depth);
          else visitIfDamaged(scope, depth);
        });
        return;
      case "match_statement":
        eachChild((t) => {
          if (t === "block")
            eachChild((c) => {
              if (c === "case_clause") visitClause(scope, depth + 1);
            });
          else visitIfDamaged(scope, depth);
        });
        return;
      case "ERROR":
        visitStatements(scope, depth); // tree-sitter's recovery: keep what it kept
        return;
      default:
        visitIfDamaged(scope, depth);
    }
  };

  // Definitions can hide in error subtrees of anything; only look when the tree has errors.
  const visitIfDamaged = (scope: Scope, depth: number): void => {
    if (damaged && cursor.nodeIsNamed && cursor.currentNode.hasError) visitStatements(scope, depth);
  };

  // A clause (elif/else/except/finally/case) at AST depth `depth`: its block is one deeper.
  const visitClause = (scope: Scope, depth: number): void =>
    eachChild((t) => {
      if (t === "block") visitStatements(scope, depth + 1);
      else visitIfDamaged(scope, depth);
    });

  visitStatements({ kind: "module" }, 1);
  return { classes: ordered(classes), functions: ordered(functions), syntax_error: damaged };
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
