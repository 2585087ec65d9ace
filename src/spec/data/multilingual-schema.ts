// The shape of multilingual-specs.json (and of the multilingual demo's specs): see multilingual.ts.
import { z } from "zod";

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

export const repoSpecsSchema = z.strictObject({
  /** The harness's constants module the repo is listed in ("c" covers C++ too). */
  language: z.enum(MULTILINGUAL_LANGUAGES),
  /** Name of the harness log parser, e.g. "parse_log_gotest". */
  logParser: z.string().regex(/^parse_log_\w+$/),
  versions: z.record(z.string(), versionSpecSchema),
});

export const fileSchema = z.strictObject({
  source: z.string(),
  repos: z.record(z.string().regex(/^[^/\s]+\/[^/\s]+$/), repoSpecsSchema),
});

export type MultilingualVersionSpec = z.infer<typeof versionSpecSchema>;
export type MultilingualRepoSpecs = z.infer<typeof repoSpecsSchema>;
