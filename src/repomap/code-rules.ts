// Per-language tables for extract-code.ts: which tree-sitter nodes are definitions, their
// kind and name, and which subtrees are never walked (function bodies and expressions that
// hold them: closures, lambdas, anonymous classes).
import type { SyntaxNode, TreeCursor } from "tree-sitter";
import type { CodeLanguage } from "../treesitter/languages.js";

export interface Definition {
  role: "class" | "function";
  /** class, struct, union, enum, interface, trait, impl, module, record, type; function. */
  kind: string;
  name: string;
  /** 1-based line the definition starts on (the line of its name). */
  line: number;
  /** Go methods: the receiver's type name. */
  receiver?: string;
}

export interface LanguageRules {
  /** Node types definition() is asked about. */
  candidates: ReadonlySet<string>;
  /** A definition, "skip" (do not walk this node), or null (not one: walk its children). */
  definition(node: SyntaxNode): Definition | "skip" | null;
  /** Node types never walked. */
  leaves: ReadonlySet<string>;
  /** True for a node that takes the next item out of the map (Rust's `#[cfg(test)]`). */
  skipsNext?(type: string, cursor: TreeCursor): boolean;
  /** Node types between such a node and the item it takes out (more attributes, comments). */
  keepsSkip?: ReadonlySet<string>;
}

const lineOf = (node: SyntaxNode): number => node.startPosition.row + 1;

/** The name field: a class or function named by it, starting on its line. */
function named(node: SyntaxNode, role: Definition["role"], kind: string): Definition | null {
  const name = node.childForFieldName("name");
  return name ? { role, kind, name: name.text, line: lineOf(name) } : null;
}

const table = (kinds: Record<string, string>) => new Map(Object.entries(kinds));

/** Rules where each candidate type is a class or function kind named by its `name` field. */
function byName(
  classKinds: Record<string, string>,
  functionKinds: string[],
  leaves: string[],
  special: Record<string, (node: SyntaxNode) => Definition | "skip" | null> = {},
): LanguageRules {
  const classes = table(classKinds);
  const fns = new Set(functionKinds);
  return {
    candidates: new Set([...classes.keys(), ...fns, ...Object.keys(special)]),
    leaves: new Set(leaves),
    definition(node) {
      const own = special[node.type];
      if (own) return own(node);
      const kind = classes.get(node.type);
      if (kind) return named(node, "class", kind);
      return named(node, "function", "function");
    },
  };
}

// --- C and C++ ---

const C_KEYWORDS = new Set(["if", "else", "while", "for", "do", "switch", "case", "return", "sizeof", "goto"]);

/** The declared name of a C/C++ function definition: down the declarator chain to the identifier. */
function cFunction(node: SyntaxNode): Definition | "skip" | null {
  let d: SyntaxNode | null = node.childForFieldName("declarator");
  while (d && d.type !== "function_declarator") d = d.childForFieldName("declarator");
  const id = d?.childForFieldName("declarator");
  // A macro call or a keyword misread as a definition (error recovery).
  if (!id || C_KEYWORDS.has(id.text)) return "skip";
  return { role: "function", kind: "function", name: id.text, line: lineOf(id) };
}

/** struct/union/enum/class with a body and a name (anonymous ones are named by their typedef). */
const cRecord =
  (kind: string) =>
  (node: SyntaxNode): Definition | null =>
    node.childForFieldName("body") ? named(node, "class", kind) : null;

// `typedef struct { ... } name;`: the struct is listed as `name`, from the typedef's first line.
function cTypedef(node: SyntaxNode): Definition | null {
  const type = node.childForFieldName("type");
  const declarator = node.childForFieldName("declarator");
  if (!type || !declarator || declarator.type !== "type_identifier") return null;
  if (!type.childForFieldName("body") || type.childForFieldName("name")) return null;
  const kind = {
    struct_specifier: "struct",
    union_specifier: "union",
    enum_specifier: "enum",
    class_specifier: "class",
  }[type.type];
  return kind ? { role: "class", kind, name: declarator.text, line: lineOf(node) } : null;
}

const C_RECORDS = {
  struct_specifier: cRecord("struct"),
  union_specifier: cRecord("union"),
  enum_specifier: cRecord("enum"),
  type_definition: cTypedef,
  function_definition: cFunction,
};
const C_RULES = byName({}, [], [], C_RECORDS);
const CPP_RULES = byName({}, [], ["lambda_expression"], { ...C_RECORDS, class_specifier: cRecord("class") });

// --- Go ---

const GO_TYPE_KINDS: Record<string, string> = { struct_type: "struct", interface_type: "interface" };

function goReceiver(node: SyntaxNode): string {
  let t = node.childForFieldName("receiver")?.namedChildren[0]?.childForFieldName("type") ?? null;
  while (t && (t.type === "pointer_type" || t.type === "generic_type" || t.type === "parenthesized_type")) {
    t = t.type === "generic_type" ? t.childForFieldName("type") : (t.namedChildren[0] ?? null);
  }
  return t?.text ?? "";
}

