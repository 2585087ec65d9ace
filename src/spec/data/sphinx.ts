// sphinx-doc/sphinx: tox in the current env; older versions pin the dependencies that later
// releases broke (Jinja2, the sphinxcontrib-* helpers, alabaster, markupsafe).
import { forVersions, TEST_SPHINX, type RepoSpecs, type RepoVersionSpec } from "./types.js";

const VERSIONS = [
  "1.5",
  "1.6",
  "1.7",
  "1.8",
  "2.0",
  "2.1",
  "2.2",
  "2.3",
  "2.4",
  "3.0",
  "3.1",
  "3.2",
  "3.3",
  "3.4",
  "3.5",
  "4.0",
  "4.1",
  "4.2",
  "4.3",
  "4.4",
  "4.5",
  "5.0",
  "5.1",
  "5.2",
  "5.3",
  "6.0",
  "6.2",
  "7.0",
  "7.1",
  "7.2",
  "7.3",
  "7.4",
  "8.0",
  "8.1",
];

const PINNED = ["3.0", "3.1", "3.2", "3.3", "3.4", "3.5", "4.0", "4.1", "4.2", "4.3", "4.4"];

const BASE_PINS = [
  "sed -i 's/Jinja2>=2.3/Jinja2<3.0/' setup.py",
  "sed -i 's/sphinxcontrib-applehelp/sphinxcontrib-applehelp<=1.0.7/' setup.py",
  "sed -i 's/sphinxcontrib-devhelp/sphinxcontrib-devhelp<=1.0.5/' setup.py",
  "sed -i 's/sphinxcontrib-qthelp/sphinxcontrib-qthelp<=1.0.6/' setup.py",
  "sed -i 's/alabaster>=0.7,<0.8/alabaster>=0.7,<0.7.12/' setup.py",
  "sed -i \"s/'packaging',/'packaging', 'markupsafe<=2.0.1',/\" setup.py",
];

function helperPins(version: string): string[] {
  if (["4.2", "4.3", "4.4"].includes(version)) {
    return [
      "sed -i 's/sphinxcontrib-htmlhelp>=2.0.0/sphinxcontrib-htmlhelp>=2.0.0,<=2.0.4/' setup.py",
      "sed -i 's/sphinxcontrib-serializinghtml>=1.1.5/sphinxcontrib-serializinghtml>=1.1.5,<=1.1.9/' setup.py",
    ];
  }
  if (version === "4.1") {
    // 4.1 setup.py files differ by commit: pin with the ">=" form when it is there.
    return [
      "grep -q 'sphinxcontrib-htmlhelp>=2.0.0' setup.py && " +
        "sed -i 's/sphinxcontrib-htmlhelp>=2.0.0/sphinxcontrib-htmlhelp>=2.0.0,<=2.0.4/' setup.py || " +
        "sed -i 's/sphinxcontrib-htmlhelp/sphinxcontrib-htmlhelp<=2.0.4/' setup.py",
      "grep -q 'sphinxcontrib-serializinghtml>=1.1.5' setup.py && " +
        "sed -i 's/sphinxcontrib-serializinghtml>=1.1.5/sphinxcontrib-serializinghtml>=1.1.5,<=1.1.9/' setup.py || " +
        "sed -i 's/sphinxcontrib-serializinghtml/sphinxcontrib-serializinghtml<=1.1.9/' setup.py",
    ];
  }
  return [
    "sed -i 's/sphinxcontrib-htmlhelp/sphinxcontrib-htmlhelp<=2.0.4/' setup.py",
    "sed -i 's/sphinxcontrib-serializinghtml/sphinxcontrib-serializinghtml<=1.1.9/' setup.py",
  ];
}

function sphinxSpec(version: string): RepoVersionSpec {
  const preInstall = ["sed -i 's/pytest/pytest -rA/' tox.ini"];
  if (PINNED.includes(version)) preInstall.push(...BASE_PINS, ...helperPins(version));
  if (["7.2", "7.3", "7.4", "8.0", "8.1"].includes(version)) {
    preInstall.push("apt-get update && apt-get install -y graphviz");
  }
  return {
    python: ["8.0", "8.1"].includes(version) ? "3.10" : "3.9",
    pipPackages: ["tox==4.16.0", "tox-current-env==0.0.11", "Jinja2==3.0.3"],
    install: "python -m pip install -e .[test]",
    preInstall,
    testCmd: TEST_SPHINX,
  };
}

export const SPHINX: RepoSpecs = { logParser: "parse_log_sphinx", versions: forVersions(VERSIONS, sphinxSpec) };
