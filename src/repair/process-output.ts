// One model answer → what the repair stage records: the strict SWE-RL verdict (format and
// reward against the gold patch), and, from the tolerant parser, the applied edits, the patch
// (a git diff), syntax and empty-patch checks.
import { SearchReplaceRewardTarget, searchReplaceFormatError } from "../reward/reward.js";
import { pyStrip } from "../reward/py-str.js";
import { applyEditBlocks, editablePaths } from "./apply-edits.js";
import type { BlockOutcome, SampleStatus } from "../records/repair.js";
import { parseEditBlocks, solutionText } from "./edit-parser.js";
import { patchOf } from "./git-diff.js";
import type { RepoListing } from "../repo/files.js";
import { newSyntaxErrors, type PythonSyntaxChecker } from "./syntax.js";
import { differsOnlyByEmptyLines, strictEdits } from "../reward/agentless-mini-edits.js";
import { sharedAstWorker, type PythonAstWorker } from "../pyast/worker.js";
import type { CodeSyntaxChecker } from "./syntax-code.js";

export interface OracleTarget {
  /** Original content of the files the gold patch touches. */
  codeContext: Record<string, string>;
  /** Their content after the gold patch. */
  oracleNewContent: Record<string, string>;
}

export interface ProcessInput {
  output: string;
  /** Files shown in the prompt (the only-file rule of the tolerant parser uses them). */
  contextFiles: readonly string[];
  listing: RepoListing;
  /** Original content of the files in the prompt (more are read through `readFiles`). */
  contents: Readonly<Record<string, string>>;
  readFiles: (paths: string[]) => Promise<Record<string, string>>;
  /**
   * null when the gold patch could not be turned into reward inputs (reward then null). Not to
   * be changed once used: the reward's oracle side is computed once per object (and contents).
   */
  oracle: OracleTarget | null;
  /** Shared by the samples of one instance (keeps the originals' parse trees). */
  syntax?: PythonSyntaxChecker;
  /** repair.parser (default tolerant): strict is Agentless Mini's parsing (reward/agentless-mini-edits.ts). */
  parser?: "strict" | "tolerant";
  /** repair.syntax_check (default lenient): strict is ast.parse on every edited file. */
  syntaxCheck?: "strict" | "lenient";
  /** The answer is in the thinking format (THINKING=yes of Agentless Mini): strict parsing reads <solution>. */
  thinking?: boolean;
  /** Strict parser: the sample's location set (the files it may edit; contents from `contents`). */
  locationSet?: readonly string[];
  astWorker?: PythonAstWorker;
  /**
   * A repo of another language: its grammar's check instead of Python's (both modes), and its
   * fence tag for the strict parser's blocks. Absent: Python, as always.
   */
  code?: { syntax: CodeSyntaxChecker; fence: string };
}

export interface ProcessedOutput {
  thought_length: number;
  format_ok: boolean;
  format_error: string | null;
  reward: number | null;
  status: SampleStatus;
  /** What went wrong, for every status but ok. */
  error: string | null;
  blocks: BlockOutcome[];
  edited_files: string[];
  /** The patch for evaluation ("" for syntax_error and empty_patch). */
  patch: string;
  /** The diff of the applied edits when `patch` was emptied by the syntax or whitespace check; else null. */
  raw_patch: string | null;
  syntax_errors: Record<string, string>;
}

/** Text between <think> and </think> (stripped) — 0 when the tags are missing. */
export function thoughtLength(output: string): number {
  const open = output.indexOf("<think>");
  const close = output.indexOf("</think>", open + 1);
  return open >= 0 && close > open ? [...pyStrip(output.slice(open + "<think>".length, close))].length : 0;
}

/** Lines with trailing whitespace removed, blank ones left out, joined by "\n". */
const normalizedLines = (t: string) =>
  t
    .split(/\r?\n/)
    .map((l) => l.replace(/\s+$/, ""))
    .filter((l) => l !== "")
    .join("\n");

/**
 * True when old and new differ only in trailing whitespace and blank lines. Whole lines the
 * two share at the start and at the end normalize alike, so only the lines between are
 * compared (the cuts fall just after a "\n", where no line break can straddle them).
 */
