// Turning a localization answer into files of the repository. SWE-RL reads the <solution>
// part of a thinking answer, splits it into lines and keeps the lines that are exactly a file
// of the listing. We accept more of what models write and say why anything was dropped:
//  - the answer: the <solution> part when there is one, else what follows </think>, else the
//    whole text (an unfinished thought, <think> with neither, is an empty answer);
//  - the lines: those inside fenced blocks (an unclosed fence runs to the end); with no fence
//    at all, every line of the answer (as SWE-RL, which never looked for one), noted;
//  - a line: list markers and markdown around the path dropped, then the leading path token,
//    so that "path.py:12", "path.py#L3-L9", "path.py (line 4)", "path.py - what it does" all
//    give the path; lines whose first token does not look like a path are not path lines;
//  - a path: "\" → "/", then the first of itself and its forms without "./", "/", "a/", "b/",
//    "testbed/", "owner/name/", "owner__name/" or "name/" in front that is a file of the
//    listing (SWE-RL keeps only those: .py files, tests left out). Duplicates dropped, at most n.
import { pyStrip } from "../reward/py-str.js";
import { thinkingAnswer } from "../model/answer-part.js";
import type { DroppedPath, LocalizationStatus } from "../records/localization.js";

export interface ParsedLocalization {
  found_files: string[];
  status: LocalizationStatus;
  /** Why no file was found; null when status is ok. */
  error: string | null;
  /** The answer used the thinking format (<think>/<solution>). */
  thinking: boolean;
  /** The answer had a fenced block. */
  fenced: boolean;
  dropped: DroppedPath[];
  /** What was odd about an answer that still gave files (e.g. no fenced block). */
  notes: string[];
}

export interface ParseContext {
  /** Files of the listing shown to the model: what an answer may name. */
  listed: ReadonlySet<string>;
  /** Every file of the repository at base_commit (tells "not listed" from "does not exist"). */
  repoFiles: ReadonlySet<string>;
  /** owner/name. */
  repo: string;
  /** At most this many files kept (the prompt's n). */
  maxFiles: number;
}

/** The answer part of a (possibly thinking-format) output, or why there is none. */
export function answerPart(output: string): { text: string; thinking: boolean; unfinished: boolean } {
  const open = output.indexOf("<solution>");
  if (open >= 0) {
    const rest = output.slice(open + "<solution>".length);
    const close = rest.indexOf("</solution>");
    return { text: close >= 0 ? rest.slice(0, close) : rest, thinking: true, unfinished: false };
  }
  const endThink = output.indexOf("</think>");
  if (endThink >= 0) return { text: output.slice(endThink + "</think>".length), thinking: true, unfinished: false };
  if (output.includes("<think>")) return { text: "", thinking: true, unfinished: true };
  return { text: output, thinking: false, unfinished: false };
}

