// Does edited Python still parse? tree-sitter-python (native). Only errors the edit introduced
// count: a file that already failed to parse (e.g. Python 2 syntax) is not blamed on the edit.
// The checker keeps each original's tree and re-parses an edited file incrementally from it
// (only the changed span is parsed again): several times faster on big files, which matters
// at hundreds of samples per instance.
import { createHash } from "node:crypto";
import type Parser from "tree-sitter";
import { chunkedInput } from "../treesitter/chunked-input.js";
import { noteParse, sharedPythonParser } from "../treesitter/python.js";

export { chunkedInput };

const pythonParser = sharedPythonParser;

/** "line L, column C: …" of the first syntax error in a tree, or null. */
function firstError(tree: Parser.Tree): string | null {
  if (!tree.rootNode.hasError) return null;
  const cursor = tree.walk();
  for (;;) {
    const node = cursor.currentNode;
    if (node.isError || node.isMissing) {
      const at = `line ${node.startPosition.row + 1}, column ${node.startPosition.column + 1}`;
      return node.isMissing
        ? `${at}: missing ${node.type}`
        : `${at}: unexpected ${JSON.stringify(node.text.slice(0, 40))}`;
    }
    if (node.hasError && cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) return "syntax error";
    }
  }
}

/** The first syntax error in `code` (full parse), or null when it parses. */
export const pythonSyntaxError = (code: string): string | null => {
  noteParse(code.length);
  return firstError(pythonParser().parse(chunkedInput(code)));
};

export const isPythonPath = (path: string): boolean => path.endsWith(".py") || path.endsWith(".pyi");

/** Row and column (UTF-16 units, as the node binding counts them) of offset `index`. */
function pointAt(text: string, index: number): Parser.Point {
  let row = 0;
  let lineStart = 0;
  for (let k = text.indexOf("\n"); k >= 0 && k < index; k = text.indexOf("\n", k + 1)) {
    row++;
    lineStart = k + 1;
  }
  return { row, column: index - lineStart };
}

/** Syntax checks for the files of one instance: original trees kept, verdicts cached per edited text. */
export class PythonSyntaxChecker {
  private originals = new Map<string, { text: string; tree: Parser.Tree; error: string | null }>();
  private verdicts = new Map<string, string | null>();

  private original(path: string, text: string) {
    let entry = this.originals.get(path);
    if (!entry || entry.text !== text) {
      noteParse(text.length);
      const tree = pythonParser().parse(chunkedInput(text));
      this.originals.set(path, (entry = { text, tree, error: firstError(tree) }));
    }
    return entry;
  }

  /** The syntax error the edit of `path` from `oldText` to `newText` introduces, or null. */
  introducedError(path: string, oldText: string, newText: string): string | null {
    const base = this.original(path, oldText);
    if (base.error !== null) return null; // already broken: not the edit's fault
    const key = `${path}\u0000${createHash("sha1").update(newText).digest("hex")}`;
    const known = this.verdicts.get(key);
    if (known !== undefined) return known;
    let start = 0;
    const shorter = Math.min(oldText.length, newText.length);
    while (start < shorter && oldText.charCodeAt(start) === newText.charCodeAt(start)) start++;
    let tail = 0;
    while (
      tail < shorter - start &&
      oldText.charCodeAt(oldText.length - 1 - tail) === newText.charCodeAt(newText.length - 1 - tail)
    )
      tail++;
    const p = pythonParser();
    noteParse(oldText.length + newText.length);
    const edited = p.parse(chunkedInput(oldText), base.tree); // a fresh tree sharing the original's nodes, safe to edit
    edited.edit({
      startIndex: start,
      oldEndIndex: oldText.length - tail,
      newEndIndex: newText.length - tail,
      startPosition: pointAt(oldText, start),
      oldEndPosition: pointAt(oldText, oldText.length - tail),
      newEndPosition: pointAt(newText, newText.length - tail),
    });
    const verdict = firstError(p.parse(chunkedInput(newText), edited));
    this.verdicts.set(key, verdict);
    return verdict;
  }
}

/** path → error, for edited Python files that parsed before the edit and do not after it. */
export function newSyntaxErrors(
  originals: Readonly<Record<string, string>>,
  newContents: Readonly<Record<string, string>>,
  checker = new PythonSyntaxChecker(),
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const [path, text] of Object.entries(newContents)) {
    if (!isPythonPath(path)) continue;
    const error = checker.introducedError(path, originals[path] ?? "", text);
    if (error) errors[path] = error;
  }
  return errors;
}
