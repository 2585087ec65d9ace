// Formatting-only variants of Python source, for testing normalization on real code: on the
// chosen lines, spaces after commas are dropped, a trailing comment is added and a blank line
// is inserted after; lines where that could change meaning (the end of the line inside a
// string, a backslash continuation, non-ASCII text) are left alone.
import type Parser from "tree-sitter";
import { parsePython } from "./canonical-python.js";

function insideString(node: Parser.SyntaxNode | null): boolean {
  for (let n = node; n; n = n.parent) if (n.type === "string" || n.type === "concatenated_string") return true;
  return false;
}

/** `text` with lines `rows` (0-based) reformatted; null when `text` does not parse. */
export function reformatLines(text: string, rows: ReadonlySet<number>): string | null {
  const tree = parsePython(text);
  if (!tree) return null;
  const lines = text.split("\n");
  const commas = new Map<number, number[]>();
  for (const c of tree.rootNode.descendantsOfType(",")) {
    if (insideString(c)) continue;
    const row = c.startPosition.row;
    commas.set(row, [...(commas.get(row) ?? []), c.startPosition.column]);
  }
  const out: string[] = [];
  lines.forEach((line, row) => {
    const safe =
      rows.has(row) &&
      /^[\x20-\x7e\t]*$/.test(line) &&
      !line.trimEnd().endsWith("\\") &&
      !insideString(tree.rootNode.descendantForPosition({ row, column: Math.max(0, line.length - 1) })) &&
      !insideString(tree.rootNode.descendantForPosition({ row, column: line.length }));
    if (!safe) return out.push(line);
    let changed = line;
    for (const col of [...(commas.get(row) ?? [])].sort((a, b) => b - a)) {
      if (changed[col + 1] === " ") changed = changed.slice(0, col + 1) + changed.slice(col + 2);
    }
    out.push(`${changed}  # reviewed`, "");
  });
  return out.join("\n");
}
