// Agentless's repository structure (get_repo_structure.py: nested dirs → files →
// {classes, functions[, text]}), built from a repo map.
import type { CodeFileMap, PyFileMap, RepoMap, Span } from "./types.js";
import { pySplitLines } from "../util/py-splitlines.js";

/** Agentless's JSON: a directory is an object of entries; a .py file has classes/functions; other files are {}. */
export type AgentlessStructure = { [name: string]: AgentlessStructure | AgentlessPyFile | Record<string, never> };
export interface AgentlessPyFile {
  classes: Array<AgentlessSpan & { methods: AgentlessSpan[] }>;
  functions: AgentlessSpan[];
  text?: string[];
}
type AgentlessSpan = Span & { text?: string[] };

/**
 * The structure of a map. Entries of a directory: its files, then its subdirectories (the
 * order os.walk gives Agentless), each sorted by name. `texts` (path → file content) adds
 * Agentless's `text` arrays.
 */
export function toAgentlessStructure(map: RepoMap, texts?: Map<string, string>): AgentlessStructure {
  const root: AgentlessStructure = {};
  const files = [...map.files].sort((a, b) => depthFirst(a.path, b.path));
  for (const f of files) {
    const parts = f.path.split("/");
    let dir = root;
    for (const part of parts.slice(0, -1)) dir = (dir[part] ??= {}) as AgentlessStructure;
    const text = texts?.get(f.path);
    const defs = f.py ?? f.code; // other languages: the same shape (their kinds left out)
    dir[parts.at(-1)!] = defs ? agentlessFile(defs, text, f.py !== undefined) : {};
  }
  return root;
}

// Files of a directory before its subdirectories, names in code-point order.
function depthFirst(a: string, b: string): number {
  const pa = a.split("/"),
    pb = b.split("/");
  for (let i = 0; ; i++) {
    const lastA = i === pa.length - 1,
      lastB = i === pb.length - 1;
    if (pa[i] !== pb[i] || lastA || lastB) {
      if (lastA !== lastB) return lastA ? -1 : 1;
      return pa[i]! < pb[i]! ? -1 : pa[i]! > pb[i]! ? 1 : 0;
    }
  }
}

// Python lines are split as Python's str.splitlines() does (what Agentless does); other
// languages' on newlines only, as tree-sitter counts the rows of their line numbers.
function agentlessFile(py: PyFileMap | CodeFileMap, text: string | undefined, python: boolean): AgentlessPyFile {
  const lines = text === undefined ? undefined : (python ? pySplitLines : newlineSplit)(text.replace(/\r\n?/g, "\n"));
  // Python spans are copied whole, as they always were (key order included); other languages' lose their `kind`.
  const span = (s: Span): AgentlessSpan => {
    const base = python ? { ...s } : { name: s.name, start_line: s.start_line, end_line: s.end_line };
    return lines ? { ...base, text: lines.slice(s.start_line - 1, s.end_line) } : base;
  };
  return {
    classes: py.classes.map((c) => ({ ...span(c), methods: c.methods.map(span) })),
    functions: py.functions.map(span),
    ...(lines ? { text: lines } : {}),
  };
}

function newlineSplit(s: string): string[] {
  const lines = s.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}
