// Paths given on the command line mean paths from the working directory, wherever they end up:
// a git URL (file://…), a child process with its own cwd, a run manifest read later from
// elsewhere. So before a command runs, every option whose value is a path is made absolute.
// Which options those are is read off their value placeholder in the help:
//   <dir> <file> <file.jsonl> <path>       a path
//   <path|hf-id|demo|demo-multilingual>  <path|gold|empty>  a path when such a file exists (and is not one of
//                                           the words listed), else an id or that word
//   (<id|dir> is left alone: the command tries it as a run directory, then under --results-dir)
//   <repo=path> <repo=path|url> …           REPO=PATH pairs (URLs are left as they are)
import { existsSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import type { Command, Option } from "commander";
import { URL_LIKE } from "../repo/sources.js";

type PathKind = "path" | { existingPathOr: string[] } | "repo-pairs";
// Placeholder alternatives that name a kind of value, not a literal word the option accepts.
const KINDS = new Set(["path", "dir", "file", "id", "hf-id"]);

/** What kind of path an option takes, from its placeholder; undefined: not a path. */
export function pathKindOf(option: Option): PathKind | undefined {
  const placeholder = /[<[]([^>\]]+)[>\]]/.exec(option.flags)?.[1]?.replace(/\.\.\.$/, "");
  if (placeholder === undefined) return undefined;
  if (/^repo=(path|url)(\|(path|url))?$/.test(placeholder))
    return placeholder.includes("path") ? "repo-pairs" : undefined;
  const alternatives = placeholder.split("|");
  if (alternatives.length === 1) return /^(path|dir|file(\..+)?)$/.test(placeholder) ? "path" : undefined;
  return alternatives.includes("path") ? { existingPathOr: alternatives.filter((a) => !KINDS.has(a)) } : undefined; // <id|dir>: the command looks it up itself
}

const absolute = (p: string): string => (isAbsolute(p) ? p : resolve(p));

function resolveValue(kind: PathKind, value: string): string {
  if (typeof kind === "object")
    return !kind.existingPathOr.includes(value) && existsSync(value) ? absolute(value) : value;
  switch (kind) {
    case "path":
      return value === "-" ? value : absolute(value); // "-": stdin/stdout
    case "repo-pairs": {
      const eq = value.indexOf("=");
      if (eq <= 0) return value; // the command names the malformed pair itself
      const target = value.slice(eq + 1);
      return URL_LIKE.test(target) || target === "" ? value : `${value.slice(0, eq)}=${absolute(target)}`;
    }
  }
}

/** Make the path options of the command about to run absolute (from the working directory). */
export function resolvePathOptions(command: Command): void {
  for (const option of command.options) {
    const kind = pathKindOf(option);
    if (!kind) continue;
    const key = option.attributeName();
    const value: unknown = command.getOptionValue(key);
    const resolved =
      typeof value === "string"
        ? resolveValue(kind, value)
        : Array.isArray(value)
          ? value.map((v: unknown) => (typeof v === "string" ? resolveValue(kind, v) : v))
          : value;
    if (resolved !== value) command.setOptionValueWithSource(key, resolved, command.getOptionValueSource(key));
  }
}
