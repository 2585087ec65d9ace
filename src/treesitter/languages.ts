// tree-sitter grammars for the languages of SWE-bench Multilingual, beside Python (python.ts).
// Grammars load lazily: a map of a Go repo never loads the C++ grammar (nor a map read from
// the cache tree-sitter itself). A Parser is not
// shareable across threads: make one per thread.
import { createRequire } from "node:module";
import type Parser from "tree-sitter";

export type CodeLanguage = "c" | "cpp" | "go" | "java" | "javascript" | "typescript" | "tsx" | "php" | "ruby" | "rust";

const require = createRequire(import.meta.url);

// package, and the export holding the grammar when the package has several.
const GRAMMARS: Record<CodeLanguage, { pkg: string; member?: string }> = {
  c: { pkg: "tree-sitter-c" },
  cpp: { pkg: "tree-sitter-cpp" },
  go: { pkg: "tree-sitter-go" },
  java: { pkg: "tree-sitter-java" },
  javascript: { pkg: "tree-sitter-javascript" },
  typescript: { pkg: "tree-sitter-typescript", member: "typescript" },
  tsx: { pkg: "tree-sitter-typescript", member: "tsx" },
  php: { pkg: "tree-sitter-php", member: "php" },
  ruby: { pkg: "tree-sitter-ruby" },
  rust: { pkg: "tree-sitter-rust" },
};

// File extensions (lower case) of each language. ".h" is C unless the repo is C++ (languageOfPath).
const EXTENSIONS: Record<string, CodeLanguage> = {
  ".c": "c",
  ".h": "c",
  ".cc": "cpp",
  ".cpp": "cpp",
  ".cxx": "cpp",
  ".c++": "cpp",
  ".hh": "cpp",
  ".hpp": "cpp",
  ".hxx": "cpp",
  ".h++": "cpp",
  ".ipp": "cpp",
  ".tcc": "cpp",
  ".inl": "cpp",
  ".go": "go",
  ".java": "java",
  ".js": "javascript",
  ".mjs": "javascript",
  ".cjs": "javascript",
  ".jsx": "javascript",
  ".ts": "typescript",
  ".mts": "typescript",
  ".cts": "typescript",
  ".tsx": "tsx",
  ".php": "php",
  ".rb": "ruby",
  ".rake": "ruby",
  ".rs": "rust",
};

/** The repo-level language families, as SWE-bench Multilingual names them. */
export type LanguageFamily = "c" | "cpp" | "go" | "java" | "js" | "ts" | "php" | "ruby" | "rust";

// Which file languages count as source in a repo of each family.
const FAMILY_LANGUAGES: Record<LanguageFamily, readonly CodeLanguage[]> = {
  c: ["c"],
  cpp: ["c", "cpp"],
  go: ["go"],
  java: ["java"],
  js: ["javascript", "typescript", "tsx"],
  ts: ["typescript", "tsx", "javascript"],
  php: ["php"],
  ruby: ["ruby"],
  rust: ["rust"],
};

export const LANGUAGE_FAMILIES = Object.keys(FAMILY_LANGUAGES) as LanguageFamily[];

function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf("/") + 1);
  const dot = name.lastIndexOf(".");
  return dot <= 0 ? "" : name.slice(dot).toLowerCase();
}

/**
 * The grammar for a file, or undefined when it is no source of ours. With a family, only
 * that family's languages count, and a C++ repo's ".h" files are parsed as C++.
 */
export function languageOfPath(path: string, family?: LanguageFamily): CodeLanguage | undefined {
  const ext = extensionOf(path);
  let lang = EXTENSIONS[ext];
  if (!lang) return undefined;
  if (family === undefined) return lang;
  if (family === "cpp" && ext === ".h") lang = "cpp";
  return FAMILY_LANGUAGES[family].includes(lang) ? lang : undefined;
}

const loaded = new Map<CodeLanguage, Parser.Language>();

function grammar(lang: CodeLanguage): Parser.Language {
  let g = loaded.get(lang);
  if (!g) {
    const { pkg, member } = GRAMMARS[lang];
    const mod = require(pkg) as Parser.Language & Record<string, Parser.Language>;
    g = member ? mod[member]! : mod;
    loaded.set(lang, g);
  }
  return g;
}

export function createParserFor(lang: CodeLanguage): Parser {
  // tree-sitter (a native addon) loads with the first parser: a map read from the cache, or a
  // command that only asks languageOfPath, never loads it.
  const parser = new (require("tree-sitter") as typeof Parser)();
  parser.setLanguage(grammar(lang));
  return parser;
}

/** Part of a cache key: a new grammar may parse the same bytes differently. */
export function grammarVersion(lang: CodeLanguage): string {
  return (require(`${GRAMMARS[lang].pkg}/package.json`) as { version: string }).version;
}

/** One parser per language for this thread, made when first needed. */
export class ParserSet {
  private readonly parsers = new Map<CodeLanguage, Parser>();
  get(lang: CodeLanguage): Parser {
    let p = this.parsers.get(lang);
    if (!p) this.parsers.set(lang, (p = createParserFor(lang)));
    return p;
  }
}
