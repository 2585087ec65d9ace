// django/django: runtests.py with module-style directives; old versions need a UTF-8 locale.
import { forVersions, TEST_DJANGO, TEST_DJANGO_NO_PARALLEL, type RepoSpecs } from "./types.js";

const legacy = forVersions(["1.7", "1.8", "1.9", "1.10", "1.11", "2.0", "2.1", "2.2"], (v) => ({
  python: "3.5",
  packages: "requirements.txt",
  preInstall: [
    "apt-get update && apt-get install -y locales",
    "echo 'en_US UTF-8' > /etc/locale.gen",
    "locale-gen en_US.UTF-8",
  ],
  install: "python setup.py install",
  pipPackages: ["setuptools"],
  evalCommands: [
    "export LANG=en_US.UTF-8",
    "export LC_ALL=en_US.UTF-8",
    "export PYTHONIOENCODING=utf8",
    "export LANGUAGE=en_US:en",
  ],
  // The harness runs 1.9 without --settings/--parallel.
  testCmd: v === "1.9" ? TEST_DJANGO_NO_PARALLEL : TEST_DJANGO,
}));

const ancient = forVersions(["1.4", "1.5", "1.6"], () => ({
  python: "3.5",
  install: "python setup.py install",
  testCmd: TEST_DJANGO,
}));

const v3 = forVersions(["3.0", "3.1", "3.2"], () => ({
  python: "3.6",
  packages: "requirements.txt",
  install: "python -m pip install -e .",
  evalCommands: [
    "sed -i '/en_US.UTF-8/s/^# //g' /etc/locale.gen && locale-gen",
    "export LANG=en_US.UTF-8",
    "export LANGUAGE=en_US:en",
    "export LC_ALL=en_US.UTF-8",
  ],
  testCmd: TEST_DJANGO,
}));

const modern = (python: string) => () => ({
  python,
  packages: "requirements.txt",
  install: "python -m pip install -e .",
  testCmd: TEST_DJANGO,
});

export const DJANGO: RepoSpecs = {
  logParser: "parse_log_django",
  versions: {
    ...legacy,
    ...ancient,
    ...v3,
    ...forVersions(["4.0"], modern("3.8")),
    ...forVersions(["4.1", "4.2"], modern("3.9")),
    ...forVersions(["5.0", "5.1", "5.2"], modern("3.11")),
  },
};
