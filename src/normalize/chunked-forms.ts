// The canonical form of an edited Python file without parsing the whole file: only the parts of
// it that a sample changed are parsed, alone, and the rest comes from the original's forms.
//
// An original file (that parses cleanly) is cut into chunks at its top-level statements that
// start at column 0 on a line of their own; a class that is a chunk alone is cut again at its
// members (statements of its body at the body's column, on lines of their own). A sample's
// changed line regions are widened to whole chunks, starting at the chunk holding the line
// before the region (so the text parsed alone starts with an unchanged statement start, as in
// the file) and ending at the next boundary (an unchanged statement start, or the file's end).
// The new text of such a span, parsed alone, has the statements the whole new file has there:
// before it and after it are complete top-level statements (or members at the class body's
// column) that the change did not touch. When a span does not parse cleanly alone (or ends in a
// line continuation, or a member span leaves its class), the caller parses the whole file.
// group.test.ts and chunked-forms.test.ts check that the forms are those of the whole parse.
import type Parser from "tree-sitter";
import { parseTracked, sharedPythonParser } from "../treesitter/python.js";
import { changedLineRegions, linesOf } from "./text-edits.js";
import { flatten, isDocLike, isSkipped, memberForm, type MemberMemo, methodEntry } from "./canonical-python.js";

type Node = Parser.SyntaxNode;

export interface StatementForm {
  lines: string[];
  functions: Array<[string, string]>;
  docLike: boolean;
}
export interface FileForm {
  lines: string[];
  functions: Map<string, string>;
}

/** A class member: its canonical lines in the class body and what it adds to functionsOf. */
interface Member {
  lines: string[];
  docLike: boolean;
  method: [string, string] | null;
  /** methods of the classes inside it (they come after all of the outer class's methods) */
  nested: Array<[string, string]>;
}
interface ClassParts {
  name: string | undefined;
  head: string[];
  /** member segment starts (rows), then the chunk's end */
  bounds: number[];
  segments: Member[][];
}
interface Chunk {
  statements: StatementForm[];
  parts: ClassParts | null;
}
export interface Layout {
  lines: string[];
  /** chunk starts (rows; the first is 0), then the number of lines */
  bounds: number[];
  chunks: Chunk[];
  form: FileForm;
}

/** How the forms of statements are made and kept (the InstanceNormalizer's caches). */
export interface FormSource {
  statementForm(stmt: Node): StatementForm;
  members: MemberMemo;
}

/** Rows where a node of `nodes` (not a comment) starts at `column` on a line of its own. */
function boundaryRows(nodes: readonly Node[], column: number): number[] {
  const rows: number[] = [];
  let prevEnd = -1;
  for (const n of nodes) {
    const row = n.startPosition.row;
    if (!isSkipped(n) && n.startPosition.column === column && row > prevEnd) rows.push(row);
    prevEnd = Math.max(prevEnd, n.endPosition.row);
  }
  return rows;
}

const floorIndex = (sorted: readonly number[], value: number): number => {
  let k = -1;
  for (let lo = 0, hi = sorted.length - 1; lo <= hi; ) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= value) {
      k = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return k;
};

export function layoutOf(text: string, tree: Parser.Tree, source: FormSource): Layout {
  const lines = linesOf(text);
  const children = tree.rootNode.namedChildren;
  const bounds = [0, ...boundaryRows(children, 0).filter((r) => r > 0), lines.length];
  const chunks: Chunk[] = bounds.slice(1).map(() => ({ statements: [], parts: null }));
  const nodes: Node[][] = chunks.map(() => []);
  for (const stmt of children) {
    if (isSkipped(stmt)) continue;
    const k = floorIndex(bounds, stmt.startPosition.row);
    nodes[k]!.push(stmt);
    chunks[k]!.statements.push(source.statementForm(stmt));
  }
  chunks.forEach((chunk, k) => {
    if (nodes[k]!.length === 1) chunk.parts = classParts(nodes[k]![0]!, chunk.statements[0]!, bounds[k + 1]!, source);
  });
  const form = assemble(chunks.map((c) => c.statements));
  return { lines, bounds, chunks, form };
}

