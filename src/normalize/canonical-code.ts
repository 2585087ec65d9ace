// The canonical text of a source file of another language (C, C++, Go, Java, JS/TS, PHP,
// Ruby, Rust), from its tree-sitter tree, for grouping repair samples in the vote.
//
// Erased (two sources that differ only in these render the same): comments (every node whose
//   type names a comment, doc comments included); blank lines; indentation; spacing between
//   tokens within a line (each line's tokens joined by one space).
// Kept: line breaks between tokens (they are syntax in Go, Ruby and JavaScript), the text of
//   string, character, template and regex literals and heredocs whole (spaces inside them
//   count), any text no token covers (kept verbatim), and everything else token by token.
// A file whose tree has an error is not rendered (null): its raw text is compared instead.
import type Parser from "tree-sitter";
import { mapCodeTree } from "../repomap/extract-code.js";
import { chunkedInput } from "../treesitter/chunked-input.js";
import { languageOfPath, ParserSet, type CodeLanguage, type LanguageFamily } from "../treesitter/languages.js";

// Literals taken whole: whitespace inside them is part of the value.
const LITERAL =
  /string|heredoc|nowdoc|^regex$|regex_literal|text_block|char_literal|character_literal|rune_literal|^character$|^template_string$/;
const isComment = (type: string): boolean => type.includes("comment");

export interface CodeForm {
  /** The canonical lines. */
  lines: string[];
  /** Top-level functions and methods (Class.method) → their canonical text: for the only-adds-functions rule. */
  functions: Map<string, string>;
}

/** The canonical form of `text` in `lang`, or null when the grammar finds an error in it. */
export function canonicalCode(parser: Parser, lang: CodeLanguage, text: string): CodeForm | null {
  const tree = parser.parse(chunkedInput(text));
  const root = tree.rootNode;
  if (root.hasError) return null;
  const rows = new Map<number, string[]>(); // source row → its tokens
  const put = (row: number, token: string): void => {
    const list = rows.get(row);
    if (list) list.push(token);
    else rows.set(row, [token]);
  };
  let prevEnd = 0;
  let prevRow = 0;
  // text between two tokens: nothing when it is only whitespace, else kept as it is
  const gap = (until: number): void => {
    const between = text.slice(prevEnd, until);
    if (between.trim() !== "") put(prevRow, between.trim());
  };
  const cursor = root.walk();
  for (;;) {
    const node = cursor.currentNode;
    const atomic = node.childCount === 0 || LITERAL.test(node.type);
    if (isComment(node.type) || (atomic && node.endIndex > node.startIndex)) {
      gap(node.startIndex);
      if (!isComment(node.type)) put(node.startPosition.row, node.text);
      prevEnd = node.endIndex;
      prevRow = node.endPosition.row;
    } else if (!atomic && cursor.gotoFirstChild()) {
      continue;
    }
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) {
        gap(text.length);
        const order = [...rows.keys()].sort((a, b) => a - b);
        const lineOf = new Map(order.map((r) => [r, rows.get(r)!.join(" ")]));
        return { lines: order.map((r) => lineOf.get(r)!), functions: functionsOf(lang, root, order, lineOf) };
      }
    }
  }
}

function functionsOf(
  lang: CodeLanguage,
  root: Parser.SyntaxNode,
  order: number[],
  lineOf: Map<number, string>,
): Map<string, string> {
  const map = mapCodeTree(lang, root);
  const textOf = (start: number, end: number): string =>
    order
      .filter((r) => r >= start - 1 && r <= end - 1)
      .map((r) => lineOf.get(r)!)
      .join("\n");
  const out = new Map<string, string>();
  for (const f of map.functions) out.set(f.name, textOf(f.start_line, f.end_line));
  for (const c of map.classes)
    for (const m of c.methods) out.set(`${c.name}.${m.name}`, textOf(m.start_line, m.end_line));
  return out;
}

/** Canonical forms of a family's files; other files (and files with errors) get null. */
export class CodeCanonicalizer {
  private readonly parsers = new ParserSet();
  constructor(readonly family: LanguageFamily) {}

  formOf(path: string, text: string): CodeForm | null {
    const lang = languageOfPath(path, this.family);
    return lang ? canonicalCode(this.parsers.get(lang), lang, text) : null;
  }
}
