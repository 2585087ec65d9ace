// Repo maps of real git repositories: per-blob cache, worker threads, work trees, Agentless's
// structure, SWE-RL's listing, and the `swerl repo-map` command.
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { runCli } from "../../test/helpers/cli.js";
import { git } from "../git/git.js";
import { addCommit, makeFixtureRepo } from "../../test/support/fixture-repo.js";
import { RepoStore } from "../repo/store.js";
import { mapCommit, mapWorkTree } from "./build.js";
import { closeMapCaches } from "./cache.js";
import { repoMapCommand } from "./command.js";
import {
  BROKEN_MAP,
  BROKEN_PY,
  SHAPES_MAP,
  SHAPES_PY,
  UNCLOSED_MAP,
  UNCLOSED_PY,
} from "../../test/support/repomap/fixture-python.js";
import { INLINE_PARSE_BYTES, ParsePool, parsedMap } from "./pool.js";
import { renderStructure, structureFiles } from "./render.js";
import { toAgentlessStructure, type AgentlessPyFile } from "./structure.js";
import type { RepoMap } from "./types.js";

const FILES: Record<string, string> = {
  Makefile: "all:\n",
  "README.md": "# widget\n",
  "setup.py": "from setuptools import setup\nsetup()\n",
  "pkg/__init__.py": "",
  "pkg/shapes.py": SHAPES_PY,
  "pkg/broken.py": BROKEN_PY,
  "pkg/unclosed.py": UNCLOSED_PY,
  "pkg/data.json": "{}\n",
  "pkg/testing/helpers.py": "def helper():\n    pass\n",
  "pkg/util/__init__.py": "",
  "pkg/util/test_util.py": "def test_u():\n    pass\n",
  "tests/test_shapes.py": "def test_area():\n    pass\n",
  "tests/conftest.py": "import pytest\n",
  "onlytests/test_a.py": "def test_a():\n    pass\n",
  "docs/conf.py": "project = 'widget'\n",
  "docs/index.rst": "Widget\n",
  ".github/scripts/bump.py": "def bump():\n    pass\n",
};

// SWE-RL's listing of FILES: tests and non-.py files out, no "/" after directories, .github
// hidden by the "." rule, onlytests kept though empty (tests are dropped after the pruning).
const TREE_4 = `setup.py
docs
    conf.py
onlytests
pkg
    __init__.py
    broken.py
    shapes.py
    unclosed.py
    util
        __init__.py
`;

let tmp: string;
let source: string;
let first: string;
let second: string;
let cold: RepoMap;
let warm: RepoMap;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "swerl-repomap-"));
  source = join(tmp, "widget");
  [first] = await makeFixtureRepo(source, [FILES]);
  second = await addCommit(
    source,
    {
      "pkg/broken.py": BROKEN_PY.replace("def broken(self)", "def broken(self):"),
      "pkg/new.py": "class New:\n    async def go(self):\n        pass\n",
      "pkg/unclosed.py": null,
    },
    "fix broken, add new, drop unclosed",
    1,
  );
  const cacheDir = join(tmp, "cache");
  cold = await mapCommit(source, first!, { cacheDir });
  warm = await mapCommit(source, second, { cacheDir });
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const pyOf = (map: RepoMap, path: string) => map.files.find((f) => f.path === path)?.py;