const GO_RULES = byName({}, ["function_declaration", "method_elem", "method_spec"], ["func_literal"], {
  type_spec: (node) => named(node, "class", GO_TYPE_KINDS[node.childForFieldName("type")?.type ?? ""] ?? "type"),
  method_declaration: (node) => {
    const def = named(node, "function", "function");
    return def ? { ...def, receiver: goReceiver(node) } : null;
  },
});

// --- Java ---

const JAVA_RULES = byName(
  {
    class_declaration: "class",
    interface_declaration: "interface",
    enum_declaration: "enum",
    record_declaration: "record",
    annotation_type_declaration: "interface",
  },
  [
    "method_declaration",
    "constructor_declaration",
    "compact_constructor_declaration",
    "annotation_type_element_declaration",
  ],
  // enum constants with a body are anonymous classes, as `new T() {…}`: their methods are not listed.
  ["lambda_expression", "object_creation_expression", "enum_constant"],
);

// --- JavaScript and TypeScript ---

const JS_FUNCTION_VALUES = new Set(["arrow_function", "function_expression", "function", "generator_function"]);

/** `const f = () => …` / `var f = function () {…}`: a function named by its variable. */
function jsVariable(node: SyntaxNode): Definition | null {
  const value = node.childForFieldName("value");
  const name = node.childForFieldName("name");
  if (!value || !name || name.type !== "identifier" || !JS_FUNCTION_VALUES.has(value.type)) return null;
  return { role: "function", kind: "function", name: name.text, line: lineOf(name) };
}

/** Class members: methods (and arrow-function fields) count in class bodies only, not in object literals. */
function jsMember(node: SyntaxNode): Definition | "skip" {
  const parent = node.parent?.type;
  if (parent !== "class_body" && parent !== "interface_body" && parent !== "object_type") return "skip";
  if (node.type === "field_definition" || node.type === "public_field_definition") {
    const value = node.childForFieldName("value");
    if (!value || !JS_FUNCTION_VALUES.has(value.type)) return "skip";
  }
  const name = node.childForFieldName("name") ?? node.childForFieldName("property");
  return name ? { role: "function", kind: "method", name: name.text, line: lineOf(name) } : "skip";
}

const JS_LEAVES = ["arrow_function", "function_expression", "function", "generator_function", "class"];
const JS_MEMBERS = {
  variable_declarator: jsVariable,
  method_definition: jsMember,
  field_definition: jsMember,
  public_field_definition: jsMember,
  method_signature: jsMember,
  abstract_method_signature: jsMember,
};
const JS_RULES = byName(
  { class_declaration: "class" },
  ["function_declaration", "generator_function_declaration"],
  JS_LEAVES,
  JS_MEMBERS,
);
const TS_RULES = byName(
  {
    class_declaration: "class",
    abstract_class_declaration: "class",
    interface_declaration: "interface",
    enum_declaration: "enum",
  },
  ["function_declaration", "generator_function_declaration"],
  JS_LEAVES,
  JS_MEMBERS,
);

// --- PHP ---

const PHP_RULES = byName(
  {
    class_declaration: "class",
    interface_declaration: "interface",
    trait_declaration: "trait",
    enum_declaration: "enum",
  },
  ["function_definition", "method_declaration"],
  ["anonymous_function", "arrow_function", "object_creation_expression"],
);

// --- Ruby ---

const RUBY_RULES = byName(
  { class: "class", module: "module" },
  ["method", "singleton_method"],
  ["lambda", "string", "heredoc_body"],
);

// --- Rust ---

/** `impl Trait for Type` is named "Trait for Type", `impl Type` "Type"; it starts on the `impl` line. */
function rustImpl(node: SyntaxNode): Definition | null {
  const type = node.childForFieldName("type");
  if (!type) return null;
  const trait = node.childForFieldName("trait");
  const name = trait ? `${trait.text} for ${type.text}` : type.text;
  return { role: "class", kind: "impl", name: name.replace(/\s+/g, " "), line: lineOf(node) };
}

const RUST_RULES: LanguageRules = {
  ...byName(
    { struct_item: "struct", enum_item: "enum", union_item: "union", trait_item: "trait" },
    ["function_item", "function_signature_item"],
    ["closure_expression", "macro_invocation", "macro_definition"],
    { impl_item: rustImpl },
  ),
  skipsNext: (type, cursor) => type === "attribute_item" && /^#\[\s*cfg\s*\(\s*test\s*\)\s*\]$/.test(cursor.nodeText),
  keepsSkip: new Set(["attribute_item", "line_comment", "block_comment"]),
};

export const RULES: Record<CodeLanguage, LanguageRules> = {
  c: C_RULES,
  cpp: CPP_RULES,
  go: GO_RULES,
  java: JAVA_RULES,
  javascript: JS_RULES,
  typescript: TS_RULES,
  tsx: TS_RULES,
  php: PHP_RULES,
  ruby: RUBY_RULES,
  rust: RUST_RULES,
};