export function onlyWhitespaceChanged(oldText: string, newText: string): boolean {
  const shorter = Math.min(oldText.length, newText.length);
  let head = 0;
  while (head < shorter && oldText.charCodeAt(head) === newText.charCodeAt(head)) head++;
  head = head === 0 ? 0 : oldText.lastIndexOf("\n", head - 1) + 1; // just after a shared "\n" (or 0)
  let tail = 0;
  while (
    tail < shorter - head &&
    oldText.charCodeAt(oldText.length - 1 - tail) === newText.charCodeAt(newText.length - 1 - tail)
  )
    tail++;
  // the shared end, cut just after its first "\n" (a "\n" both texts have)
  const cut = oldText.indexOf("\n", oldText.length - tail);
  const oldEnd = cut < 0 ? oldText.length : cut + 1;
  const newEnd = newText.length - (oldText.length - oldEnd);
  return normalizedLines(oldText.slice(head, oldEnd)) === normalizedLines(newText.slice(head, newEnd));
}

// The reward target of an oracle, built once and reused by every sample of the instance (the
// stage passes the same oracle and contents objects to each); rebuilt if the contents differ.
const rewardTargets = new WeakMap<
  OracleTarget,
  { contents: ProcessInput["contents"]; target: SearchReplaceRewardTarget }
>();

function rewardTarget(oracle: OracleTarget, contents: ProcessInput["contents"]): SearchReplaceRewardTarget {
  const known = rewardTargets.get(oracle);
  if (known && known.contents === contents) return known.target;
  const target = new SearchReplaceRewardTarget({ ...contents, ...oracle.codeContext }, oracle.oracleNewContent);
  rewardTargets.set(oracle, { contents, target });
  return target;
}

/** Agentless Mini's check_syntax: every text non-blank and accepted by Python's ast.parse. */
export async function astParses(
  texts: readonly string[],
  worker: PythonAstWorker = sharedAstWorker(),
): Promise<boolean> {
  if (texts.some((t) => pyStrip(t) === "")) return false;
  return (await worker.parses(texts)).every(Boolean);
}

/** path → error for the strict check (all edited files, reported together), or for the lenient one. */
async function syntaxErrorsOf(
  input: ProcessInput,
  originals: Readonly<Record<string, string>>,
  edited: Record<string, string>,
): Promise<Record<string, string>> {
  if (input.code)
    return input.syntaxCheck === "strict"
      ? input.code.syntax.strictErrors(edited)
      : input.code.syntax.newErrors(originals, edited);
  if (input.syntaxCheck !== "strict") return newSyntaxErrors(originals, edited, input.syntax);
  const paths = Object.keys(edited);
  if (
    paths.length === 0 ||
    (await astParses(
      paths.map((p) => edited[p]!),
      input.astWorker,
    ))
  )
    return {};
  return Object.fromEntries(
    paths.map((p) => [p, "ast.parse fails on one of the edited files (strict check: the patch is emptied)"]),
  );
}

export async function processRepairOutput(input: ProcessInput): Promise<ProcessedOutput> {
  let format_error: string | null;
  let reward: number | null = null;
  if (input.oracle) {
    const r = rewardTarget(input.oracle, input.contents).score(input.output);
    reward = r.reward;
    format_error = r.error ?? null;
  } else {
    format_error = searchReplaceFormatError(input.contents, input.output);
  }
  const format_ok = format_error === null;
  if (input.parser === "strict") return processStrict(input, format_ok, format_error, reward);

  const blocks = parseEditBlocks(solutionText(input.output), input.contextFiles);
  const wanted = editablePaths(blocks, input.listing, input.contextFiles).filter(
    (p) => !Object.hasOwn(input.contents, p),
  );
  const originals = wanted.length > 0 ? { ...input.contents, ...(await input.readFiles(wanted)) } : input.contents;
  const { newContents, outcomes } = applyEditBlocks(blocks, originals, input.listing, input.contextFiles);
  const edited_files = Object.keys(newContents);
  const raw_patch = patchOf(originals, newContents);
  const syntax_errors = await syntaxErrorsOf(input, originals, newContents);
  const failed = outcomes.filter((o) => o.status !== "applied" && o.status !== "identical");

  const result = (status: SampleStatus, error: string | null, patch: string): ProcessedOutput => ({
    thought_length: thoughtLength(input.output),
    format_ok,
    format_error,
    reward,
    status,
    error,
    blocks: outcomes,
    edited_files,
    patch,
    raw_patch: patch === raw_patch ? null : raw_patch,
    syntax_errors,
  });
  const describe = (o: BlockOutcome) =>
    `block at line ${o.line}${o.path ? ` (${o.path})` : ""}: ${o.status}${o.path_problem ? ` (${o.path_problem})` : ""}`;
  if (blocks.length === 0) return result("no_edits", "no SEARCH/REPLACE block found", "");
  if (edited_files.length === 0) {
    if (failed.length > 0) return result("apply_error", failed.map(describe).join("; "), "");
    return result("empty_patch", "the edits change nothing", "");
  }
  if (Object.keys(syntax_errors).length > 0) {
    return result(
      "syntax_error",
      Object.entries(syntax_errors)
        .map(([p, e]) => `${p}: ${e}`)
        .join("; "),
      "",
    );
  }
  if (edited_files.every((p) => onlyWhitespaceChanged(originals[p], newContents[p]))) {
    return result("empty_patch", "the edits change only whitespace or blank lines", "");
  }
  if (failed.length > 0) return result("partial_apply", failed.map(describe).join("; "), raw_patch);
  return result("ok", null, raw_patch);
}

