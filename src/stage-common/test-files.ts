// Which repository files are Python test files (regress leaves them out of the modules it
// maps to tests; reproduce leaves them out of the examples it shows the model).
export const isTestFile = (path: string): boolean =>
  path.endsWith(".py") && /(^|\/)(tests?|testing)(\/|$)|(^|\/)test_[^/]*\.py$|_tests?\.py$/.test(path);
