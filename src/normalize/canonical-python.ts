// A canonical text of Python source from its tree-sitter tree, standing in for Agentless's
// ast.unparse + remove_comments_and_docstrings (we have no Python AST in Node).
//
// Erased (two sources that differ only in these render the same):
//   comments; docstrings and every other statement that is only a string literal (kept when
//   dropping them would empty a block, where Agentless instead keeps the whole file as is);
//   blank lines; indentation width; spacing inside a line; line breaks inside brackets and
//   backslash continuations; `a; b` vs two lines; `if x: y` vs a two-line block; trailing
//   commas in calls, parameter lists, list/set/dict/tuple (2+ items) literals and
//   parenthesized imports.
// Not erased (ast.unparse would erase them): quote style and string prefixes, implicit string
//   concatenation vs one literal, redundant parentheses, spelling of numbers (0x10, 1_000),
//   formatting inside f-string braces, `pass` vs `...`.
import type Parser from "tree-sitter";
import { parseTracked, sharedPythonParser } from "../treesitter/python.js";

type Node = Parser.SyntaxNode;

const pythonParser = sharedPythonParser;

const SKIPPED = new Set(["comment", "line_continuation"]);
const CLAUSES = new Set(["elif_clause", "else_clause", "except_clause", "except_group_clause", "finally_clause"]);
const OPENERS = new Set(["(", "[", "{"]);
const CLOSERS = new Set([")", "]", "}"]);
// parents whose first token is a prefix operator written against its operand
const PREFIX_PARENTS = new Set([
  "unary_operator",
  "list_splat",
  "dictionary_splat",
  "list_splat_pattern",
  "dictionary_splat_pattern",
  "splat_pattern",
  "decorator",
]);
// where a trailing comma before the closing bracket changes nothing
const TRAILING_COMMA_PARENTS = new Set([
  "argument_list",
  "parameters",
  "list",
  "set",
  "dictionary",
  "import_from_statement",
]);
const TIGHT_DOT = new Set(["attribute", "dotted_name"]);
const EQUALS_TIGHT = new Set(["keyword_argument", "default_parameter"]);

export const isDocLike = (stmt: Node): boolean =>
  stmt.type === "expression_statement" &&
  stmt.namedChildren.filter((c) => !SKIPPED.has(c.type)).length === 1 &&
  ["string", "concatenated_string"].includes(stmt.namedChildren.filter((c) => !SKIPPED.has(c.type))[0].type);

/** The statements of a module or block, docstring-like string statements dropped. */
function statementsOf(node: Node): Node[] {
  const stmts = node.namedChildren.filter((c) => !SKIPPED.has(c.type));
  const kept = stmts.filter((s) => !isDocLike(s));
  return kept.length > 0 || node.type === "module" ? kept : stmts;
}

// The renderer walks down from the statement it renders and hands every node its parent and
// siblings: tree-sitter finds a node's parent by searching down from the root, which made
// rendering a large file quadratic.

/** Whether children[i] is a comma that changes nothing (before the closing bracket). */
function isTrailingComma(parent: Node, children: readonly Node[], i: number): boolean {
  if (children[i].type !== ",") return false;
  let j = i + 1;
  while (j < children.length && SKIPPED.has(children[j].type)) j++;
  if (j >= children.length || !CLOSERS.has(children[j].type)) return false;
  if (TRAILING_COMMA_PARENTS.has(parent.type)) return true;
  // (a,) is a tuple and (a) is not: only a tuple of two or more items may lose it
  return parent.type === "tuple" && parent.namedChildren.filter((c) => !SKIPPED.has(c.type)).length >= 2;
}

interface Token {
  text: string;
  parentType: string;
  firstOfParent: boolean;
}

/** One logical line: its depth and its tokens joined (a multi-line string keeps its "\n"s). */
interface LogicalLine {
  depth: number;
  text: string;
}

