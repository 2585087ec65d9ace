// The oracle's imperfect answers, each a kind of mistake real models make:
// - wrong edit: well-formed and applicable, but not the gold change (a flipped operator or
//   literal in an added line; else a missing block; else a damaged block);
// - no-op: well-formed and applicable, but changes only whitespace;
// - format error: breaks SWE-RL's format so the strict parser rejects it (reward -1).
import { renderAnswer, renderBlocks, type EditBlock } from "./oracle-edits.js";

const MUTATIONS: Array<[RegExp, string | ((m: string) => string)]> = [
  [/ == /, " != "],
  [/ != /, " == "],
  [/ is not /, " is "],
  [/ not in /, " in "],
  [/ <= /, " > "],
  [/ >= /, " < "],
  [/ < /, " >= "],
  [/ > /, " <= "],
  [/\bTrue\b/, "False"],
  [/\bFalse\b/, "True"],
  [/ and /, " or "],
  [/ or /, " and "],
  [/\bnot /, ""],
  [/ \+ /, " - "],
  [/ - /, " + "],
  [/\b\d+\b/, (m) => String(Number(m) + 1)],
  [/\breturn (?!None\b)\S.*$/, "return None"],
];

export function mutateLine(line: string): string | undefined {
  const code = line.trimStart();
  if (code === "" || code.startsWith("#")) return undefined;
  for (const [pattern, to] of MUTATIONS) {
    const m = pattern.exec(line);
    if (!m) continue;
    const replacement = typeof to === "string" ? to : to(m[0]);
    return line.slice(0, m.index) + replacement + line.slice(m.index + m[0].length);
  }
  return undefined;
}

/** Lines of `replace` that are not in `search` (the lines the edit adds). */
function addedLineIndexes(block: EditBlock): number[] {
  const old = new Set(block.search.split("\n"));
  return block.replace.split("\n").flatMap((line, i) => (old.has(line) ? [] : [i]));
}

/** A plausible but wrong version of the gold blocks (never equal to them). */
export function wrongEditBlocks(gold: readonly EditBlock[]): { blocks: EditBlock[]; how: string } {
  for (let k = 0; k < gold.length; k++) {
    const lines = gold[k].replace.split("\n");
    for (const i of addedLineIndexes(gold[k])) {
      const mutated = mutateLine(lines[i]);
      if (mutated === undefined) continue;
      lines[i] = mutated;
      const replace = lines.join("\n");
      if (replace === gold[k].search) break;
      return { blocks: gold.map((b, j) => (j === k ? { ...b, replace } : b)), how: "mutated an added line" };
    }
  }
  if (gold.length > 1) return { blocks: gold.slice(0, -1), how: "left out the last block" };
  const only = gold[0];
  if (!only) return { blocks: [], how: "no gold blocks" };
  const added = new Set(addedLineIndexes(only));
  const withoutAdditions = only.replace
    .split("\n")
    .filter((_, i) => !added.has(i))
    .join("\n");
  if (withoutAdditions !== only.search && withoutAdditions !== only.replace) {
    return { blocks: [{ ...only, replace: withoutAdditions }], how: "dropped the added lines" };
  }
  if (only.search === "") {
    return {
      blocks: [{ ...only, replace: `${only.replace}\nraise NotImplementedError  # incomplete\n` }],
      how: "appended a raise",
    };
  }
  const searchLines = only.search.split("\n");
  return {
    blocks: [{ ...only, replace: searchLines.slice(1).join("\n") }],
    how: "deleted the first line of the search",
  };
}

/** Whitespace-only blocks: the first gold block's search with a trailing space on its first line. */
export function noopBlocks(gold: readonly EditBlock[]): EditBlock[] {
  const first = gold[0];
  if (!first) return [];
  if (first.search === "") return [{ path: first.path, search: "", replace: "\n" }];
  const lines = first.search.split("\n");
  lines[0] += " ";
  return [{ path: first.path, search: first.search, replace: lines.join("\n") }];
}

export const FORMAT_ERRORS = ["missing_solution_end", "duplicate_think", "empty_thought", "search_not_found"] as const;
export type FormatErrorKind = (typeof FORMAT_ERRORS)[number];

/** An answer the strict SWE-RL parser rejects, in the way `kind` says. */
export function formatErrorAnswer(kind: FormatErrorKind, thought: string, gold: readonly EditBlock[]): string {
  const solution = renderBlocks(gold);
  switch (kind) {
    case "missing_solution_end":
      return renderAnswer(thought, solution).replace(/<\/solution>$/, "");
    case "duplicate_think":
      return `<think>\n${thought}\n</think>\n<think>\nLet me check once more.\n</think>\n<solution>\n${solution}\n</solution>`;
    case "empty_thought":
      return renderAnswer("", solution);
    case "search_not_found": {
      const marker = "# this line is not in the file (swerl oracle format error)";
      const broken = gold.map((b, i) =>
        i === 0 ? { ...b, search: b.search === "" ? marker : `${marker}\n${b.search}` } : b,
      );
      return renderAnswer(thought, renderBlocks(broken));
    }
  }
}
