// The files of one repair prompt, as Agentless Mini builds them (construct_topn_file_context):
// each file is `### path` + its content (lines re-joined with "\n", as SWE-RL's repo structure
// stores them); files are taken in location order and a file whose tokens would push the
// total past the budget is left out (later, smaller files may still fit); if none fits, the
// first file goes in alone; the kept files are shuffled when more than one sample is drawn.
import llama3Tokenizer from "llama3-tokenizer-js";
import { pySplitLines } from "../util/py-splitlines.js";
import { codeFile } from "./prompts.js";
import type { OmittedFile } from "../records/repair.js";

/** Llama 3 tokens of `text` as Hugging Face's tokenizer.encode counts them (with <|begin_of_text|>). */
export function countTokens(text: string): number {
  return llama3Tokenizer.encode(text, { bos: true, eos: false }).length;
}

/** A file as the prompt shows it: Python's "\n".join(content.splitlines()). */
export const displayContent = (content: string): string => pySplitLines(content).join("\n");

/** Python's random.shuffle (Fisher–Yates from the end) driven by `random` in [0, 1). */
export function shuffleInPlace<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

export interface FileContext {
  /** The text that goes between the fences of `--- BEGIN FILE ---`. */
  text: string;
  /** Files in the prompt, in prompt order. */
  included: string[];
  omitted: OmittedFile[];
  /** Sum of the included files' tokens (each counted alone, as SWE-RL does). */
  tokens: number;
  /** True when no file fit and the first one was put in anyway (SWE-RL's fallback). */
  overBudget: boolean;
}

/** Counts tokens of one file block once per (key, path): every sample of an instance reuses them. */
export class TokenCounter {
  private cache = new Map<string, number>();
  count(key: string, path: string, block: string): number {
    const k = `${key}\u0000${path}`;
    let n = this.cache.get(k);
    if (n === undefined) this.cache.set(k, (n = countTokens(block)));
    return n;
  }
}

export interface ContextInput {
  /** Cache key for token counts, e.g. the instance id. */
  key: string;
  /** Files of the location set, in location order. */
  paths: readonly string[];
  /** Original contents (at base_commit) of the paths that exist. */
  contents: Readonly<Record<string, string>>;
  maxTokens: number;
  /** Shuffles the kept files when given. */
  random?: () => number;
  counter?: TokenCounter;
}

export function buildFileContext(input: ContextInput): FileContext {
  const counter = input.counter ?? new TokenCounter();
  const kept: Array<{ path: string; block: string }> = [];
  const omitted: OmittedFile[] = [];
  let tokens = 0;
  let first: { path: string; block: string; tokens: number } | undefined;
  for (const path of input.paths) {
    if (!Object.hasOwn(input.contents, path)) {
      omitted.push({ path, tokens: null, reason: "not_in_repo" });
      continue;
    }
    const block = codeFile(path, displayContent(input.contents[path]));
    const n = counter.count(input.key, path, block);
    first ??= { path, block, tokens: n };
    if (tokens + n > input.maxTokens) {
      omitted.push({ path, tokens: n, reason: "over_budget" });
      continue;
    }
    tokens += n;
    kept.push({ path, block });
  }
  if (kept.length === 0 && first) {
    return {
      text: first.block,
      included: [first.path],
      tokens: first.tokens,
      overBudget: true,
      omitted: omitted.filter((o) => o.path !== first!.path),
    };
  }
  if (input.random) shuffleInPlace(kept, input.random);
  return {
    text: kept.map((k) => k.block).join("\n\n"),
    included: kept.map((k) => k.path),
    omitted,
    tokens,
    overBudget: false,
  };
}
