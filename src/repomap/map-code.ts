// The repo map of a commit of a non-Python repo: build.ts's mapCommit with the language set
// (build-code.ts: each source file of the family with its definitions). Kept for its callers
// (the ctags bench): no cache unless one is given, parsed on this thread unless workers are.
import { mapCommit, type MapOptions } from "./build.js";
import type { LanguageFamily, ParserSet } from "../treesitter/languages.js";
import type { RepoMap } from "./types.js";

export interface CodeMapOptions {
  /** Parsers to reuse across maps (one set per thread). */
  parsers?: ParserSet;
  cacheDir?: string | false;
  workers?: number;
}

export function mapCommitCode(
  gitDir: string,
  commitish: string,
  family: LanguageFamily,
  opts: CodeMapOptions = {},
): Promise<RepoMap> {
  const o: MapOptions = {
    language: family,
    cacheDir: opts.cacheDir ?? false,
    workers: opts.workers ?? 0,
    ...(opts.parsers ? { parsers: opts.parsers } : {}),
  };
  return mapCommit(gitDir, commitish, o);
}
