// A row-preserving "skeleton" of Python source, for fast structure parsing.
//
// Why: tree-sitter-python parses ~4 MB/s here and the node binding walks nodes slowly, yet
// classes and defs never live inside brackets, strings, comments or simple statements. The
// skeleton keeps every row (so every line number is unchanged) and:
//  - empties bracket interiors to a single `_` (valid in calls, params, bases, imports,
//    subscripts), string bodies and comments;
//  - keeps block-opening statements (def, class, if, for, with, try, match, decorators, ...)
//    as they are;
//  - blanks runs of consecutive simple statements of a block but the last one, which
//    becomes `_` on the row where it ended, so each block still ends on that row;
//  - blanks a whole function body the same way when it defines no class and surely parses
//    (skeleton-body.ts): on sympy that leaves 139k of 219k rows and cuts parsing by a quarter.
// When the lexer meets something it cannot be sure of (unterminated string, unbalanced
// brackets) it says so, and the caller parses the original text; the caller does the same
// when tree-sitter finds an error in the skeleton.

import { canBlankBody, mayOpenBlock, type BodyLine } from "./skeleton-body.js";

const NL = 10,
  BACKSLASH = 92;
// Character classes for the lexer (ASCII; everything else is ORDINARY).
const ORDINARY = 0,
  SPACE = 1,
  NEWLINE = 2,
  HASH = 3,
  QUOTE = 4,
  OPEN = 5,
  CLOSE = 6,
  ESCAPE = 7;
const CLASS = new Uint8Array(128);
for (let c = 0; c <= 32; c++) CLASS[c] = SPACE;
CLASS[NL] = NEWLINE;
CLASS[35] = HASH;
CLASS[39] = CLASS[34] = QUOTE;
CLASS[40] = CLASS[91] = CLASS[123] = OPEN;
CLASS[41] = CLASS[93] = CLASS[125] = CLOSE;
CLASS[BACKSLASH] = ESCAPE;
const CLOSER_OF: Record<number, number> = { 40: 41, 91: 93, 123: 125 };
const BLOCK_KEYWORDS = new Set([
  "def",
  "class",
  "async",
  "if",
  "elif",
  "else",
  "for",
  "while",
  "try",
  "except",
  "finally",
  "with",
  "match",
  "case",
]);

export interface Skeleton {
  text: string;
  /** False when the lexer saw something malformed: parse the original instead. */
  clean: boolean;
}

/** `blankBodies: false` keeps every function body (the skeleton as it was before skeleton-body.ts; tests compare the two). */
export function pythonSkeleton(src: string, opts: { blankBodies?: boolean } = {}): Skeleton {
  const { text, clean, logical } = emptyTokens(src);
  return { text: clean ? collapseSimpleStatements(text, logical, opts.blankBodies ?? true) : text, clean };
}

/**
 * Pass 1: empty brackets, strings and comments. Also returns the logical lines as
 * [first row, last row] pairs.
 */
function emptyTokens(src: string): { text: string; clean: boolean; logical: number[] } {
  const out: string[] = [];
  const closers: number[] = [];
  const logical: number[] = [];
  const n = src.length;
  let clean = true;
  let runStart = 0; // start of the pending verbatim run (only meaningful at depth 0)
  let row = 0;
  let lineStart = -1; // first row of the logical line under way
  let lastRow = -1; // row of its last token so far (a continuation may run on into a comment)
  let i = 0;
  const flush = (end: number) => {
    if (end > runStart) out.push(src.slice(runStart, end));
  };

  while (i < n) {
    const c = src.charCodeAt(i);
    const kind = c < 128 ? CLASS[c]! : ORDINARY;
    const top = closers.length === 0;
    if (kind === ORDINARY || kind === SPACE) {
      // A run of names, operators and blanks (most of the text) in one tight loop.
      let ordinary = kind === ORDINARY;
      for (i++; i < n; i++) {
        const d = src.charCodeAt(i);
        const k = d < 128 ? CLASS[d]! : ORDINARY;
        if (k === ORDINARY) ordinary = true;
        else if (k !== SPACE) break;
      }
      if (ordinary && top) {
        if (lineStart < 0) lineStart = row;
        lastRow = row;
      }
    } else if (kind === NEWLINE) {
      if (top) {
        if (lineStart >= 0) {
          logical.push(lineStart, lastRow);
          lineStart = -1;
        }
      } else {
        out.push("\n");
      }
      row++;
      i++;
    } else if (kind === HASH) {
      if (top) flush(i);
      let j = src.indexOf("\n", i);
      if (j < 0) j = n;
      i = j;
      if (top) runStart = i;
    } else if (kind === ESCAPE) {
      if (top && src.charCodeAt(i + 1) === NL) {
        row++;
        i += 2;
        continue;
      } // line continuation
      if (top) {
        if (lineStart < 0) lineStart = row;
        lastRow = row;
      }
      i++;
    } else if (kind === QUOTE) {
      if (top && lineStart < 0) lineStart = row;
      const triple = src.charCodeAt(i + 1) === c && src.charCodeAt(i + 2) === c;
      const quote = triple ? src.slice(i, i + 3) : src[i]!;
      if (top) {
        flush(i);
        out.push(quote);
      }
      let j = i + quote.length;
      let closed = false;
      while (j < n) {
        const d = src.charCodeAt(j);
        if (d === BACKSLASH) {
          if (src.charCodeAt(j + 1) === NL) {
            out.push(top ? "\\\n" : "\n");
            row++;
          }
          j += 2;
        } else if (d === NL) {
          if (!triple) break; // unterminated single-quoted string
          out.push("\n");
          row++;
          j++;
        } else if (d === c && (!triple || (src.charCodeAt(j + 1) === c && src.charCodeAt(j + 2) === c))) {
          j += quote.length;
          closed = true;
          break;
        } else {
          j++;
        }
      }
      if (!closed) clean = false;
      if (top) {
        if (closed) out.push(quote);
        runStart = j;
        lastRow = row;
      }
      i = j;
    } else if (kind === OPEN) {
      if (top) {
        if (lineStart < 0) lineStart = row;
        flush(i + 1);
        out.push("_");
      }
      closers.push(CLOSER_OF[c]!);
      i++;
    } else {
      // CLOSE
      if (top) {
        clean = false;
      } else {
        if (closers.pop() !== c) clean = false;
        if (closers.length === 0) {
          runStart = i;
          lastRow = row;
        }
      }
      i++;
    }
  }
  if (closers.length > 0) clean = false;
  else flush(n);
  if (lineStart >= 0) logical.push(lineStart, lastRow);
  return { text: out.join(""), clean, logical };
}