describe("mapCommit", () => {
  it("maps every .py file of the commit and lists the other files", () => {
    expect(cold.commit).toBe(first);
    expect(cold.files.map((f) => f.path)).toEqual(Object.keys(FILES).sort());
    expect(pyOf(cold, "pkg/shapes.py")).toEqual(SHAPES_MAP);
    expect(pyOf(cold, "pkg/broken.py")).toEqual(BROKEN_MAP);
    expect(pyOf(cold, "pkg/unclosed.py")).toEqual(UNCLOSED_MAP);
    expect(pyOf(cold, "pkg/__init__.py")).toEqual({ classes: [], functions: [], syntax_error: false });
    expect(cold.files.find((f) => f.path === "README.md")!.py).toBeUndefined();
    // 13 .py files, two of them the same empty blob: 12 parses
    expect(cold.stats).toMatchObject({ files: 17, py_files: 13, cache_hits: 0, parsed: 12 });
  });

  it("parses only the blobs a second commit changed", () => {
    expect(warm.stats).toMatchObject({ py_files: 13, cache_hits: 10, parsed: 2 });
    expect(pyOf(warm, "pkg/broken.py")!.functions.map((f) => f.name)).toEqual(["broken", "after"]);
    expect(pyOf(warm, "pkg/new.py")).toEqual({
      classes: [{ name: "New", start_line: 1, end_line: 3, methods: [{ name: "go", start_line: 2, end_line: 3 }] }],
      functions: [],
      syntax_error: false,
    });
    expect(pyOf(warm, "pkg/shapes.py")).toEqual(SHAPES_MAP); // from the cache
  });

  it("stores the maps in one SQLite database per format (a few files, not one per blob), read back by a new connection", async () => {
    const dir = join(tmp, "cache-sqlite");
    const map = await mapCommit(source, first!, { cacheDir: dir });
    expect(map.stats).toMatchObject({ cache_hits: 0, parsed: 12 });
    closeMapCaches(); // as a new process would, reopen the database
    const files = await readdir(dir);
    expect(files.length).toBeLessThanOrEqual(3); // the database, and its -wal and -shm while open
    expect(files.filter((f) => f.endsWith(".sqlite"))).toHaveLength(1);
    const again = await mapCommit(source, first!, { cacheDir: dir });
    expect(again.stats).toMatchObject({ cache_hits: 12, parsed: 0 });
    expect(again.files).toEqual(map.files);
    // The commit's listing is cached too: a warm map of it reads no git (here: none to read).
    const gitless = await mapCommit(join(tmp, "no-such-repo"), first!, { cacheDir: dir });
    expect(gitless.files).toEqual(map.files);
    closeMapCaches();
  });

  it("processes sharing one cache: three CLI runs at once all succeed, and the maps are stored once for all", async () => {
    const dir = join(tmp, "cache-shared");
    const args = ["repo-map", "--repo", source, "--commit", first!, "--cache-dir", dir];
    const runs = await Promise.all([0, 1, 2].map(() => runCli(args)));
    for (const r of runs) {
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).not.toContain("repo-map cache:"); // no write lost to another process
    }
    expect(new Set(runs.map((r) => JSON.stringify(JSON.parse(r.stdout).files))).size).toBe(1);
    const after = await runCli(args);
    expect(JSON.parse(after.stdout).stats).toMatchObject({ cache_hits: 12, parsed: 0 });
  });

  it("a damaged cache database is set aside, not an error: every blob is parsed, the map is the same", async () => {
    const dir = join(tmp, "cache-damaged");
    await mkdir(dir, { recursive: true });
    const cold2 = await mapCommit(source, first!, { cacheDir: dir });
    closeMapCaches();
    const [db] = (await readdir(dir)).filter((f) => f.endsWith(".sqlite"));
    await rm(join(dir, `${db}-wal`), { force: true });
    await rm(join(dir, `${db}-shm`), { force: true });
    await writeFile(join(dir, db!), "not a database ".repeat(1000));
    const map = await mapCommit(source, first!, { cacheDir: dir });
    expect(map.stats).toMatchObject({ cache_hits: 0, parsed: 12 });
    expect(map.files).toEqual(cold2.files);
    closeMapCaches();
    // The damaged file was set aside and a new database holds the maps parsed since.
    expect((await readdir(dir)).some((f) => f.includes(".damaged-"))).toBe(true);
    expect((await mapCommit(source, first!, { cacheDir: dir })).stats).toMatchObject({ cache_hits: 12, parsed: 0 });
    closeMapCaches();
  });

  it("closes a pool whose workers are still starting without aborting the process (30 rounds)", async () => {
    // terminate() during tree-sitter's load aborted the process ("Napi::Error") 1 run in 3 of 50 rounds.
    for (let round = 0; round < 30; round++) {
      const pool = await ParsePool.create(2, "skeleton");
      expect(parsedMap(await pool.parse(Buffer.from("def f():\n    pass\n"))).functions.map((f) => f.name)).toEqual([
        "f",
      ]);
      await pool.close();
      await expect(pool.parse(Buffer.from("x = 1\n"))).rejects.toThrow(/closed/);
    }
  }, 600_000); // each round starts two workers loading tree-sitter: 0.3 s in CI, 3.2 s at load 11

  it("gives the same map from worker threads, with no cache", async () => {
    const pool = await ParsePool.create(2, "skeleton");
    try {
      const threaded = await mapCommit(source, first!, { cacheDir: false, pool });
      expect(threaded.stats).toMatchObject({ cache_hits: 0, parsed: 12, workers: 2 });
      expect(threaded.files).toEqual(cold.files);
    } finally {
      await pool.close();
    }
  });

  it("maps a commit of a repo materialized by RepoStore, and names a missing commit", async () => {
    const store = new RepoStore({ root: join(tmp, "repos"), repoSources: { "acme/widget": source } });
    const gitDir = await store.gitDir("acme/widget", second);
    const map = await mapCommit(gitDir, second, { cacheDir: false, workers: 0 });
    expect(map.files).toEqual(warm.files);
    await expect(mapCommit(gitDir, "0".repeat(40), { cacheDir: false })).rejects.toThrow(/commit "0{40}" not found/);
    await store.close();
  });

  it("reads blobs larger than a pipe chunk whole, on worker threads", async () => {
    const big = join(tmp, "big");
    const defs = Array.from({ length: 6000 }, (_, i) => `def f${i}(x):\n    return x + ${i}  # ${"pad ".repeat(8)}\n`);
    const [sha] = await makeFixtureRepo(big, [{ "big.py": defs.join("\n"), "small.py": "class S:\n    pass\n" }]);
    const pool = await ParsePool.create(2, "skeleton");
    try {
      const map = await mapCommit(big, sha!, { cacheDir: join(tmp, "big-cache"), pool });
      const fns = pyOf(map, "big.py")!.functions;
      expect(defs.join("\n").length).toBeGreaterThan(300_000);
      expect(fns).toHaveLength(6000);
      expect(fns[5999]).toEqual({ name: "f5999", start_line: 5999 * 3 + 1, end_line: 5999 * 3 + 2 });
      expect(pyOf(map, "small.py")!.classes[0]!.name).toBe("S");
      const again = await mapCommit(big, sha!, { cacheDir: join(tmp, "big-cache"), pool }); // written by the workers
      expect(again.stats).toMatchObject({ cache_hits: 2, parsed: 0 });
      expect(again.files).toEqual(map.files);
    } finally {
      await pool.close();
    }
  });

  it("with a pool of its own, parses on one worker fewer and on the calling thread too", async () => {
    const large = join(tmp, "large");
    const file = (k: number) =>
      Array.from(
        { length: 1500 },
        (_, i) => `class C${k}_${i}:\n    def m(self):\n        return ${i}  # ${"pad ".repeat(12)}\n`,
      ).join("\n");
    const files = Object.fromEntries(Array.from({ length: 40 }, (_, k) => [`m${k}.py`, file(k)]));
    expect(Object.values(files).join("").length).toBeGreaterThan(INLINE_PARSE_BYTES);
    const [sha] = await makeFixtureRepo(large, [files]);
    const inline = await mapCommit(large, sha!, { cacheDir: false, workers: 0 });
    expect(inline.stats).toMatchObject({ workers: 0, parsed: 40, parsed_here: 40 });
    const shared = await mapCommit(large, sha!, { cacheDir: false, workers: 2 });
    expect(shared.stats.workers).toBe(1);
    expect(shared.stats.parsed_here).toBeGreaterThan(0);
    expect(shared.stats.parsed_here).toBeLessThan(40);
    expect(shared.files).toEqual(inline.files);
  });

  it("maps a work tree as it is on disk, with git's blob ids", async () => {
    const wt = join(tmp, "wt");
    await git(tmp, ["clone", "-q", source, wt]);
    await writeFile(join(wt, "pkg", "new.py"), "def edited():\n    pass\n");
    await writeFile(join(wt, "untracked.py"), "class U:\n    pass\n");
    const map = await mapWorkTree(wt, { cacheDir: false });
    expect(map.commit).toBeNull();
    expect(pyOf(map, "pkg/new.py")!.functions).toEqual([{ name: "edited", start_line: 1, end_line: 2 }]);
    expect(pyOf(map, "untracked.py")!.classes.map((c) => c.name)).toEqual(["U"]);
    const blob = (m: RepoMap, p: string) => m.files.find((f) => f.path === p)!.blob;
    expect(blob(map, "pkg/shapes.py")).toBe(blob(warm, "pkg/shapes.py"));
  });
});