/**
 * Statements' logical lines (at depth 0) by their source text, for the statements of every
 * block and module. A statement's subtree depends only on its text in a file without syntax
 * errors (and rendering it depends only on its subtree), so a class whose one method changed
 * re-renders that method alone, and a method whose one statement changed re-renders that
 * statement alone (then the blocks around it, from their statements' memo entries). Shared by
 * the renders of one instance's files.
 */
export type MemberMemo = Map<string, MemberForm>;
interface MemberForm {
  logical: LogicalLine[];
  text?: string;
}

/** Whether a space separates two adjacent tokens of one logical line. */
function spaced(prev: Token, next: Token): boolean {
  const p = prev.text;
  const n = next.text;
  if (OPENERS.has(p) || CLOSERS.has(n) || n === "," || n === ":" || n === ";") return false;
  const pParent = prev.parentType;
  const nParent = next.parentType;
  if (PREFIX_PARENTS.has(pParent) && prev.firstOfParent) return false;
  if ((p === "." && TIGHT_DOT.has(pParent)) || (n === "." && TIGHT_DOT.has(nParent))) return false;
  // relative imports: "from .. pkg import x" renders as "from ..pkg import x"
  if (p === "." && pParent === "import_prefix") return n === "import";
  if (n === "." && nParent === "import_prefix") return p === "from";
  if (p === ":" && pParent === "slice") return false;
  if ((p === "=" && EQUALS_TIGHT.has(pParent)) || (n === "=" && EQUALS_TIGHT.has(nParent))) return false;
  if (n === "(" && (nParent === "argument_list" || nParent === "parameters")) return false;
  if (n === "[" && nParent === "subscript") return false;
  return true;
}

/** The text lines of logical lines rendered at `offset` levels deeper. */
export function flatten(logical: readonly LogicalLine[], offset = 0): string[] {
  const lines: string[] = [];
  for (const l of logical) {
    const line = "    ".repeat(l.depth + offset) + l.text;
    if (line.includes("\n")) lines.push(...line.split("\n"));
    else lines.push(line);
  }
  return lines;
}

class Renderer {
  readonly logical: LogicalLine[] = [];
  private tokens: Token[] = [];
  private depth = 0;

  constructor(private readonly memo?: MemberMemo) {}

  /** Start a new logical line at `depth`. */
  private newline(depth: number): void {
    this.flush();
    this.depth = depth;
  }

  flush(): void {
    if (this.tokens.length === 0) return;
    let line = this.tokens[0].text;
    for (let i = 1; i < this.tokens.length; i++) {
      line += (spaced(this.tokens[i - 1], this.tokens[i]) ? " " : "") + this.tokens[i].text;
    }
    this.logical.push({ depth: this.depth, text: line });
    this.tokens = [];
  }

  statements(container: Node, depth: number): void {
    for (const stmt of statementsOf(container)) {
      this.newline(depth);
      if (this.memo) {
        for (const l of memberForm(stmt, this.memo).logical)
          this.logical.push({ depth: l.depth + depth, text: l.text });
      } else {
        this.node(stmt, depth, container.type, false);
      }
    }
  }

  /** Tokens of `node` (whose parent has type `parentType`), whose statement sits at `depth`. */
  node(node: Node, depth: number, parentType: string, firstOfParent: boolean): void {
    const type = node.type;
    if (SKIPPED.has(type)) return;
    if (type === ";" && (parentType === "module" || parentType === "block")) return;
    if (type === "module") {
      this.statements(node, 0);
      return;
    }
    if (type === "string" || node.childCount === 0) {
      const text = node.text;
      if (text !== "") this.tokens.push({ text, parentType, firstOfParent });
      return;
    }
    const children = node.children;
    const definitionId = type === "decorated_definition" ? node.childForFieldName("definition")?.id : undefined;
    children.forEach((child, i) => {
      if (isTrailingComma(node, children, i)) return;
      if (child.type === "block") {
        this.statements(child, depth + 1);
      } else if (
        CLAUSES.has(child.type) ||
        child.type === "decorator" ||
        (definitionId !== undefined && child.id === definitionId)
      ) {
        this.newline(depth);
        this.node(child, depth, type, i === 0);
      } else {
        this.node(child, depth, type, i === 0);
      }
    });
  }
}