/** Pass 2: keep block-opening logical lines, reduce each run of simple statements to its last. */
function collapseSimpleStatements(text: string, logical: number[], blankBodies: boolean): string {
  const rows = text.split("\n");
  const out: string[] = new Array<string>(rows.length).fill("");
  let pending = -1; // index in `logical` of the last simple statement of the current run
  let pendingIndent = "";
  const emitPending = () => {
    if (pending < 0) return;
    // Only where the statement ends counts (a block ends on its last statement's last row).
    out[logical[pending + 1]!] = pendingIndent + "_";
    pending = -1;
  };
  const indentOf = (k: number): string => {
    const line = rows[logical[k]!]!;
    return line.slice(0, line.length - line.trimStart().length);
  };
  for (let k = 0; k < logical.length; k += 2) {
    const first = logical[k]!,
      last = logical[k + 1]!;
    const line = rows[first]!;
    const body = line.trimStart();
    const indent = line.slice(0, line.length - body.length);
    if (opensBlock(body)) {
      emitPending();
      const short = first === last ? shortHeader(body) : null;
      if (short !== null) out[first] = indent + short;
      else for (let r = first; r <= last; r++) out[r] = rows[r]!;
      const end = blankBodies && DEF.test(body) ? blankableBody(k, indent) : -1;
      if (end > k + 2) {
        // The body becomes one statement on its last row: the def still ends there.
        out[logical[end - 1]!] = indentOf(k + 2) + "_";
        k = end - 2;
      }
    } else {
      if (pending >= 0 && indent !== pendingIndent) emitPending();
      pending = k;
      pendingIndent = indent;
    }
  }
  emitPending();
  return out.join("\n");

  /** The index in `logical` just past the def's body at `k` if the body can be blanked, else -1. */
  function blankableBody(k: number, defIndent: string): number {
    const header = joinRows(k).trimEnd();
    if (!header.endsWith(":")) return -1;
    const lines: BodyLine[] = [];
    let j = k + 2;
    for (; j < logical.length; j += 2) {
      const indent = indentOf(j);
      if (indent.length <= defIndent.length) break;
      const text = joinRows(j).slice(indent.length).trimEnd();
      const short = logical[j] === logical[j + 1] && mayOpenBlock(text) ? shortHeader(text) : null;
      lines.push({ indent, text, short: short ?? "" });
    }
    return canBlankBody(defIndent, lines) ? j : -1;
  }

  function joinRows(k: number): string {
    const first = logical[k]!,
      last = logical[k + 1]!;
    return first === last ? rows[first]! : rows.slice(first, last + 1).join("");
  }
}

const DEF = /^(async\s+)?def\b/;

function opensBlock(line: string): boolean {
  if (!mayOpenBlock(line)) return false;
  if (line.startsWith("@")) return true;
  const word = /^[A-Za-z_]\w*/.exec(line);
  return word !== null && BLOCK_KEYWORDS.has(word[0]);
}

// Headers whose expressions cannot matter, on one row: `if a and f(_):` → `if _:`,
// `for k, v in d.items(_): _` → `for _ in _: _`. def and class lines stay (their names count).
const REDUCIBLE_HEADER = /^(async\s+)?(if|elif|while|for|with|except|match|case)\b/;

function shortHeader(line: string): string | null {
  const m = REDUCIBLE_HEADER.exec(line);
  if (!m) return null;
  const rest = line.slice(m[0].length);
  const colon = headerColon(rest);
  if (colon < 0) return null; // e.g. `match = 1`: keep it as it is
  const keyword = (m[1] ? "async " : "") + m[2];
  const head =
    keyword === "except" && rest.slice(0, colon).trim() === ""
      ? "except:"
      : m[2] === "for"
        ? `${keyword} _ in _:`
        : `${keyword} _:`;
  return rest.slice(colon + 1).trim() === "" ? head : head + " _";
}

// Brackets and strings are already empty here, so the first ":" that is not ":=" ends the header.
function headerColon(rest: string): number {
  for (let i = rest.indexOf(":"); i >= 0; i = rest.indexOf(":", i + 1)) {
    if (rest[i + 1] !== "=") return i;
  }
  return -1;
}