function memberOf(item: Node, className: string | undefined, memo: MemberMemo): Member {
  const nested: Array<[string, string]> = [];
  for (const cls of item.descendantsOfType("class_definition")) {
    const name = cls.childForFieldName("name")?.text;
    for (const inner of cls.childForFieldName("body")?.namedChildren ?? []) {
      const method = methodEntry(name, inner, memo);
      if (method) nested.push(method);
    }
  }
  return {
    lines: flatten(memberForm(item, memo).logical, 1),
    docLike: isDocLike(item),
    method: methodEntry(className, item, memo),
    nested,
  };
}

/** The lines and functions a top-level class has with these members (as render and functionsOf give them). */
function classForm(parts: ClassParts, members: readonly Member[]): StatementForm {
  const kept = members.filter((m) => !m.docLike);
  const lines = [...parts.head];
  for (const m of kept.length > 0 ? kept : members) for (const l of m.lines) lines.push(l);
  const functions = new Map<string, string>();
  for (const m of members) if (m.method) functions.set(m.method[0], m.method[1]);
  for (const m of members) for (const [name, text] of m.nested) functions.set(name, text);
  return { lines, functions: [...functions], docLike: false };
}

const sameForm = (a: StatementForm, b: StatementForm): boolean =>
  a.lines.length === b.lines.length &&
  a.lines.every((l, i) => l === b.lines[i]) &&
  JSON.stringify(a.functions) === JSON.stringify(b.functions);

/** A class statement cut at its members, or null (not a class, or its form is not rebuilt exactly). */
function classParts(stmt: Node, form: StatementForm, end: number, source: FormSource): ClassParts | null {
  const cls = stmt.type === "decorated_definition" ? stmt.childForFieldName("definition") : stmt;
  if (cls?.type !== "class_definition") return null;
  const items = cls.childForFieldName("body")?.namedChildren ?? [];
  const first = items.find((n) => !isSkipped(n));
  if (!first || first.startPosition.column === 0 || first.startPosition.row <= cls.startPosition.row) return null;
  const memberBounds = boundaryRows(items, first.startPosition.column);
  if (memberBounds[0] !== first.startPosition.row) return null;
  const name = cls.childForFieldName("name")?.text;
  const segments: Member[][] = memberBounds.map(() => []);
  for (const item of items) {
    if (!isSkipped(item))
      segments[floorIndex(memberBounds, item.startPosition.row)]!.push(memberOf(item, name, source.members));
  }
  const memberLines = segments.flat().filter((m) => !m.docLike);
  const count = (memberLines.length > 0 ? memberLines : segments.flat()).reduce((n, m) => n + m.lines.length, 0);
  const parts = {
    name,
    head: form.lines.slice(0, form.lines.length - count),
    bounds: [...memberBounds, end],
    segments,
  };
  return sameForm(classForm(parts, segments.flat()), form) ? parts : null;
}

/** A module's lines and functions from its top-level statements' forms, in order (docstring-like ones add no lines). */
export function assemble(statementLists: readonly (readonly StatementForm[])[]): FileForm {
  const lines: string[] = [];
  const functions = new Map<string, string>();
  for (const list of statementLists)
    for (const form of list) {
      if (!form.docLike) for (const line of form.lines) lines.push(line);
      for (const [name, fn] of form.functions) functions.set(name, fn);
    }
  return { lines, functions };
}

type Region = [number, number, number, number];
/** Old rows [start, end) → new rows [newStart, newEnd), covering regions. */
interface Span {
  start: number;
  end: number;
  newStart: number;
  newEnd: number;
  /** the regions it covers: regions[firstRegion..lastRegion] */
  firstRegion: number;
  lastRegion: number;
}

/** Regions widened to whole segments between `bounds` (sorted rows, the last one the end). */
function spansOf(regions: readonly Region[], bounds: readonly number[], shift: readonly number[]): Span[] | null {
  const spans: Span[] = [];
  regions.forEach(([i1, i2], r) => {
    const s = floorIndex(bounds, Math.max(i1 - 1, bounds[0]!));
    let e = s;
    while (e < bounds.length - 1 && (bounds[e]! < i2 || e === s)) e++;
    const last = spans[spans.length - 1];
    if (last && bounds[s]! < last.end) {
      last.end = Math.max(last.end, bounds[e]!);
      last.newEnd = last.end + shift[r + 1]!;
      last.lastRegion = r;
    } else {
      const [start, end] = [bounds[s]!, bounds[e]!];
      spans.push({
        start,
        end,
        newStart: start + shift[r]!,
        newEnd: end + shift[r + 1]!,
        firstRegion: r,
        lastRegion: r,
      });
    }
  });
  return spans.every((s) => s.end > s.start || s.newEnd > s.newStart) ? spans : null;
}

