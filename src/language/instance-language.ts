// Which language an instance's repository is written in, for the stages that depend on it
// (repo map, listing, repair prompt and syntax check, vote normalization, reproduction tests).
// In order: the harness spec tables (a SWE-bench Multilingual repo names its harness module;
// a known Python repo is Python), then the repository's own files (the family with the most
// source files; Python on a tie or when there is none), so a repo no table knows (a fixture,
// a new benchmark) still gets its language. Python instances keep every Python behaviour.
import type { Instance } from "../dataset/schema.js";
import { lookupSpec, REPO_SPECS } from "../spec/data/index.js";
import {
  lookupMultilingualSpec,
  MULTILINGUAL_REPO_SPECS,
  type MultilingualLanguage,
} from "../spec/data/multilingual.js";
import { languageOfPath, type CodeLanguage, type LanguageFamily } from "../treesitter/languages.js";

export type InstanceLanguage = "python" | LanguageFamily;

// The harness's module → our family; "c" and "javascript" cover two families each (below).
const FAMILY_OF_MODULE: Record<MultilingualLanguage, LanguageFamily> = {
  c: "c",
  go: "go",
  java: "java",
  javascript: "js",
  php: "php",
  ruby: "ruby",
  rust: "rust",
};

// Repos whose harness module is "c" but are C++, or "javascript" but written in TypeScript.
const FAMILY_OVERRIDES: Readonly<Record<string, LanguageFamily>> = {
  "fmtlib/fmt": "cpp",
  "nlohmann/json": "cpp",
  "vuejs/core": "ts",
  "facebook/docusaurus": "ts",
};

const FAMILY_OF_LANGUAGE: Record<CodeLanguage, LanguageFamily> = {
  c: "c",
  cpp: "cpp",
  go: "go",
  java: "java",
  javascript: "js",
  typescript: "ts",
  tsx: "ts",
  php: "php",
  ruby: "ruby",
  rust: "rust",
};

/** The language the spec tables give the instance's repo, or undefined when no table knows it. */
export function specLanguage(inst: Pick<Instance, "repo" | "version">): InstanceLanguage | undefined {
  const ml =
    lookupMultilingualSpec(inst.repo, inst.version)?.language ??
    (Object.hasOwn(MULTILINGUAL_REPO_SPECS, inst.repo) ? MULTILINGUAL_REPO_SPECS[inst.repo]!.language : undefined);
  if (ml) return FAMILY_OVERRIDES[inst.repo] ?? FAMILY_OF_MODULE[ml];
  if (Object.hasOwn(REPO_SPECS, inst.repo) || lookupSpec(inst.repo, inst.version)) return "python";
  return undefined;
}

/**
 * The language most of these files are written in: Python files against each family's source
 * files (a C++ file counts for cpp, a .h file for c). Python wins a tie, and a tree with no
 * source file at all is Python (what the stages assumed before other languages existed).
 */
export function detectLanguage(paths: Iterable<string>): InstanceLanguage {
  const counts = new Map<InstanceLanguage, number>();
  for (const p of paths) {
    const lang: InstanceLanguage | undefined = p.endsWith(".py")
      ? "python"
      : (() => {
          const code = languageOfPath(p);
          return code ? FAMILY_OF_LANGUAGE[code] : undefined;
        })();
    if (lang) counts.set(lang, (counts.get(lang) ?? 0) + 1);
  }
  // C headers count for C++ when the repo has C++ sources.
  if ((counts.get("cpp") ?? 0) > 0 && counts.has("c")) {
    counts.set("cpp", counts.get("cpp")! + counts.get("c")!);
    counts.delete("c");
  }
  let best: InstanceLanguage = "python";
  let bestCount = counts.get("python") ?? 0;
  for (const [lang, n] of counts)
    if (n > bestCount) {
      best = lang;
      bestCount = n;
    }
  return best;
}

/** The instance's language: the spec tables' when they know the repo, else its files'. */
export function instanceLanguage(inst: Pick<Instance, "repo" | "version">, paths: Iterable<string>): InstanceLanguage {
  return specLanguage(inst) ?? detectLanguage(paths);
}

export const isCodeLanguage = (lang: InstanceLanguage): lang is LanguageFamily => lang !== "python";

/** The instance's language, reading the repository's files at base_commit only when no spec table knows the repo. */
export async function repoLanguage(
  inst: Pick<Instance, "repo" | "version" | "base_commit">,
  gitDir: string | undefined,
): Promise<InstanceLanguage> {
  const known = specLanguage(inst);
  if (known || !gitDir) return known ?? "python";
  const { listFilesAtCommit } = await import("../repo/files.js");
  return detectLanguage((await listFilesAtCommit(gitDir, inst.base_commit)).keys());
}
