// normalizePatch for many samples of one instance, with the same results, at the speed of the
// data: the original files are parsed and rendered once; each top-level statement is rendered
// once per distinct text (a sample's new file re-renders only the statements its change
// touched); a file change seen before (same old and new text) is not diffed again.
//
// Why a statement's text is a safe cache key: the canonical lines and functions of a module are
// those of its top-level statements in order (canonical-python.ts renders each on lines of its
// own, and functionsOf visits them in document order), and a top-level statement's subtree
// depends only on its own text in a file without syntax errors.
import { createHash } from "node:crypto";
import type Parser from "tree-sitter";
import { applyUnifiedDiff, PatchApplyError } from "../reward/apply-diff.js";
import { unifiedDiff } from "../reward/unified-diff.js";
import { parseTracked, sharedPythonParser } from "../treesitter/python.js";
import { editsBetween } from "./text-edits.js";
import { addFunctionsIn, isDocLike, isSkipped, type MemberMemo, render } from "./canonical-python.js";
import { assemble, ChunkedForms, type FileForm, type Layout, layoutOf, type StatementForm } from "./chunked-forms.js";
import { isPythonPath, type NormalizedPatch, onlyAddsFunctions, rawLines } from "./normalize-patch.js";

/** An original file: its tree (the start of a sample's incremental parse), form and chunks. */
interface Original {
  text: string;
  tree: Parser.Tree;
  form: FileForm | null;
  layout: Layout | null;
  last?: { text: string; tree: Parser.Tree };
}

const digest = (text: string): string => createHash("sha1").update(text).digest("base64");

export class InstanceNormalizer {
  private readonly statements = new Map<string, StatementForm>();
  private readonly members: MemberMemo = new Map();
  /** an original Python text → its tree and form (Map hashes a string once: the originals are few) */
  private readonly parsedOriginals = new Map<string, Original>();
  /** an original text → its digest */
  private readonly originalDigests = new Map<string, string>();
  /** path, old and new digests → the file's normalized diff. */
  private readonly changes = new Map<string, string>();

  private readonly formSource = {
    statementForm: (stmt: Parser.SyntaxNode) => this.statementForm(stmt),
    members: this.members,
  };
  /** Work done so far (tests check that the caches are used). */
  readonly stats = { parses: 0, statementsRendered: 0, filesDiffed: 0 };
  /** Edited files' forms from their changed parts alone (null: always the whole file). */
  readonly chunked: ChunkedForms | null;

  /** `chunked: false`: parse every edited file whole (the check that chunks change nothing). */
  constructor(
    private readonly originals: Readonly<Record<string, string>>,
    options: { chunked?: boolean } = {},
  ) {
    this.chunked = options.chunked === false ? null : new ChunkedForms(this.formSource);
  }

  /** normalizePatch(originals, patch), with the caches above. */
  normalize(patch: string): NormalizedPatch {
    if (patch.trim() === "") return { normalized: "" };
    let result;
    try {
      result = applyUnifiedDiff(this.originals, patch);
    } catch (err) {
      if (err instanceof PatchApplyError) return { normalized: "", error: err.message };
      throw err;
    }
    const { before, after } = result;
    const normalized = Object.keys(after)
      .sort()
      .map((path) => this.fileChange(path, before[path] ?? "", after[path] ?? ""))
      .join("");
    return { normalized };
  }

  private fileChange(path: string, oldText: string, newText: string): string {
    let oldDigest = this.originalDigests.get(oldText);
    if (oldDigest === undefined) this.originalDigests.set(oldText, (oldDigest = digest(oldText)));
    const key = `${path}\u0000${oldDigest}\u0000${digest(newText)}`;
    let diff = this.changes.get(key);
    if (diff === undefined) {
      diff = this.diffFile(path, oldText, newText);
      this.stats.filesDiffed++;
      this.changes.set(key, diff);
    }
    return diff;
  }

  /** normalizeFileChange (normalize-patch.ts) on cached forms. */
  private diffFile(path: string, oldText: string, newText: string): string {
    let oldLines = rawLines(oldText);
    let newLines = rawLines(newText);
    let contextFree = false;
    if (isPythonPath(path)) {
      const original = this.original(oldText);
      const oldForm = original.form;
      const newForm = oldForm ? this.formOfEdited(original, newText) : null;
      if (oldForm && newForm) {
        oldLines = oldForm.lines;
        newLines = newForm.lines;
        contextFree = onlyAddsFunctions(oldForm.functions, newForm.functions);
      }
    }
    const diff = unifiedDiff(oldLines, newLines, { fromfile: `a/${path}`, tofile: `b/${path}`, lineterm: "" });
    if (diff.length === 0) return "";
    const body = contextFree ? diff.filter((l) => l.startsWith("-") || l.startsWith("+")) : diff;
    return [`diff --git a/${path} b/${path}`, ...body].join("\n") + "\n";
  }

  private original(text: string): Original {
    let o = this.parsedOriginals.get(text);
    if (!o) {
      const tree = parseTracked(sharedPythonParser(), text);
      this.stats.parses++;
      const layout = tree.rootNode.hasError ? null : layoutOf(text, tree, this.formSource);
      o = { text, tree, form: layout?.form ?? null, layout };
      this.parsedOriginals.set(text, o);
    }
    return o;
  }

  /**
   * The form of an edited original (null: it does not parse), parsed incrementally from the
   * last tree parsed for this original (its first sample: the original's own tree): tree-sitter
   * reuses the subtrees outside the edit, which gives the tree a full parse would
   * (group.test.ts checks the keys). Samples of one file differ from it in a few places, so the
   * edit from one sample to the next is small too.
   */
  private formOfEdited(original: Original, text: string): FileForm | null {
    const chunked = original.layout && this.chunked?.formOf(original.layout, text);
    if (chunked) return chunked;
    const parser = sharedPythonParser();
    let last = original.last;
    if (!last) {
      // an edit changes the tree it is made on: keep the original's own tree unedited
      last = { text: original.text, tree: parseTracked(parser, original.text, original.tree) };
    }
    for (const edit of editsBetween(last.text, text)) last.tree.edit(edit);
    const tree = parseTracked(parser, text, last.tree);
    original.last = { text, tree };
    this.stats.parses++;
    return tree.rootNode.hasError ? null : this.assemble(tree);
  }

  /** The module's lines and functions from its top-level statements' cached forms. */
  private assemble(tree: Parser.Tree): FileForm {
    return assemble([
      tree.rootNode.namedChildren.filter((stmt) => !isSkipped(stmt)).map((stmt) => this.statementForm(stmt)),
    ]);
  }

  /** A top-level statement's form, rendered once per distinct text. */
  private statementForm(stmt: Parser.SyntaxNode): StatementForm {
    const text = stmt.text;
    let form = this.statements.get(text);
    if (!form) {
      const fns = new Map<string, string>();
      const rendered = render(stmt, "", this.members);
      addFunctionsIn(stmt, fns, this.members, rendered);
      this.stats.statementsRendered++;
      form = { lines: rendered, functions: [...fns], docLike: isDocLike(stmt) };
      this.statements.set(text, form);
    }
    return form;
  }
}
