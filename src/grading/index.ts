// The grading API other stages use: parse a test log, grade an instance, format report.json.
export {
  parseTestLog,
  parserFor,
  resolveParserName,
  PARSERS_BY_NAME,
  PARSER_NAME_BY_REPO,
  type LogParser,
} from "./parsers.js";
export {
  gradeInstance,
  readTestOutput,
  evalTestsReport,
  resolutionStatus,
  parserNameFor,
  formatReportJson,
  testPassed,
  testFailed,
  normalizeNewlines,
  type GradeOptions,
  type InstanceReport,
  type InstanceReportEntry,
  type TestsStatus,
  type TestOutcomes,
} from "./grade.js";
export * from "./status.js";
export { LogParseError } from "./py-text.js";
