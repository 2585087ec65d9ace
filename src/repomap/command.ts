// swerl repo-map: the tree-sitter map of a repository at a commit (or of a work tree).
//
// Where the map differs from Agentless's get_repo_structure (ast.walk), on purpose:
//  - async defs are listed (Agentless's isinstance(n, ast.FunctionDef) drops them);
//  - functions are the module-level ones only (Agentless also lists closures and defs nested
//    in methods); methods are the defs whose scope is the class body (Agentless misses those
//    under an `if` in the class body and lists them as functions);
//  - a file that does not parse keeps what tree-sitter recovered (Agentless: empty lists);
//  - paths are relative to the repository root (Agentless nests everything under the
//    checkout folder's name, which merges root files into a same-named package).
// Classes (all, nested included, breadth-first like ast.walk) and line ranges are the same.
import { Command, Option } from "commander";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { git } from "../git/git.js";
import { log } from "../log/logger.js";
import { mapCommit, mapWorkTree, type MapOptions } from "./build.js";
import { readBlobs } from "./git-source.js";
import { mapJson } from "./lazy-file.js";
// The renderers of --format tree and agentless are imported when asked for (start-up time).
import type { RepoMap } from "./types.js";
import { InputError } from "../util/input-error.js";
import { LANGUAGE_FAMILIES, type LanguageFamily } from "../treesitter/languages.js";

interface RepoMapFlags {
  repo: string;
  commit?: string;
  format: "agentless" | "json" | "tree";
  withText?: boolean;
  indent: string;
  seed?: string;
  includeTests?: boolean;
  allFiles?: boolean;
  cacheDir?: string;
  cache: boolean;
  workers?: string;
  language?: LanguageFamily;
}

export const repoMapCommand = () =>
  new Command("repo-map")
    .description("Print the tree-sitter map of a repository: classes, methods and functions of every .py file")
    .requiredOption("--repo <path>", "a git repository (work tree or bare)")
    .option("--commit <sha>", "map this commit (default: the work tree as on disk; HEAD for a bare repo)")
    .addOption(new Option("--format <format>", "output").choices(["agentless", "json", "tree"]).default("json"))
    .option("--with-text", "agentless: include the text arrays (file and definition lines)")
    .addOption(new Option("--indent <n>", "tree: spaces per level").choices(["2", "4"]).default("4"))
    .option("--seed <n>", "tree: shuffle each directory's entries with this seed")
    .option("--include-tests", 'tree: keep files and dirs whose name starts with "test"')
    .option("--all-files", "tree: list non-.py files too")
    .option("--cache-dir <dir>", "map cache (default $SWERL_HOME/repomap or ~/.cache/swerl/repomap)")
    .option("--no-cache", "parse every file, read and write no cache")
    .option("--workers <n>", "parser threads (0: parse on the main thread)")
    .addOption(
      new Option(
        "--language <family>",
        "map the source files of this language family instead of .py files (cached like Python maps); tree: its listing rules (docs/languages.md)",
      ).choices(LANGUAGE_FAMILIES),
    )
    .action(async (flags: RepoMapFlags) => {
      const opts: MapOptions = {
        cacheDir: flags.cache ? flags.cacheDir : false,
        ...(flags.language ? { language: flags.language } : {}),
      };
      if (flags.workers !== undefined) opts.workers = wholeNumber("--workers", flags.workers);
      const seed = flags.seed === undefined ? undefined : wholeNumber("--seed", flags.seed);
      const map = await buildMap(flags.repo, flags.commit, opts);
      const s = map.stats;
      log.info(
        `repo-map: ${flags.language ? `${s.code_files} ${flags.language}` : `${s.py_files} .py`} of ${s.files} files; ${s.cache_hits} from cache, ${s.parsed} parsed` +
          ` (${s.workers} worker${s.workers === 1 ? "" : "s"}${s.workers > 0 && s.parsed_here ? ` + this thread: ${s.parsed_here} files` : ""}) in ${s.ms.total} ms`,
      );
      if (flags.format === "tree" && flags.language) {
        const { renderCodeListing } = await import("./code-render.js");
        process.stdout.write(
          renderCodeListing(map, {
            family: flags.language,
            indent: Number(flags.indent),
            shuffle: seed,
            tests: flags.includeTests,
          }),
        );
      } else if (flags.format === "tree") {
        const { renderStructure } = await import("./render.js");
        process.stdout.write(
          renderStructure(map, {
            indent: Number(flags.indent),
            shuffle: seed,
            excludeTests: !flags.includeTests,
            pyOnly: !flags.allFiles,
          }),
        );
      } else if (flags.format === "agentless") {
        const { toAgentlessStructure } = await import("./structure.js");
        const texts = flags.withText ? await readTexts(flags.repo, map) : undefined;
        process.stdout.write(JSON.stringify(toAgentlessStructure(map, texts)) + "\n");
      } else {
        process.stdout.write(jsonOutput(map));
      }
    });

