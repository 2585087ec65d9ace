// Whether a function body may be blanked from the skeleton (skeleton.ts, pass 2).
//
// Why: a function's body holds most of a file's statements, yet the map needs nothing from it
// but its last row (the def's end line) — unless a class is defined inside it. Blanking such a
// body to one statement on its last row cuts tree-sitter's parse of sympy by a quarter.
// The catch: a body whose skeleton would not parse cleanly must stay, so that tree-sitter still
// sees the error and the caller falls back to parsing the original text (the map of a damaged
// file is what tree-sitter recovers from it). So a body is blanked only when every logical
// line of it is in a form this file knows tree-sitter accepts, and the lines nest as Python's
// blocks do; anything else (tabs, continuation backslashes, unusual headers) keeps the body.

/** A logical line of the skeleton after pass 1: its indentation and its rows joined. */
export interface BodyLine {
  indent: string;
  /** The line without its indentation, rows joined (bracket interiors and strings are empty). */
  text: string;
  /** The canonical header pass 2 writes for it (`if _:`, `for _ in _: _`; skeleton.ts shortHeader), or "". */
  short: string;
}

/** What the last statement at one indentation level leaves open for a clause after it. */
type Open = number;
const NONE = 0,
  IF = 1,
  LOOP = 2,
  TRY = 3,
  TRY_EXCEPT = 4,
  TRY_ELSE = 5;

const SPACES = /^ *$/;
const DEF_HEADER = /^(?:async\s+)?def\s+[A-Za-z_]\w*\s*\(_?\)\s*(?:->\s*[A-Za-z_][\w.]*(?:\[_\])?\s*)?:$/;
const DECORATOR = /^@[A-Za-z_][\w.]*(?:\(_\))?$/;
const BARE_CLAUSE = /^(else|try|finally)\s*:$/;
const MULTI_ROW_TEST = /^(if|elif|while)\s*\(_\)\s*:$/;
const WORD = /^[A-Za-z_]\w*/;

// First characters of the block keywords (def class async if elif else for while try except
// finally with match case) and of decorators: a line starting otherwise is a simple statement,
// known without a regular expression (most lines of a body).
const OPENERS = new Uint8Array(128);
for (const c of "acdefimtw@") OPENERS[c.charCodeAt(0)] = 1;

/** False when `text` (a line without its indentation) surely does not open a block. */
export const mayOpenBlock = (text: string): boolean => {
  const c = text.charCodeAt(0);
  return c < 128 && OPENERS[c] === 1;
};
const BLOCK_WORDS = new Set([
  "if",
  "elif",
  "while",
  "for",
  "with",
  "except",
  "else",
  "try",
  "finally",
  "match",
  "case",
]);

const MAX_LEVELS = 100;
const WIDTHS = new Int32Array(MAX_LEVELS);
const OPENS = new Uint8Array(MAX_LEVELS);
const CASE_ONLY = new Uint8Array(MAX_LEVELS);

/**
 * True when the body (`lines`, the logical lines after a def header whose indentation is
 * `defIndent`) defines no class and its skeleton surely parses: blanking it then changes
 * nothing in the map.
 */
export function canBlankBody(defIndent: string, lines: readonly BodyLine[]): boolean {
  if (lines.length === 0 || !SPACES.test(defIndent)) return false;
  // Indentation levels open in the body, innermost at `top`: their width, what their last
  // statement leaves open, whether only `case` clauses may stand there (typed arrays reused
  // across calls: V8 kept deoptimizing this function over arrays made afresh each call).
  let top = -1;
  let needBlock = false; // the previous line was a header ending in ":"
  let needDef = false; // the previous line was a decorator
  let caseBlock = false; // the block about to open is a match's
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!;
    if (!SPACES.test(line.indent) || line.text.includes("\\")) return false;
    const indent = line.indent.length;
    if (top < 0) {
      if (indent <= defIndent.length) return false;
    } else if (indent > WIDTHS[top]!) {
      if (!needBlock) return false; // unexpected indent
    } else {
      if (needBlock) return false; // a header without its block
      for (; top >= 0 && WIDTHS[top]! > indent; top--) {
        if (OPENS[top] === TRY) return false; // try without except or finally
      }
      if (top < 0 || WIDTHS[top] !== indent) return false; // dedent to no open level
    }
    if (top < 0 || indent > WIDTHS[top]!) {
      if (++top === MAX_LEVELS) return false;
      WIDTHS[top] = indent;
      OPENS[top] = NONE;
      CASE_ONLY[top] = top > 0 && caseBlock ? 1 : 0;
    }
    if (needDef && !/^(?:async\s+)?def\b|^@/.test(line.text)) return false;
    const kind = headerKind(line);
    if (kind === undefined || kind === "class") return false;
    if ((CASE_ONLY[top] === 1) !== (kind === "case")) return false;
    const next = follow(OPENS[top]!, kind);
    if (next < 0) return false;
    OPENS[top] = next;
    needBlock = kind !== "simple" && kind !== "decorator" && (line.short || line.text).endsWith(":");
    needDef = kind === "decorator";
    caseBlock = kind === "match";
  }
  if (needBlock || needDef) return false;
  for (; top >= 0; top--) if (OPENS[top] === TRY) return false;
  return true;
}

type Kind = "simple" | "decorator" | "def" | "class" | "case" | "match" | string;

/** The statement's kind (its keyword for a compound one), or undefined for a form not known to parse. */
function headerKind(line: BodyLine): Kind | undefined {
  const { text } = line;
  if (!mayOpenBlock(text)) return "simple";
  if (text.startsWith("@")) return DECORATOR.test(text) ? "decorator" : undefined;
  const word = WORD.exec(text)?.[0];
  if (word === "class") return "class";
  if (word === "async") {
    const second = /^async\s+(def|for|with)\b/.exec(text)?.[1];
    if (second === "def") return DEF_HEADER.test(text) ? "def" : undefined;
    return second && line.short !== "" ? second : undefined;
  }
  if (word === "def") return DEF_HEADER.test(text) ? "def" : undefined;
  if (word === undefined || !BLOCK_WORDS.has(word)) return "simple";
  if (line.short !== "") return word; // pass 2 writes the canonical header (and `_` for an inline body)
  if (BARE_CLAUSE.test(text) || MULTI_ROW_TEST.test(text)) return /^\w+/.exec(text)![0];
  return undefined;
}

/** What a statement of `kind` leaves open after one that left `open`; -1: a clause out of place. */
function follow(open: Open, kind: Kind): Open {
  switch (kind) {
    case "elif":
      return open === IF ? IF : -1;
    case "else":
      if (open === IF || open === LOOP) return NONE;
      return open === TRY_EXCEPT ? TRY_ELSE : -1;
    case "except":
      return open === TRY || open === TRY_EXCEPT ? TRY_EXCEPT : -1;
    case "finally":
      return open === TRY || open === TRY_EXCEPT || open === TRY_ELSE ? NONE : -1;
  }
  if (open === TRY) return -1; // a try needs an except or a finally next
  if (kind === "if") return IF;
  if (kind === "for" || kind === "while") return LOOP;
  if (kind === "try") return TRY;
  return NONE;
}
