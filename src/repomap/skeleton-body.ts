// Whether a function body may be blanked from the skeleton (skeleton.ts, pass 2).
//
// Why: a function's body holds most of a file's statements, yet the map needs nothing from it
// but its last row (the def's end line) — unless a class is defined inside it. Blanking such a
// body to one statement over the same rows halves tree-sitter's work.
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
  /** The canonical header pass 2 writes for it (`if _:`, `for _ in _: _`; skeleton.ts shortHeader), or null. */
  short: string | null;
}

/** What the last statement at one indentation level leaves open for a clause after it. */
type Open = "none" | "if" | "loop" | "try" | "try-except" | "try-else";

const SPACES = /^ *$/;
const DEF_HEADER = /^(?:async\s+)?def\s+[A-Za-z_]\w*\s*\(_?\)\s*(?:->\s*[A-Za-z_][\w.]*(?:\[_\])?\s*)?:$/;
const DECORATOR = /^@[A-Za-z_][\w.]*(?:\(_\))?$/;
const BARE_CLAUSE = /^(else|try|finally)\s*:$/;
const MULTI_ROW_TEST = /^(if|elif|while)\s*\(_\)\s*:$/;
const WORD = /^[A-Za-z_]\w*/;
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

/**
 * True when the body (`lines`, the logical lines after a def header whose indentation is
 * `defIndent`) defines no class and its skeleton surely parses: blanking it then changes
 * nothing in the map.
 */
export function canBlankBody(defIndent: string, lines: readonly BodyLine[]): boolean {
  if (lines.length === 0 || !SPACES.test(defIndent)) return false;
  // Indentation levels open in the body, innermost last, each with what its last statement leaves open.
  const levels: Array<{ indent: number; open: Open; caseOnly: boolean }> = [];
  let needBlock = false; // the previous line was a header ending in ":"
  let needDef = false; // the previous line was a decorator
  let caseBlock = false; // the block about to open is a match's
  for (const line of lines) {
    if (!SPACES.test(line.indent) || line.text.includes("\\")) return false;
    const indent = line.indent.length;
    const top = levels.at(-1);
    if (!top) {
      if (indent <= defIndent.length) return false;
      levels.push({ indent, open: "none", caseOnly: false });
    } else if (indent > top.indent) {
      if (!needBlock) return false; // unexpected indent
      levels.push({ indent, open: "none", caseOnly: caseBlock });
    } else {
      if (needBlock) return false; // a header without its block
      while (levels.length > 0 && levels.at(-1)!.indent > indent) {
        if (levels.pop()!.open === "try") return false; // try without except or finally
      }
      if (levels.at(-1)?.indent !== indent) return false; // dedent to no open level
    }
    const level = levels.at(-1)!;
    if (needDef && !/^(?:async\s+)?def\b|^@/.test(line.text)) return false;
    const kind = headerKind(line);
    if (kind === undefined) return false;
    if (kind === "class") return false;
    if (level.caseOnly !== (kind === "case")) return false;
    const next = follow(level.open, kind);
    if (next === undefined) return false;
    level.open = next;
    needBlock = kind !== "simple" && kind !== "decorator" && (line.short ?? line.text).endsWith(":");
    needDef = kind === "decorator";
    caseBlock = kind === "match";
  }
  if (needBlock || needDef) return false;
  return levels.every((l) => l.open !== "try");
}

type Kind = "simple" | "decorator" | "def" | "class" | "case" | "match" | string;

/** The statement's kind (its keyword for a compound one), or undefined for a form not known to parse. */
function headerKind(line: BodyLine): Kind | undefined {
  const { text } = line;
  if (text.startsWith("@")) return DECORATOR.test(text) ? "decorator" : undefined;
  const word = WORD.exec(text)?.[0];
  if (word === "class") return "class";
  if (word === "async") {
    const second = /^async\s+(def|for|with)\b/.exec(text)?.[1];
    if (second === "def") return DEF_HEADER.test(text) ? "def" : undefined;
    return second && line.short !== null ? second : undefined;
  }
  if (word === "def") return DEF_HEADER.test(text) ? "def" : undefined;
  if (word === undefined || !BLOCK_WORDS.has(word)) return "simple";
  if (line.short !== null) return word; // pass 2 writes the canonical header (and `_` for an inline body)
  if (BARE_CLAUSE.test(text) || MULTI_ROW_TEST.test(text)) return /^\w+/.exec(text)![0];
  return undefined;
}

/** What a statement of `kind` leaves open after one that left `open`; undefined: a clause out of place. */
function follow(open: Open, kind: Kind): Open | undefined {
  switch (kind) {
    case "elif":
      return open === "if" ? "if" : undefined;
    case "else":
      if (open === "if" || open === "loop") return "none";
      return open === "try-except" ? "try-else" : undefined;
    case "except":
      return open === "try" || open === "try-except" ? "try-except" : undefined;
    case "finally":
      return open === "try" || open === "try-except" || open === "try-else" ? "none" : undefined;
  }
  if (open === "try") return undefined; // a try needs an except or a finally next
  if (kind === "if") return "if";
  if (kind === "for" || kind === "while") return "loop";
  if (kind === "try") return "try";
  return "none";
}