async function buildMap(repo: string, commit: string | undefined, opts: MapOptions): Promise<RepoMap> {
  const isBare = async (): Promise<boolean> => {
    try {
      return (await git(repo, ["rev-parse", "--is-bare-repository"])).trim() === "true";
    } catch {
      throw new InputError(`--repo ${repo}: not a git repository`);
    }
  };
  if (commit !== undefined) {
    // A commit seen before is mapped from the cache alone: no git process to start.
    return mapCommit(repo, commit, opts).catch(async (err: unknown) => {
      await isBare(); // the clearer error when --repo is no repository
      throw err;
    });
  }
  return (await isBare()) ? mapCommit(repo, "HEAD", opts) : mapWorkTree(repo, opts);
}

async function readTexts(repo: string, map: RepoMap): Promise<Map<string, string>> {
  const py = map.files.filter((f) => f.py ?? f.code);
  const texts = new Map<string, string>();
  if (map.commit === null) {
    for (const f of py) texts.set(f.path, await readFile(join(repo, f.path), "utf8"));
    return texts;
  }
  const byBlob = new Map<string, string>();
  await readBlobs(repo, [...new Set(py.map((f) => f.blob))], (blob, data) => byBlob.set(blob, data.toString("utf8")));
  for (const f of py) texts.set(f.path, byBlob.get(f.blob)!);
  return texts;
}

/**
 * `{commit, files: [{path, blob, ...map}], other_files, stats}` as one line, written into one
 * Buffer (joining 3 MB of strings and encoding the result took a warm map of sympy 15 ms more).
 * A map held as JSON text (lazy-file.ts) goes in as that text: the same bytes as stringifying
 * the spread object.
 */
function jsonOutput(map: RepoMap): Buffer {
  const parts = [`{"commit":${JSON.stringify(map.commit)},"files":[`];
  const others: string[] = [];
  let first = true;
  for (const f of map.files) {
    const json = mapJson(f);
    const sep = first ? "" : ",";
    if (json !== undefined && json.length > 2) {
      parts.push(`${sep}{"path":${JSON.stringify(f.path)},"blob":${JSON.stringify(f.blob)},`, json.slice(1));
    } else {
      const defs = f.py ?? f.code;
      if (!defs) {
        others.push(f.path);
        continue;
      }
      parts.push(sep + JSON.stringify({ path: f.path, blob: f.blob, ...defs }));
    }
    first = false;
  }
  parts.push(`],"other_files":${JSON.stringify(others)},"stats":${JSON.stringify(map.stats)}}\n`);
  let bytes = 0;
  for (const p of parts) bytes += Buffer.byteLength(p);
  const out = Buffer.allocUnsafe(bytes);
  let at = 0;
  for (const p of parts) at += out.write(p, at);
  return out;
}

function wholeNumber(flag: string, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n))
    throw new InputError(`${flag} must be a whole number (got "${value}")`);
  return n;
}
