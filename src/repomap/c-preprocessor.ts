// C and C++: tree-sitter parses preprocessor conditionals as syntax, so code whose braces only
// balance across `#ifdef` branches (`if (a) { … } else {` in one branch, `}` after `#endif`),
// or `#include` inside an initializer, becomes one long error that swallows the definitions
// after it. When a tree has errors, the file is parsed again with every directive line
// blanked (all branches then read as one), and the tree whose errors cover fewer lines is kept.
import type Parser from "tree-sitter";
import type { Tree } from "tree-sitter";

/** The text with each preprocessor directive (and its `\` continuation lines) blanked; rows are kept. */
export function blankDirectives(text: string): string {
  const lines = text.split("\n");
  let continued = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (continued || /^\s*#/.test(line)) {
      continued = line.endsWith("\\");
      lines[i] = "";
    }
  }
  return lines.join("\n");
}

/** Lines covered by top-level nodes that hold a syntax error. */
export function damagedLines(tree: Tree): number {
  let n = 0;
  for (const c of tree.rootNode.children)
    if (c.hasError || c.isMissing) n += c.endPosition.row - c.startPosition.row + 1;
  return n;
}

export function parseC(parser: Parser, text: string): Tree {
  const tree = parser.parse(text, undefined, { bufferSize: text.length + 1 });
  if (!tree.rootNode.hasError) return tree;
  const blanked = blankDirectives(text);
  const again = parser.parse(blanked, undefined, { bufferSize: blanked.length + 1 });
  return damagedLines(again) < damagedLines(tree) ? again : tree;
}
