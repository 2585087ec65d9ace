// The localization prompt: SWE-RL's text exactly, over the listing of a real git repository
// mapped with tree-sitter; greedy and sampled settings; sampled prompts reproducible by seed.
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mapCommit } from "../repomap/build.js";
import type { RepoMap } from "../repomap/types.js";
import {
  buildLocalizationPrompt,
  listingFilters,
  localizationMessages,
  localizationPrompt,
  promptHash,
  promptSettings,
} from "./prompt.js";

let work: string;
let map: RepoMap;

const FILES: Record<string, string> = {
  "setup.py": "from setuptools import setup\nsetup()\n",
  "README.md": "# pkg\n",
  "testing_helpers.py": "def helper():\n    pass\n",
  "docs/conf.py": "project = 'pkg'\n",
  "pkg/__init__.py": "from .core import run\n",
  "pkg/core.py": "class Runner:\n    def run(self):\n        return 1\n\n\ndef run():\n    return Runner().run()\n",
  "pkg/data.json": "{}\n",
  "pkg/sub/util.py": "def util():\n    return 2\n",
  "pkg/tests/test_core.py": "def test_run():\n    assert True\n",
  "tests/test_x.py": "def test_x():\n    pass\n",
};

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "swerl-localize-prompt-"));
  const repo = join(work, "repo");
  for (const [path, text] of Object.entries(FILES)) {
    await mkdir(dirname(join(repo, path)), { recursive: true });
    await writeFile(join(repo, path), text);
  }
  const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, stdio: "pipe" });
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "base");
  map = await mapCommit(repo, "HEAD", { cacheDir: false });
}, 60_000);
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const ISSUE = "Crash in {core}: `pkg.core.run()` fails\n\nSteps: call run() with {n} args.\n";

describe("localization prompt", () => {
  it("is SWE-RL's LOCALIZATION text, filled (the issue as it is) and stripped, over the greedy listing (n=5, indent 4, tests and non-.py left out)", () => {
    const settings = promptSettings({ seed: 7, instanceId: "o__r-1", sample: 0, samples: 1, maxFiles: 5 });
    expect(settings).toEqual({ greedy: true, n: 5, indent: 4, shuffleSeed: null });
    const prompt = buildLocalizationPrompt(map, "owner/pkg", `  ${ISSUE}`, settings);
    expect(
      prompt,
    ).toBe(`Please look through a given GitHub issue and repository structure and provide a list of files that one would need to edit or look at to solve the issue.

### GitHub Problem Description ###
  Crash in {core}: \`pkg.core.run()\` fails

Steps: call run() with {n} args.


###

### Repository Structure ###
setup.py
docs
    conf.py
pkg
    __init__.py
    core.py
    sub
        util.py


###

Only provide the full path and return at most 5 files. The returned files should be separated by new lines ordered by most to least important and wrapped with \`\`\`. For example:

\`\`\`
most/important/file1.xx
less/important/file2.yy
least/important/file3.zz
\`\`\``);
    expect(localizationMessages(prompt)).toEqual([{ role: "user", content: prompt }]);
  });

  it("keeps tests in the listing for pytest-dev/pytest only", () => {
    expect(listingFilters("pytest-dev/pytest")).toEqual({ pyOnly: true, excludeTests: false });
    expect(listingFilters("django/django")).toEqual({ pyOnly: true, excludeTests: true });
    const settings = promptSettings({ seed: 0, instanceId: "x", sample: 0, samples: 1, maxFiles: 5 });
    const pytest = buildLocalizationPrompt(map, "pytest-dev/pytest", ISSUE, settings);
    expect(pytest).toContain("\ntesting_helpers.py\n");
    expect(pytest).toContain("\n    tests\n        test_core.py\n");
    expect(pytest).toContain("\ntests\n    test_x.py\n");
    expect(buildLocalizationPrompt(map, "owner/pkg", ISSUE, settings)).not.toMatch(/test/);
  });

  it("fills fields once: braces in the issue are left alone, n is the sample's", () => {
    expect(localizationPrompt("{structure} and {n}", "a.py\n", 3)).toContain(
      "### GitHub Problem Description ###\n{structure} and {n}\n\n###",
    );
    expect(localizationPrompt("x", "\n  a.py\n\n", 3)).toContain("### Repository Structure ###\na.py\n\n\n###");
    expect(localizationPrompt("x", "a.py", 3)).toContain("return at most 3 files.");
  });

  it("sampled settings: n in 2..5, indent 2 or 4, a shuffle seed; the same seed gives the same prompt, samples differ", () => {
    const draws = Array.from({ length: 200 }, (_, s) =>
      promptSettings({ seed: 11, instanceId: "o__r-1", sample: s, samples: 200, maxFiles: 5 }),
    );
    expect(new Set(draws.map((d) => d.n))).toEqual(new Set([2, 3, 4, 5]));
    expect(new Set(draws.map((d) => d.indent))).toEqual(new Set([2, 4]));
    expect(draws.every((d) => !d.greedy && d.shuffleSeed !== null)).toBe(true);
    const prompts = (seed: number) =>
      Array.from({ length: 8 }, (_, s) =>
        buildLocalizationPrompt(
          map,
          "owner/pkg",
          ISSUE,
          promptSettings({ seed, instanceId: "o__r-1", sample: s, samples: 8, maxFiles: 5 }),
        ),
      );
    const a = prompts(11);
    expect(prompts(11)).toEqual(a);
    expect(new Set(a).size).toBeGreaterThan(4);
    expect(prompts(12)).not.toEqual(a);
    // another instance with the same seed draws differently
    const other = Array.from({ length: 8 }, (_, s) =>
      promptSettings({ seed: 11, instanceId: "o__r-2", sample: s, samples: 8, maxFiles: 5 }),
    );
    expect(other).not.toEqual(draws.slice(0, 8));
  });

  it("a shuffled listing holds the same entries under the same parents, in more than one order", () => {
    const greedy = buildLocalizationPrompt(map, "owner/pkg", ISSUE, {
      greedy: true,
      n: 5,
      indent: 2,
      shuffleSeed: null,
    });
    const entries = (prompt: string) => {
      const listing = prompt.split("### Repository Structure ###\n")[1]!.split("\n\n\n###")[0]!.split("\n");
      const path: string[] = [];
      return listing
        .map((line) => {
          const depth = (line.length - line.trimStart().length) / 2;
          path.length = depth;
          path.push(line.trim());
          return path.join("/");
        })
        .sort();
    };
    const orders = new Set<string>();
    for (let seed = 0; seed < 20; seed++) {
      const shuffled = buildLocalizationPrompt(map, "owner/pkg", ISSUE, {
        greedy: false,
        n: 5,
        indent: 2,
        shuffleSeed: seed,
      });
      expect(entries(shuffled)).toEqual(entries(greedy));
      orders.add(shuffled);
    }
    expect(orders.size).toBeGreaterThan(3);
  });

  it("prompt hashes differ with the prompt and not otherwise", () => {
    const m1 = localizationMessages("a"),
      m2 = localizationMessages("b");
    expect(promptHash(m1)).toBe(promptHash(localizationMessages("a")));
    expect(promptHash(m1)).not.toBe(promptHash(m2));
    expect(promptHash(m1)).toMatch(/^[0-9a-f]{64}$/);
  });
});
