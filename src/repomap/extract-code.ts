// Source file of a non-Python language → its classes (structs, impls, interfaces, traits,
// enums, modules...) with their methods, and its top-level functions, from a tree-sitter tree.
// One walk for every language, driven by the per-language tables of code-rules.ts.
//
// The rules, for all languages (docs/languages.md):
//  - a definition starts on the line of its name (not its annotations, attributes, modifiers
//    or return type: the line ctags reports) and ends on the line its node ends;
//  - every class-like definition is listed (nested ones too), except inside function bodies;
//  - methods are the functions whose nearest enclosing definition is a class-like one;
//    functions are those with none; functions inside functions are not listed;
//  - Go methods join the type of their receiver when the file defines it.
import type Parser from "tree-sitter";
import type { SyntaxNode, TreeCursor } from "tree-sitter";
import type { CodeLanguage } from "../treesitter/languages.js";
import { parseC } from "./c-preprocessor.js";
import { RULES, type Definition } from "./code-rules.js";
import { normalizeNewlines } from "./extract.js";
import type { CodeClassSpan, CodeFileMap, CodeSpan } from "./types.js";

type Scope = { kind: "top" } | { kind: "class"; cls: CodeClassSpan } | { kind: "function" };

export function mapCodeSource(parser: Parser, lang: CodeLanguage, source: string): CodeFileMap {
  const text = normalizeNewlines(source);
  const tree =
    lang === "c" || lang === "cpp"
      ? parseC(parser, text)
      : parser.parse(text, undefined, { bufferSize: text.length + 1 });
  return mapCodeTree(lang, tree.rootNode);
}

export function mapCodeTree(lang: CodeLanguage, root: SyntaxNode): CodeFileMap {
  const rules = RULES[lang];
  const classes: CodeClassSpan[] = [];
  const functions: CodeSpan[] = [];
  const receivers: Array<{ span: CodeSpan; receiver: string }> = [];
  // A cursor, not SyntaxNode objects, for the walk: the binding makes objects slowly and most
  // nodes are no definition. A node object is made only for candidate types.
  const cursor: TreeCursor = root.walk();

  const visitChildren = (scope: Scope): void => {
    if (!cursor.gotoFirstChild()) return;
    let skipNext = false;
    do {
      if (!cursor.nodeIsNamed) continue;
      const type = cursor.nodeType;
      if (rules.skipsNext?.(type, cursor)) {
        skipNext = true;
        continue;
      }
      if (rules.keepsSkip?.has(type)) continue;
      if (skipNext) {
        skipNext = false;
        continue;
      }
      visit(type, scope);
    } while (cursor.gotoNextSibling());
    cursor.gotoParent();
  };

  const visit = (type: string, scope: Scope): void => {
    if (rules.leaves.has(type)) return;
    const def = rules.candidates.has(type) ? rules.definition(cursor.currentNode) : null;
    if (def === "skip") return;
    if (!def) {
      visitChildren(scope);
      return;
    }
    const span: CodeSpan = {
      name: def.name,
      kind: def.kind,
      start_line: def.line,
      end_line: endLine(cursor.currentNode),
    };
    if (def.role === "class") {
      const cls: CodeClassSpan = { ...span, methods: [] };
      classes.push(cls);
      visitChildren({ kind: "class", cls });
      return;
    }
    if (scope.kind === "class") scope.cls.methods.push({ ...span, kind: "method" });
    else if (scope.kind === "top") {
      if (def.receiver !== undefined) receivers.push({ span: { ...span, kind: "method" }, receiver: def.receiver });
      else functions.push(span);
    }
    // Function bodies are not walked: closures and local types are not listed.
  };

  visitChildren({ kind: "top" });
  attachReceivers(receivers, classes, functions);
  const byLine = (a: CodeSpan, b: CodeSpan) => a.start_line - b.start_line;
  classes.sort(byLine);
  functions.sort(byLine);
  for (const c of classes) c.methods.sort(byLine);
  return { language: lang, classes, functions, syntax_error: root.hasError };
}

/** Go: a method joins the first type of that name in the file; otherwise it is a function `Type.name`. */
function attachReceivers(
  found: Array<{ span: CodeSpan; receiver: string }>,
  classes: CodeClassSpan[],
  functions: CodeSpan[],
): void {
  if (found.length === 0) return;
  const byName = new Map<string, CodeClassSpan>();
  for (const c of classes) if (!byName.has(c.name)) byName.set(c.name, c);
  for (const { span, receiver } of found) {
    const cls = byName.get(receiver);
    if (cls) cls.methods.push(span);
    else functions.push({ ...span, name: receiver ? `${receiver}.${span.name}` : span.name });
  }
}

/** 1-based last line of a node; a node ending at column 0 ends on the line before. */
function endLine(node: SyntaxNode): number {
  const end = node.endPosition;
  return end.column === 0 && end.row > node.startPosition.row ? end.row : end.row + 1;
}

export type { Definition };
