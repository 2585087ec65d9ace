// The SWE-bench harness's specs for the 41 repos of SWE-bench Multilingual (C, C++, Go, Java,
// JavaScript/TypeScript, PHP, Ruby, Rust), kept as data: multilingual-specs.json holds the
// values of v4.1.0's MAP_REPO_VERSION_TO_SPECS_{C,GO,JAVA,JS,PHP,RUBY,RUST} and
// MAP_REPO_TO_PARSER_* for these repos, extracted once from the harness (the published
// eval_script column was built from these values: later harness releases changed some Java
// and Rust test commands, e.g. dropped mvnd's `-T 1C`, and the published scripts keep them).
// A "version" here is one pull request: every instance has its own spec, and the test command
// is fixed per instance (no test directives are derived from the test patch).
import { z } from "zod";
import specsJson from "./multilingual-specs.json" with { type: "json" };
import { DEMO_MULTILINGUAL_REPO_SPECS } from "./demo-multilingual.js";

const commandList = z.array(z.string().min(1));

const versionSpecSchema = z.strictObject({
  /** Run one after another between the markers (the published scripts chain them with &&). */
  test_cmd: commandList.min(1),
  /** Run after the test patch is applied, before the start marker (e.g. a rebuild). */
  build: commandList.optional(),
  /** Image-build steps (not in the eval script). */
  install: commandList.optional(),
  pre_install: commandList.optional(),
  /** Toolchain versions of the image, e.g. {"go_version": "1.23.8"}. */
  docker_specs: z.record(z.string(), z.string()).optional(),
});

export const MULTILINGUAL_LANGUAGES = ["c", "go", "java", "javascript", "php", "ruby", "rust"] as const;
export type MultilingualLanguage = (typeof MULTILINGUAL_LANGUAGES)[number];

const repoSpecsSchema = z.strictObject({
  /** The harness's constants module the repo is listed in ("c" covers C++ too). */
  language: z.enum(MULTILINGUAL_LANGUAGES),
  /** Name of the harness log parser, e.g. "parse_log_gotest". */
  logParser: z.string().regex(/^parse_log_\w+$/),
  versions: z.record(z.string(), versionSpecSchema),
});

const fileSchema = z.strictObject({ source: z.string(), repos: z.record(z.string().regex(/^[^/\s]+\/[^/\s]+$/), repoSpecsSchema) });

export type MultilingualVersionSpec = z.infer<typeof versionSpecSchema>;
export type MultilingualRepoSpecs = z.infer<typeof repoSpecsSchema>;

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
  const repoSpecs = Object.hasOwn(MULTILINGUAL_REPO_SPECS, repo) ? MULTILINGUAL_REPO_SPECS[repo]
    : Object.hasOwn(DEMO_MULTILINGUAL_REPO_SPECS, repo) ? DEMO_MULTILINGUAL_REPO_SPECS[repo] : undefined;
  if (!repoSpecs || !Object.hasOwn(repoSpecs.versions, version)) return undefined;
  return { spec: repoSpecs.versions[version]!, logParser: repoSpecs.logParser, language: repoSpecs.language };
}
