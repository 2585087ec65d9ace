// Does an edited source file of another language still parse? Its tree-sitter grammar
// (languages.ts). tree-sitter recovers from errors and many real files already have some (C
// macros, newer syntax than the grammar knows), so an edit is blamed only for the errors it
// adds: the ERROR and MISSING nodes of the edited file, each by what it is and covers, against
// those of the original; one more of any = a syntax error. (Python keeps its own check, syntax.ts.)
import { createHash } from "node:crypto";
import type Parser from "tree-sitter";
import { languageOfPath, ParserSet, type LanguageFamily } from "../treesitter/languages.js";
import { chunkedInput } from "../treesitter/chunked-input.js";

interface ErrorNode {
  signature: string;
  where: string;
}

/** Every ERROR / MISSING node of a tree (a subtree with no error is not walked). */
export function errorNodes(tree: Parser.Tree): ErrorNode[] {
  const out: ErrorNode[] = [];
  if (!tree.rootNode.hasError) return out;
  const cursor = tree.walk();
  for (;;) {
    const node = cursor.currentNode;
    const at = `line ${node.startPosition.row + 1}, column ${node.startPosition.column + 1}`;
    if (node.isMissing) out.push({ signature: `missing ${node.type}`, where: `${at}: missing ${node.type}` });
    else if (node.isError)
      out.push({
        signature: `error ${node.text.slice(0, 200)}`,
        where: `${at}: unexpected ${JSON.stringify(node.text.slice(0, 40))}`,
      });
    // Into a node only when an error lies below it (an ERROR node's own children may hold more).
    if ((node.hasError || node.isError) && cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) return out;
    }
  }
}

/** The errors of `after` that `before` does not have (as many times), in file order. */
function addedErrors(before: readonly ErrorNode[], after: readonly ErrorNode[]): ErrorNode[] {
  const left = new Map<string, number>();
  for (const e of before) left.set(e.signature, (left.get(e.signature) ?? 0) + 1);
  return after.filter((e) => {
    const n = left.get(e.signature) ?? 0;
    if (n > 0) {
      left.set(e.signature, n - 1);
      return false;
    }
    return true;
  });
}

/** Syntax checks for the files of one instance of a language family: originals' errors and verdicts cached. */
export class CodeSyntaxChecker {
  private readonly parsers = new ParserSet();
  private readonly originals = new Map<string, { text: string; errors: ErrorNode[] }>();
  private readonly verdicts = new Map<string, string | null>();

  constructor(readonly family: LanguageFamily) {}

  /** The grammar's errors in `text` as the file at `path` (null: not a source file of the family). */
  errorsOf(path: string, text: string): ErrorNode[] | null {
    const lang = languageOfPath(path, this.family);
    if (!lang) return null;
    return errorNodes(this.parsers.get(lang).parse(chunkedInput(text)));
  }

  /** The first syntax error the edit of `path` introduces, or null (also for files of no grammar). */
  introducedError(path: string, oldText: string, newText: string): string | null {
    let base = this.originals.get(path);
    if (!base || base.text !== oldText) {
      const errors = this.errorsOf(path, oldText);
      if (errors === null) return null;
      this.originals.set(path, (base = { text: oldText, errors }));
    }
    const key = `${path}\u0000${createHash("sha1").update(newText).digest("hex")}`;
    const known = this.verdicts.get(key);
    if (known !== undefined) return known;
    const added = addedErrors(base.errors, this.errorsOf(path, newText) ?? []);
    const verdict = added.length === 0 ? null : added[0]!.where;
    this.verdicts.set(key, verdict);
    return verdict;
  }

  /** path → error, for edited files that gained a syntax error (the lenient check). */
  newErrors(
    originals: Readonly<Record<string, string>>,
    newContents: Readonly<Record<string, string>>,
  ): Record<string, string> {
    const errors: Record<string, string> = {};
    for (const [path, text] of Object.entries(newContents)) {
      const error = this.introducedError(path, originals[path] ?? "", text);
      if (error) errors[path] = error;
    }
    return errors;
  }

  /**
   * The strict check (repair.syntax_check strict, Python's ast.parse of every edited file):
   * every edited file non-blank and, when of the family, parsed with no error at all.
   */
  strictErrors(newContents: Readonly<Record<string, string>>): Record<string, string> {
    const errors: Record<string, string> = {};
    for (const [path, text] of Object.entries(newContents)) {
      if (text.trim() === "") {
        errors[path] = "the edited file is empty (strict check)";
        continue;
      }
      const found = this.errorsOf(path, text);
      if (found && found.length > 0) errors[path] = `${found[0]!.where} (strict check: the grammar accepts no error)`;
    }
    return errors;
  }
}
