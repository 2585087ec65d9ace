// Does edited Python still parse? tree-sitter-python (native). Only errors the edit introduced
// count: a file that already failed to parse (e.g. Python 2 syntax) is not blamed on the edit.
import Parser from "tree-sitter";
import Python from "tree-sitter-python";

let parser: Parser | undefined;

function pythonParser(): Parser {
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(Python as Parser.Language);
  }
  return parser;
}

/** "line L, column C: …" of the first syntax error in `code`, or null when it parses. */
export function pythonSyntaxError(code: string): string | null {
  const tree = pythonParser().parse(code);
  if (!tree.rootNode.hasError) return null;
  const cursor = tree.walk();
  for (;;) {
    const node = cursor.currentNode;
    if (node.isError || node.isMissing) {
      const at = `line ${node.startPosition.row + 1}, column ${node.startPosition.column + 1}`;
      return node.isMissing ? `${at}: missing ${node.type}` : `${at}: unexpected ${JSON.stringify(node.text.slice(0, 40))}`;
    }
    if (node.hasError && cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) return "syntax error";
    }
  }
}

export const isPythonPath = (path: string): boolean => path.endsWith(".py") || path.endsWith(".pyi");

/** path → error, for edited Python files that parsed before the edit and do not after it. */
export function newSyntaxErrors(originals: Readonly<Record<string, string>>, newContents: Readonly<Record<string, string>>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const [path, text] of Object.entries(newContents)) {
    if (!isPythonPath(path)) continue;
    const error = pythonSyntaxError(text);
    if (error && pythonSyntaxError(originals[path] ?? "") === null) errors[path] = error;
  }
  return errors;
}
