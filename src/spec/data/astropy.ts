// astropy/astropy: pinned test plugins; from 4.1 on setuptools is pinned in pyproject.toml.
import { forVersions, TEST_ASTROPY_PYTEST, TEST_PYTEST, type RepoSpecs, type RepoVersionSpec } from "./types.js";

const INSTALL = "python -m pip install -e .[test] --verbose";
const PIN_SETUPTOOLS = 'sed -i \'s/requires = \\["setuptools",/requires = \\["setuptools==68.0.0",/\' pyproject.toml';

const modern = (version: string): RepoVersionSpec => ({
  python: version === "v5.3" ? "3.10" : "3.9",
  install: INSTALL,
  ...(["3.0", "3.1", "3.2"].includes(version) ? {} : { preInstall: [PIN_SETUPTOOLS] }),
  pipPackages: [
    "attrs==23.1.0",
    "exceptiongroup==1.1.3",
    "execnet==2.0.2",
    "hypothesis==6.82.6",
    "iniconfig==2.0.0",
    "numpy==1.25.2",
    "packaging==23.1",
    "pluggy==1.3.0",
    "psutil==5.9.5",
    "pyerfa==2.0.0.3",
    "pytest-arraydiff==0.5.0",
    "pytest-astropy-header==0.2.2",
    "pytest-astropy==0.10.0",
    "pytest-cov==4.1.0",
    "pytest-doctestplus==1.0.0",
    "pytest-filter-subpackage==0.1.2",
    "pytest-mock==3.11.1",
    "pytest-openfiles==0.5.0",
    "pytest-remotedata==0.4.0",
    "pytest-xdist==3.3.1",
    "pytest==7.4.0",
    "PyYAML==6.0.1",
    "setuptools==68.0.0",
    "sortedcontainers==2.4.0",
    "tomli==2.0.1",
  ],
  testCmd: TEST_PYTEST,
});

const legacy = (): RepoVersionSpec => ({
  python: "3.6",
  install: INSTALL,
  packages: "setuptools==38.2.4",
  pipPackages: [
    "attrs==17.3.0",
    "exceptiongroup==0.0.0a0",
    "execnet==1.5.0",
    "hypothesis==3.44.2",
    "cython==0.27.3",
    "jinja2==2.10",
    "MarkupSafe==1.0",
    "numpy==1.16.0",
    "packaging==16.8",
    "pluggy==0.6.0",
    "psutil==5.4.2",
    "pyerfa==1.7.0",
    "pytest-arraydiff==0.1",
    "pytest-astropy-header==0.1",
    "pytest-astropy==0.2.1",
    "pytest-cov==2.5.1",
    "pytest-doctestplus==0.1.2",
    "pytest-filter-subpackage==0.1",
    "pytest-forked==0.2",
    "pytest-mock==1.6.3",
    "pytest-openfiles==0.2.0",
    "pytest-remotedata==0.2.0",
    "pytest-xdist==1.20.1",
    "pytest==3.3.1",
    "PyYAML==3.12",
    "sortedcontainers==1.5.9",
    "tomli==0.2.0",
  ],
  testCmd: TEST_ASTROPY_PYTEST,
});

export const ASTROPY: RepoSpecs = {
  logParser: "parse_log_astropy",
  versions: {
    ...forVersions(["3.0", "3.1", "3.2", "4.1", "4.2", "4.3", "5.0", "5.1", "5.2", "v5.3"], modern),
    ...forVersions(["0.1", "0.2", "0.3", "0.4", "1.1", "1.2", "1.3"], legacy),
  },
};