/** Forms of edited originals by spans parsed alone (see the header); caches by span text. */
export class ChunkedForms {
  private readonly topSpans = new Map<string, StatementForm[] | null>();
  private readonly memberSpans = new Map<string, Member[] | null>();
  readonly stats = { spansParsed: 0, memberSpansParsed: 0, fallbacks: 0 };

  constructor(private readonly source: FormSource) {}

  /** The form of `text`, an edit of the layout's original; null when the whole file must be parsed. */
  formOf(layout: Layout, text: string): FileForm | null {
    const b = linesOf(text);
    const regions = changedLineRegions(layout.lines, b);
    if (regions.length === 0) return layout.form;
    if (layout.lines.length === 0) return this.fallback();
    const shift = [0];
    for (const [i1, i2, j1, j2] of regions) shift.push(shift[shift.length - 1]! + (j2 - j1) - (i2 - i1));
    const spans = spansOf(regions, layout.bounds, shift);
    if (!spans) return this.fallback();
    const lists: (readonly StatementForm[])[] = layout.chunks.map((c) => c.statements);
    for (const span of spans) {
      const first = floorIndex(layout.bounds, span.start);
      const last = floorIndex(layout.bounds, span.end - 1);
      const inClass = first === last ? this.classForm(layout.chunks[first]!.parts, regions, span, b, shift) : null;
      const forms = inClass ? [inClass] : this.topSpan(b.slice(span.newStart, span.newEnd).join(""));
      if (!forms) return this.fallback();
      lists[first] = forms;
      for (let k = first + 1; k <= last; k++) lists[k] = [];
    }
    return assemble(lists);
  }

  private fallback(): null {
    this.stats.fallbacks++;
    return null;
  }

  /** The statements of a span's new text parsed alone, or null. */
  private topSpan(text: string): StatementForm[] | null {
    let forms = this.topSpans.get(text);
    if (forms === undefined) {
      forms = null;
      if (!/\\\s*$/.test(text)) {
        const tree = parseTracked(sharedPythonParser(), text);
        this.stats.spansParsed++;
        if (!tree.rootNode.hasError)
          forms = tree.rootNode.namedChildren.filter((n) => !isSkipped(n)).map((n) => this.source.statementForm(n));
      }
      this.topSpans.set(text, forms);
    }
    return forms;
  }

  /** The class's form with the members in `span` re-parsed, or null (a change outside its members). */
  private classForm(
    parts: ClassParts | null,
    regions: readonly Region[],
    span: Span,
    b: readonly string[],
    shift: readonly number[],
  ): StatementForm | null {
    if (!parts) return null;
    const sub = regions.slice(span.firstRegion, span.lastRegion + 1);
    if (sub.some(([i1]) => i1 - 1 < parts.bounds[0]!)) return null;
    const subShift = shift.slice(span.firstRegion, span.lastRegion + 2);
    const spans = spansOf(sub, parts.bounds, subShift);
    if (!spans) return null;
    const segments: (readonly Member[])[] = [...parts.segments];
    for (const s of spans) {
      const members = this.memberSpan(parts.name, b.slice(s.newStart, s.newEnd).join(""));
      if (!members) return null;
      const first = floorIndex(parts.bounds, s.start);
      const last = floorIndex(parts.bounds, s.end - 1);
      segments[first] = members;
      for (let k = first + 1; k <= last; k++) segments[k] = [];
    }
    return classForm(parts, segments.flat());
  }

  /** Members of a class body's span parsed alone (under a class header of its own), or null. */
  private memberSpan(className: string | undefined, text: string): Member[] | null {
    const key = `${className}\u0000${text}`;
    let members = this.memberSpans.get(key);
    if (members === undefined) {
      members = null;
      if (!/\\\s*$/.test(text)) {
        const tree = parseTracked(sharedPythonParser(), `class _:\n${text}`);
        this.stats.memberSpansParsed++;
        const top = tree.rootNode.namedChildren.filter((n) => !isSkipped(n));
        const body = top[0]?.childForFieldName("body");
        if (!tree.rootNode.hasError && top.length === 1 && top[0]!.type === "class_definition" && body)
          members = body.namedChildren
            .filter((n) => !isSkipped(n))
            .map((n) => memberOf(n, className, this.source.members));
      }
      this.memberSpans.set(key, members);
    }
    return members;
  }
}