describe("structure and listing", () => {
  it("builds Agentless's nested structure, files before directories", () => {
    const s = toAgentlessStructure(cold);
    expect(Object.keys(s)).toEqual([
      "Makefile",
      "README.md",
      "setup.py",
      ".github",
      "docs",
      "onlytests",
      "pkg",
      "tests",
    ]);
    expect(s["README.md"]).toEqual({});
    const shapes = (s.pkg as Record<string, AgentlessPyFile>)["shapes.py"]!;
    expect(shapes).toEqual({ classes: SHAPES_MAP.classes, functions: SHAPES_MAP.functions });
  });

  it("adds Agentless's text arrays when given the files' text", () => {
    const s = toAgentlessStructure(cold, new Map([["pkg/shapes.py", SHAPES_PY]]));
    const shapes = (s.pkg as Record<string, AgentlessPyFile>)["shapes.py"]!;
    expect(shapes.text).toEqual(SHAPES_PY.split("\n").slice(0, -1));
    expect(shapes.classes[1]!.text).toEqual(['class Last(Shape, metaclass=type): x = """', "multi-line string", '"""']);
    expect(shapes.functions[1]!.text).toEqual(["def cached(n):", "    return n * 2"]);
  });

  it("renders SWE-RL's listing: indent, filters, seeded shuffles", () => {
    expect(renderStructure(cold, { indent: 4, excludeTests: true, pyOnly: true })).toBe(TREE_4);
    expect(renderStructure(cold, { indent: 2, excludeTests: true, pyOnly: true })).toBe(TREE_4.replace(/ {4}/g, "  "));
    const everything = renderStructure(cold, { indent: 2, excludeTests: false, pyOnly: false });
    expect(everything.split("\n")).toEqual(
      expect.arrayContaining(["Makefile", "tests", "  test_shapes.py", "    helpers.py"]),
    );
    expect(everything).not.toContain("README.md");

    const shuffled = (seed: number) =>
      renderStructure(cold, { indent: 4, excludeTests: true, pyOnly: true, shuffle: seed });
    expect(shuffled(7)).toBe(shuffled(7));
    expect(shuffled(7)).not.toBe(shuffled(8));
    expect(paths(shuffled(7))).toEqual(paths(TREE_4));
  });

  it("lists the files the listing offers", () => {
    expect(structureFiles(cold, { excludeTests: true, pyOnly: true }).sort()).toEqual([
      ".github/scripts/bump.py",
      "docs/conf.py",
      "pkg/__init__.py",
      "pkg/broken.py",
      "pkg/shapes.py",
      "pkg/unclosed.py",
      "pkg/util/__init__.py",
      "setup.py",
    ]);
  });
});