/** repair.parser: strict — Agentless Mini's post-processing (repair.py:286-315), our statuses on top. */
async function processStrict(
  input: ProcessInput,
  format_ok: boolean,
  format_error: string | null,
  reward: number | null,
): Promise<ProcessedOutput> {
  const locationSet = input.locationSet ?? input.contextFiles;
  const originals = Object.fromEntries(
    locationSet.filter((p) => Object.hasOwn(input.contents, p)).map((p) => [p, input.contents[p]!]),
  );
  const fence = input.code?.fence ?? "python";
  const { edited_files, new_contents } = strictEdits(input.output, originals, input.thinking ?? false, fence);
  const changed: Record<string, string> = {};
  edited_files.forEach((p, i) => {
    if (new_contents[i] !== originals[p]) changed[p] = new_contents[i]!;
  });
  const raw_patch = patchOf(originals, changed);
  const strictSyntax = input.syntaxCheck !== "lenient";
  let syntax_errors: Record<string, string>;
  if (input.code) {
    syntax_errors = strictSyntax
      ? input.code.syntax.strictErrors(Object.fromEntries(edited_files.map((p, i) => [p, new_contents[i]!])))
      : input.code.syntax.newErrors(originals, changed);
  } else {
    const ok = strictSyntax
      ? await astParses(new_contents, input.astWorker)
      : Object.keys(newSyntaxErrors(originals, changed, input.syntax)).length === 0;
    syntax_errors = ok
      ? {}
      : strictSyntax
        ? Object.fromEntries(
            edited_files.map((p) => [
              p,
              "ast.parse fails on one of the edited files (strict check: the patch is emptied)",
            ]),
          )
        : newSyntaxErrors(originals, changed, input.syntax);
  }
  const syntaxOk = Object.keys(syntax_errors).length === 0;
  const result = (status: SampleStatus, error: string | null, patch: string): ProcessedOutput => ({
    thought_length: thoughtLength(input.output),
    format_ok,
    format_error,
    reward,
    status,
    error,
    blocks: [],
    edited_files: Object.keys(changed),
    patch,
    raw_patch: patch === raw_patch ? null : raw_patch,
    syntax_errors,
  });
  if (edited_files.length === 0) {
    const blockRe =
      fence === "python"
        ? /```python\n[\s\S]*?<<<<<<< SEARCH[\s\S]*?>>>>>>> REPLACE[\s\S]*?\n```/
        : new RegExp("```" + fence + "\\n[\\s\\S]*?<<<<<<< SEARCH[\\s\\S]*?>>>>>>> REPLACE[\\s\\S]*?\\n```");
    return blockRe.test(input.output)
      ? result("apply_error", `no \`\`\`${fence} edit names a file of the location set (strict parser)`, "")
      : result("no_edits", `no SEARCH/REPLACE edit in a \`\`\`${fence} block (strict parser)`, "");
  }
  if (!syntaxOk)
    return result(
      "syntax_error",
      Object.entries(syntax_errors)
        .map(([p, e]) => `${p}: ${e}`)
        .join("; "),
      "",
    );
  if (
    differsOnlyByEmptyLines(
      new_contents,
      edited_files.map((p) => originals[p]!),
    )
  ) {
    return result(
      "empty_patch",
      "the edits change nothing but empty lines (strict parser: no search matched, or blank lines only)",
      "",
    );
  }
  return result("ok", null, raw_patch);
}
