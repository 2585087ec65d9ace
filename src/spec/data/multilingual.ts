// The SWE-bench harness's specs for the 41 repos of SWE-bench Multilingual (C, C++, Go, Java,
// JavaScript/TypeScript, PHP, Ruby, Rust), kept as data: multilingual-specs.json holds the
// values of v4.1.0's MAP_REPO_VERSION_TO_SPECS_{C,GO,JAVA,JS,PHP,RUBY,RUST} and
// MAP_REPO_TO_PARSER_* for these repos, extracted once from the harness (the published
// eval_script column was built from these values: later harness releases changed some Java
// and Rust test commands, e.g. dropped mvnd's `-T 1C`, and the published scripts keep them).
// A "version" here is one pull request: every instance has its own spec, and the test command
// is fixed per instance (no test directives are derived from the test patch).
import type { z } from "zod";
import {
  fileSchema,
  type MultilingualLanguage,
  type MultilingualRepoSpecs,
  type MultilingualVersionSpec,
} from "./multilingual-schema.js";
import specsJson from "./multilingual-specs.json" with { type: "json" };
import { DEMO_MULTILINGUAL_REPO_SPECS } from "./demo-multilingual.js";

export {
  MULTILINGUAL_LANGUAGES,
  type MultilingualLanguage,
  type MultilingualRepoSpecs,
  type MultilingualVersionSpec,
} from "./multilingual-schema.js";

/** Parsed once: a malformed data file fails at import, naming the field. */
function parseSpecsFile(raw: unknown): z.infer<typeof fileSchema> {
  const result = fileSchema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new Error(`multilingual-specs.json: ${issue.path.join(".")} ${issue.message}`);
}

const parsed = parseSpecsFile(specsJson);

/** Where the values come from (the harness release and files). */
export const MULTILINGUAL_SPECS_SOURCE: string = parsed.source;

export const MULTILINGUAL_REPO_SPECS: Readonly<Record<string, MultilingualRepoSpecs>> = parsed.repos;

/** The spec of a Multilingual repo (or a multilingual demo repo) at version, or undefined when either is unknown. */
export function lookupMultilingualSpec(
  repo: string,
  version: string,
): { spec: MultilingualVersionSpec; logParser: string; language: MultilingualLanguage } | undefined {
  const repoSpecs = Object.hasOwn(MULTILINGUAL_REPO_SPECS, repo)
    ? MULTILINGUAL_REPO_SPECS[repo]
    : Object.hasOwn(DEMO_MULTILINGUAL_REPO_SPECS, repo)
      ? DEMO_MULTILINGUAL_REPO_SPECS[repo]
      : undefined;
  if (!repoSpecs || !Object.hasOwn(repoSpecs.versions, version)) return undefined;
  return { spec: repoSpecs.versions[version]!, logParser: repoSpecs.logParser, language: repoSpecs.language };
}