/** Lines inside fenced blocks (null when there is no fence). */
export function fencedLines(text: string): string[] | null {
  const lines = text.split(/\r\n|\r|\n/);
  let fenced = false;
  let inside = false;
  const out: string[] = [];
  for (const line of lines) {
    if (/^\s*```/.test(line)) {
      fenced = true;
      inside = !inside;
      continue;
    }
    if (inside) out.push(line);
  }
  return fenced ? out : null;
}

const LIST_MARKER = /^(?:[-*+•>]|\d+[.)]|\(\d+\))\s+/;
const PATH_TOKEN = /^[\p{L}\p{N}_.\-/\\+@~]+/u;

/** The path a line names, or null when its first token is not path-like. */
export function pathOfLine(line: string): string | null {
  let s = line.trim();
  for (let i = 0; i < 3 && LIST_MARKER.test(s); i++) s = s.replace(LIST_MARKER, "");
  s = s.replace(/^(?:\*\*|__|[`'"*])+/, "");
  const token = PATH_TOKEN.exec(s)?.[0].replace(/[.\\]+$/, "");
  if (!token) return null;
  const looksLikePath = token.includes("/") || token.includes("\\") || /\.[A-Za-z][A-Za-z0-9_]+$/.test(token);
  return looksLikePath ? token : null;
}

function prefixes(repo: string): string[] {
  const [owner, name] = repo.split("/");
  return ["./", "/", "a/", "b/", "testbed/", `${owner}/${name}/`, `${owner}__${name}/`, `${name}/`];
}

/** The listed file a written path stands for, or why there is none. */
export function resolvePath(
  written: string,
  ctx: Pick<ParseContext, "listed" | "repoFiles" | "repo">,
): { path: string } | { reason: "not_in_repo" | "not_listed" } {
  const start = written.replace(/\\/g, "/").replace(/\/{2,}/g, "/");
  const seen = new Set<string>();
  const queue = [start];
  let inRepo = false;
  while (queue.length > 0) {
    const p = queue.shift()!;
    if (seen.has(p) || p === "") continue;
    seen.add(p);
    if (ctx.listed.has(p)) return { path: p };
    if (ctx.repoFiles.has(p)) inRepo = true;
    for (const prefix of prefixes(ctx.repo)) if (p.startsWith(prefix)) queue.push(p.slice(prefix.length));
  }
  return { reason: inRepo ? "not_listed" : "not_in_repo" };
}

const quoteList = (paths: string[]): string =>
  paths
    .slice(0, 5)
    .map((p) => JSON.stringify(p))
    .join(", ") + (paths.length > 5 ? `, … (${paths.length} in all)` : "");

export function parseLocalizationOutput(output: string, ctx: ParseContext): ParsedLocalization {
  const { text, thinking, unfinished } = answerPart(output);
  const result: ParsedLocalization = {
    found_files: [],
    status: "ok",
    error: null,
    thinking,
    fenced: false,
    dropped: [],
    notes: [],
  };
  const fail = (status: Exclude<LocalizationStatus, "ok">, error: string): ParsedLocalization => ({
    ...result,
    found_files: [],
    status,
    error,
  });
  if (unfinished)
    return fail("empty_answer", "empty answer: the thought never ends (<think> without </think> or <solution>)");
  if (pyStrip(text) === "")
    return fail("empty_answer", thinking ? "empty answer: nothing after the thought" : "empty answer");

  const fenced = fencedLines(text);
  result.fenced = fenced !== null;
  const written = (fenced ?? text.split(/\r\n|\r|\n/)).map(pathOfLine).filter((p): p is string => p !== null);
  if (fenced === null && written.length > 0)
    result.notes.push("no fenced block: paths read from every line of the answer");
  for (const w of written) {
    const r = resolvePath(w, ctx);
    if (!("path" in r)) result.dropped.push({ path: w, reason: r.reason });
    else if (result.found_files.includes(r.path)) result.dropped.push({ path: w, reason: "duplicate" });
    else if (result.found_files.length >= ctx.maxFiles) result.dropped.push({ path: w, reason: "over_limit" });
    else result.found_files.push(r.path);
  }
  if (result.found_files.length > 0) return result;

  if (written.length === 0) {
    return fenced === null
      ? fail("no_fenced_block", "no fenced block, and no line of the answer names a file")
      : fail("empty_answer", "empty answer: the fenced block names no file");
  }
  const notListed = result.dropped.filter((d) => d.reason === "not_listed").map((d) => d.path);
  const missing = result.dropped.filter((d) => d.reason === "not_in_repo").map((d) => d.path);
  const parts = [
    missing.length ? `not in the repository at base_commit: ${quoteList(missing)}` : "",
    notListed.length ? `not in the listing (tests and non-.py files are left out): ${quoteList(notListed)}` : "",
  ].filter(Boolean);
  return fail(
    "nonexistent_paths",
    `none of the paths named is a file of the listing: ${parts.join("; ")}` +
      (fenced === null ? " (and no fenced block)" : ""),
  );
}

/**
 * localize.parser: strict — Agentless Mini's reading (localize.py:113-115, utils/data.py
 * correct_file_paths): the answer part split on "\n", each line kept when it is exactly a
 * listed file; no prefix or marker stripping, no dedup, no cap.
 */
export function parseLocalizationStrict(
  output: string,
  listed: ReadonlySet<string>,
  thinking: boolean,
): ParsedLocalization {
  const text = thinkingAnswer(output, thinking);
  const lines = text.split("\n");
  const found_files = lines.filter((l) => listed.has(l));
  const result: ParsedLocalization = {
    found_files,
    status: "ok",
    error: null,
    thinking,
    fenced: /^```/m.test(text),
    dropped: [],
    notes: [],
  };
  if (found_files.length > 0) return result;
  if (text === "") return { ...result, status: "empty_answer", error: "empty answer" };
  return {
    ...result,
    status: "nonexistent_paths",
    error: "no line of the answer is exactly a listed file (strict parser)",
  };
}
