// The repo map of a commit of a non-Python repo: its files, each source file of the repo's
// language family with its definitions (extract-code.ts). Parsed on this thread, no cache:
// the largest repo of SWE-bench Multilingual we measured maps in a few seconds (bench/RESULTS.md).
import { resolveCommit } from "./build.js";
import { isVendoredPath } from "./code-listing.js";
import { mapCodeSource } from "./extract-code.js";
import { listCommitFiles, readBlobs } from "./git-source.js";
import { languageOfPath, ParserSet, type CodeLanguage, type LanguageFamily } from "../treesitter/languages.js";
import type { CodeFileMap, RepoFile, RepoMap } from "./types.js";

export interface CodeMapOptions {
  /** Parsers to reuse across maps (one set per thread). */
  parsers?: ParserSet;
}

export async function mapCommitCode(gitDir: string, commitish: string, family: LanguageFamily, opts: CodeMapOptions = {}): Promise<RepoMap> {
  const started = performance.now();
  const commit = /^[0-9a-f]{40}$/.test(commitish) ? commitish : await resolveCommit(gitDir, commitish);
  const files = await listCommitFiles(gitDir, commit);
  const listed = performance.now();

  const langOf = new Map<string, CodeLanguage>(); // blob → grammar (a blob is parsed once)
  for (const f of files) {
    const lang = isVendoredPath(f.path) ? undefined : languageOfPath(f.path, family);
    if (lang && !langOf.has(f.blob)) langOf.set(f.blob, lang);
  }
  const parsers = opts.parsers ?? new ParserSet();
  const maps = new Map<string, CodeFileMap>();
  const decoder = new TextDecoder("utf-8");
  await readBlobs(gitDir, [...langOf.keys()], (blob, data) => {
    const lang = langOf.get(blob)!;
    maps.set(blob, mapCodeSource(parsers.get(lang), lang, decoder.decode(data)));
  });
  const parsed = performance.now();

  // A blob shared by a C and a C++ path of a C++ repo is parsed once, as the first path's language.
  const out: RepoFile[] = files.map((f) => {
    const code = languageOfPath(f.path, family) && !isVendoredPath(f.path) ? maps.get(f.blob) : undefined;
    return code ? { path: f.path, blob: f.blob, code } : { path: f.path, blob: f.blob };
  });
  return {
    commit,
    files: out,
    stats: {
      files: files.length,
      py_files: 0,
      code_files: out.filter((f) => f.code).length,
      cache_hits: 0,
      parsed: maps.size,
      workers: 0,
      ms: {
        list: Math.round(listed - started),
        cache: 0,
        parse: Math.round(parsed - listed),
        store: 0,
        total: Math.round(performance.now() - started),
      },
    },
  };
}
