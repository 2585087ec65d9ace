// scikit-learn/scikit-learn: built in place without build isolation (cython extensions).
import { forVersions, TEST_PYTEST, type RepoSpecs } from "./types.js";

const INSTALL = "python -m pip install -v --no-use-pep517 --no-build-isolation -e .";

export const SCIKIT_LEARN: RepoSpecs = {
  logParser: "parse_log_scikit",
  versions: {
    ...forVersions(["0.20", "0.21", "0.22"], () => ({
      python: "3.6",
      packages: "numpy scipy cython pytest pandas matplotlib",
      install: INSTALL,
      pipPackages: ["cython", "numpy==1.19.2", "setuptools", "scipy==1.5.2"],
      testCmd: TEST_PYTEST,
    })),
    ...forVersions(["1.3", "1.4", "1.5", "1.6"], () => ({
      python: "3.9",
      packages:
        "'numpy==1.19.2' 'scipy==1.5.2' 'cython==3.0.10' pytest 'pandas<2.0.0' 'matplotlib<3.9.0' setuptools pytest joblib threadpoolctl",
      install: INSTALL,
      pipPackages: ["cython", "setuptools", "numpy", "scipy"],
      testCmd: TEST_PYTEST,
    })),
  },
};
