// Code maps through build.ts: the same map inline, on worker threads and from the SQLite cache;
// a real git repo with Go, Rust and JavaScript files.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeFixtureRepo } from "../../test/support/fixture-repo.js";
import { ParserSet } from "../treesitter/languages.js";
import { mapCommit } from "./build.js";
import { closeMapCaches } from "./cache.js";
import { mapCodeSource } from "./extract-code.js";
import { CODE_FIXTURES } from "../../test/support/repomap/fixture-code.js";
import { mapCommitCode } from "./map-code.js";
import { ParsePool } from "./pool.js";
import { toAgentlessStructure } from "./structure.js";

let work: string;
let repo: string;
let commits: string[];
const go = CODE_FIXTURES.find((f) => f.language === "go")!;
const rust = CODE_FIXTURES.find((f) => f.language === "rust")!;
const js = CODE_FIXTURES.find((f) => f.language === "javascript")!;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "swerl-build-code-"));
  repo = join(work, "repo");
  commits = await makeFixtureRepo(repo, [
    {
      [go.path]: go.source,
      "pkg/copy.go": go.source,
      "pkg/x_test.go": go.source,
      "vendor/dep/dep.go": go.source,
      "README.md": "# x\n",
      [rust.path]: rust.source,
      [js.path]: js.source,
    },
    { "pkg/copy.go": go.source.replace("package", "// changed\npackage") },
  ]);
});
afterAll(async () => {
  closeMapCaches();
  await rm(work, { recursive: true, force: true });
});

describe("mapCommit with a language family", () => {
  it("maps the family's source files (tests too, vendored code not) with the same maps as extract-code", async () => {
    const map = await mapCommit(repo, commits[0]!, { language: "go", cacheDir: false });
    expect(map.language).toBe("go");
    const mapped = map.files.filter((f) => f.code).map((f) => f.path);
    expect(mapped).toEqual([go.path, "pkg/copy.go", "pkg/x_test.go"]);
    expect(map.files.find((f) => f.path === go.path)!.code).toEqual(
      mapCodeSource(new ParserSet().get("go"), "go", go.source),
    );
    expect(map.stats).toMatchObject({ files: 7, py_files: 0, code_files: 3, cache_hits: 0 });
    const structure = toAgentlessStructure(map);
    expect(structure["README.md"]).toEqual({});
    expect(Object.keys(structure)).toContain(go.path);
  });

  it("stores the maps in the cache: a second commit parses only its changed file, a second map none", async () => {
    const cacheDir = join(work, "cache");
    const first = await mapCommit(repo, commits[0]!, { language: "go", cacheDir });
    expect(first.stats).toMatchObject({ cache_hits: 0, parsed: 1 }); // three paths, one blob: parsed once
    const again = await mapCommit(repo, commits[0]!, { language: "go", cacheDir });
    expect(again.stats).toMatchObject({ cache_hits: 1, parsed: 0 });
    expect(again.files).toEqual(first.files);
    const second = await mapCommit(repo, commits[1]!, { language: "go", cacheDir });
    expect(second.stats).toMatchObject({ cache_hits: 1, parsed: 1 });
    expect(
      second.files.find((f) => f.path === "pkg/copy.go")!.code!.functions.length +
        second.files.find((f) => f.path === "pkg/copy.go")!.code!.classes.length,
    ).toBeGreaterThan(0);
    // Python maps of the same commit are another database: nothing of the Go maps is taken for them.
    const py = await mapCommit(repo, commits[0]!, { cacheDir });
    expect(py.language).toBeUndefined();
    expect(py.files.every((f) => !f.code && !f.py)).toBe(true);
  });

  it("gives the same maps on worker threads", async () => {
    const pool = await ParsePool.create(2, "skeleton");
    try {
      for (const family of ["go", "rust", "js"] as const) {
        const threaded = await mapCommit(repo, commits[0]!, { language: family, cacheDir: false, pool });
        const inline = await mapCommitCode(repo, commits[0]!, family);
        expect(threaded.stats.workers).toBe(2);
        expect(threaded.files).toEqual(inline.files);
        expect(threaded.files.some((f) => f.code)).toBe(true);
      }
    } finally {
      await pool.close();
    }
  });

  it("takes the language from the file list when asked (languageOf), and stays Python when it says none", async () => {
    const decided = await mapCommit(repo, commits[0]!, {
      cacheDir: false,
      languageOf: (paths) => (paths.some((p) => p.endsWith(".rs")) ? "rust" : undefined),
    });
    expect(decided.language).toBe("rust");
    expect(decided.files.filter((f) => f.code).map((f) => f.path)).toEqual([rust.path]);
    const python = await mapCommit(repo, commits[0]!, { cacheDir: false, languageOf: () => undefined });
    expect(python.language).toBeUndefined();
  });
});
