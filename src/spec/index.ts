// The test-spec generator's public API.
export {
  makeTestSpec,
  instanceImageName,
  UnknownSpecError,
  DEFAULT_NAMESPACE,
  SPEC_RULES,
  type TestSpec,
  type TestSpecOptions,
  type SpecRules,
} from "./test-spec.js";
export { testDirectives, djangoModuleName, NON_TEST_EXTS } from "./directives.js";
export { START_TEST_OUTPUT, END_TEST_OUTPUT } from "./eval-script.js";
export { REPO_SPECS, LOG_PARSER_BASE, lookupSpec, type RepoSpecs, type RepoVersionSpec } from "./data/index.js";
export {
  MULTILINGUAL_REPO_SPECS,
  MULTILINGUAL_SPECS_SOURCE,
  lookupMultilingualSpec,
  type MultilingualRepoSpecs,
  type MultilingualVersionSpec,
} from "./data/multilingual.js";
