// matplotlib/matplotlib: system packages (TeX, ffmpeg) and a qhull source tarball in the image.
import { forVersions, TEST_PYTEST, type RepoSpecs, type RepoVersionSpec } from "./types.js";

const QHULL = [
  'QHULL_URL="http://www.qhull.org/download/qhull-2020-src-8.0.2.tgz"',
  'QHULL_TAR="/tmp/qhull-2020-src-8.0.2.tgz"',
  'QHULL_BUILD_DIR="/testbed/build"',
  'wget -O "$QHULL_TAR" "$QHULL_URL"',
  'mkdir -p "$QHULL_BUILD_DIR"',
  'tar -xvzf "$QHULL_TAR" -C "$QHULL_BUILD_DIR"',
];

const modern = (version: string): RepoVersionSpec => ({
  python: "3.11",
  packages: "environment.yml",
  install: ["3.8", "3.9"].includes(version)
    ? 'python -m pip install --no-build-isolation -e ".[dev]"'
    : "python -m pip install -e .",
  preInstall: [
    "apt-get -y update && apt-get -y upgrade && DEBIAN_FRONTEND=noninteractive apt-get install -y imagemagick ffmpeg texlive texlive-latex-extra texlive-fonts-recommended texlive-xetex texlive-luatex cm-super dvipng",
    ...QHULL,
  ],
  pipPackages: [
    "contourpy==1.1.0",
    "cycler==0.11.0",
    "fonttools==4.42.1",
    "ghostscript",
    "kiwisolver==1.4.5",
    "numpy==1.25.2",
    "packaging==23.1",
    "pillow==10.0.0",
    "pikepdf",
    "pyparsing==3.0.9",
    "python-dateutil==2.8.2",
    "six==1.16.0",
    "setuptools==68.1.2",
    "setuptools-scm==7.1.0",
    "typing-extensions==4.7.1",
  ],
  testCmd: TEST_PYTEST,
});

const v3early = (): RepoVersionSpec => ({
  python: "3.8",
  packages: "requirements.txt",
  install: "python -m pip install -e .",
  preInstall: [
    "apt-get -y update && apt-get -y upgrade && DEBIAN_FRONTEND=noninteractive apt-get install -y imagemagick ffmpeg libfreetype6-dev pkg-config texlive texlive-latex-extra texlive-fonts-recommended texlive-xetex texlive-luatex cm-super",
    ...QHULL,
  ],
  pipPackages: ["pytest", "ipython"],
  testCmd: TEST_PYTEST,
});

const v30 = (): RepoVersionSpec => ({
  python: "3.7",
  packages: "requirements.txt",
  install: "python -m pip install -e .",
  preInstall: [
    "apt-get -y update && apt-get -y upgrade && apt-get install -y imagemagick ffmpeg libfreetype6-dev pkg-config",
    ...QHULL,
  ],
  pipPackages: ["pytest"],
  testCmd: TEST_PYTEST,
});

const legacy = (): RepoVersionSpec => ({
  python: "3.5",
  install: "python setup.py build; python setup.py install",
  // Verbatim from the harness, doubled "&&" included.
  preInstall: ["apt-get -y update && apt-get -y upgrade && && apt-get install -y imagemagick ffmpeg"],
  pipPackages: ["pytest"],
  executeTestAsNonroot: true,
  testCmd: TEST_PYTEST,
});

export const MATPLOTLIB: RepoSpecs = {
  logParser: "parse_log_matplotlib",
  versions: {
    ...forVersions(["3.5", "3.6", "3.7", "3.8", "3.9"], modern),
    ...forVersions(["3.1", "3.2", "3.3", "3.4"], v3early),
    ...forVersions(["3.0"], v30),
    ...forVersions(["2.0", "2.1", "2.2", "1.0", "1.1", "1.2", "1.3", "1.4", "1.5"], legacy),
  },
};