/** A class member's logical lines at depth 0, from the memo or rendered into it. */
export function memberForm(stmt: Node, memo: MemberMemo): MemberForm {
  const source = stmt.text;
  let form = memo.get(source);
  if (!form) {
    const r = new Renderer(memo);
    r.node(stmt, 0, "block", false);
    r.flush();
    form = { logical: r.logical };
    memo.set(source, form);
  }
  return form;
}

/** Canonical lines of one node (a module, or one of its statements; `parentType`: its parent's type). */
export function render(node: Node, parentType = "", memo?: MemberMemo): string[] {
  const r = new Renderer(memo);
  r.node(node, 0, parentType, false);
  r.flush();
  return flatten(r.logical);
}

/** Parse `source`; null when tree-sitter finds a syntax error. */
export function parsePython(source: string): Parser.Tree | null {
  const tree = parseTracked(pythonParser(), source);
  return tree.rootNode.hasError ? null : tree;
}

/** Canonical lines of a parsed module (see the header for what they are invariant to). */
export const canonicalLines = (tree: Parser.Tree): string[] => render(tree.rootNode);

/**
 * Agentless's get_functions, keyed the same way: every function not inside a class by its
 * name, every method defined directly in a class body as "Class.method" (later definitions
 * win); each maps to its canonical text, decorators included.
 */
export function functionsOf(tree: Parser.Tree): Map<string, string> {
  const out = new Map<string, string>();
  addFunctionsIn(tree.rootNode, out);
  return out;
}

/**
 * functionsOf's entries for the functions inside `node` (in document order: later ones win).
 * `nodeLines`: `node`'s own render, when the caller has it (a function statement is its own
 * function text); `memo`: class members rendered before (see MemberMemo).
 */
export function addFunctionsIn(node: Node, out: Map<string, string>, memo?: MemberMemo, nodeLines?: string[]): void {
  // pre-order, `node` included; a definition is in a class when a class found earlier spans it
  const classEnds: number[] = [];
  for (const def of node.descendantsOfType(["function_definition", "class_definition"])) {
    const start = def.startIndex;
    while (classEnds.length > 0 && classEnds[classEnds.length - 1] <= start) classEnds.pop();
    if (def.type === "function_definition") {
      if (classEnds.length > 0) continue;
      let text: string[];
      if (
        nodeLines &&
        (def.id === node.id ||
          (node.type === "decorated_definition" && node.childForFieldName("definition")?.id === def.id))
      ) {
        text = nodeLines; // the statement is this function (decorators included)
      } else {
        const parent = def.parent;
        const decorated = parent?.type === "decorated_definition" ? parent : null;
        text = render(decorated ?? def, (decorated ? decorated.parent?.type : parent?.type) ?? "", memo);
      }
      out.set(def.childForFieldName("name")?.text ?? "", text.join("\n"));
    } else {
      const name = def.childForFieldName("name")?.text;
      for (const item of def.childForFieldName("body")?.namedChildren ?? []) {
        const method = methodEntry(name, item, memo);
        if (method) out.set(method[0], method[1]);
      }
      classEnds.push(def.endIndex);
    }
  }
}

/** functionsOf's entry for a member `item` of class `className`, when it is a method. */
export function methodEntry(className: string | undefined, item: Node, memo?: MemberMemo): [string, string] | null {
  const fn = item.type === "decorated_definition" ? item.childForFieldName("definition") : item;
  if (fn?.type !== "function_definition") return null;
  let text: string;
  if (memo) {
    const form = memberForm(item, memo);
    text = form.text ??= flatten(form.logical).join("\n");
  } else {
    text = render(item, "block").join("\n");
  }
  return [`${className}.${fn.childForFieldName("name")?.text}`, text];
}

/** Comments and line continuations: never rendered. */
export const isSkipped = (node: Node): boolean => SKIPPED.has(node.type);