// Full paths of the leaves of an indented listing, sorted.
function paths(listing: string): string[] {
  const stack: string[] = [];
  const out: string[] = [];
  const lines = listing.split("\n").filter(Boolean);
  lines.forEach((line, i) => {
    const level = (line.length - line.trimStart().length) / 4;
    stack.length = level;
    stack.push(line.trim());
    const next = lines[i + 1];
    if (!next || next.length - next.trimStart().length <= line.length - line.trimStart().length)
      out.push(stack.join("/"));
  });
  return out.sort();
}

describe("swerl repo-map", () => {
  const run = async (args: string[]): Promise<string> => {
    const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      await repoMapCommand().parseAsync([...args, "--cache-dir", join(tmp, "cache")], { from: "user" });
      return write.mock.calls.map((c) => String(c[0])).join("");
    } finally {
      write.mockRestore();
    }
  };

  it("prints the listing, Agentless's structure and our JSON", async () => {
    expect(await run(["--repo", source, "--commit", first!, "--format", "tree"])).toBe(TREE_4);
    const agentless = JSON.parse(
      await run(["--repo", source, "--commit", first!, "--format", "agentless", "--with-text"]),
    );
    expect(agentless.pkg["broken.py"].functions).toEqual([
      { ...BROKEN_MAP.functions[0], text: ["def after():", "    return 2"] },
    ]);
    expect(agentless.pkg["broken.py"].text).toHaveLength(9);
    const json = JSON.parse(await run(["--repo", source, "--commit", second, "--format", "json"]));
    expect(json.commit).toBe(second);
    expect(json.files.find((f: { path: string }) => f.path === "pkg/new.py").classes[0].name).toBe("New");
    expect(json.other_files).toContain("README.md");
  });

  it("prints each map's cached JSON as it is: the same JSON as the map, non-ASCII names included", async () => {
    const dir = join(tmp, "unicode");
    const [sha] = await makeFixtureRepo(dir, [
      { "grüße.py": "class Ñandú:\n    def größe(self):\n        return '€'\n\ndef 函数():\n    pass\n", "a.txt": "x" },
    ]);
    const expected = await mapCommit(dir, sha!, { cacheDir: false });
    for (const round of ["cold", "warm"]) {
      const out = JSON.parse(await run(["--repo", dir, "--commit", sha!, "--format", "json"]));
      expect(out.stats.cache_hits, round).toBe(round === "cold" ? 0 : 1);
      expect(out.files, round).toEqual(
        expected.files.filter((f) => f.py).map((f) => ({ path: f.path, blob: f.blob, ...f.py })),
      );
      expect(out.files[0].classes[0].methods[0].name).toBe("größe");
      expect(out.other_files).toEqual(["a.txt"]);
    }
  });

  it("says what is wrong with its input", async () => {
    await expect(run(["--repo", join(tmp, "nowhere")])).rejects.toThrow(/--repo .*nowhere: not a git repository/);
    await expect(run(["--repo", source, "--commit", "nope"])).rejects.toThrow(/commit "nope" not found/);
    await expect(run(["--repo", source, "--workers", "two"])).rejects.toThrow(/--workers must be a whole number/);
  });
});
