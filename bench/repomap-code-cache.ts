// Code maps through build.ts (worker pool, SQLite cache) on real repos: cold on this thread,
// cold on 2 worker threads, warm from the cache; the three maps must be equal. Prints ms.
//   npx vite-node bench/repomap-code-cache.ts <gitDir>:<family> [...]
// e.g. /work/.mirror/gin-gonic+gin/repo:go /work/.mirror/BurntSushi+ripgrep/repo:rust /work/.mirror/axios+axios/repo:js
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { mapCommit } from "../src/repomap/build.js";
import { closeMapCaches } from "../src/repomap/cache.js";
import { ParsePool } from "../src/repomap/pool.js";
import { LANGUAGE_FAMILIES, type LanguageFamily } from "../src/treesitter/languages.js";

async function bench(gitDir: string, family: LanguageFamily): Promise<void> {
  const cacheDir = mkdtempSync(join(tmpdir(), "swerl-bench-codecache-"));
  try {
    const inline = await mapCommit(gitDir, "HEAD", { language: family, cacheDir: false, workers: 0 });
    const pool = await ParsePool.create(2, "skeleton");
    let threaded;
    try {
      threaded = await mapCommit(gitDir, "HEAD", { language: family, cacheDir: false, pool });
    } finally {
      await pool.close();
    }
    const cold = await mapCommit(gitDir, "HEAD", { language: family, cacheDir, workers: 0 });
    const warm = await mapCommit(gitDir, "HEAD", { language: family, cacheDir });
    const same = isDeepStrictEqual(inline.files, threaded.files) && isDeepStrictEqual(inline.files, warm.files);
    const defs = inline.files.reduce(
      (n, f) =>
        n + (f.code ? f.code.functions.length + f.code.classes.reduce((m, c) => m + 1 + c.methods.length, 0) : 0),
      0,
    );
    console.log(
      `${gitDir} (${family}): ${inline.stats.code_files} source files of ${inline.stats.files}, ${defs} definitions; ` +
        `inline ${inline.stats.ms.total} ms, 2 workers ${threaded.stats.ms.total} ms, cold with cache ${cold.stats.ms.total} ms ` +
        `(store ${cold.stats.ms.store} ms), warm ${warm.stats.ms.total} ms (${warm.stats.cache_hits} hits, ${warm.stats.parsed} parsed); maps equal: ${same}`,
    );
  } finally {
    closeMapCaches();
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

for (const arg of process.argv.slice(2)) {
  const at = arg.lastIndexOf(":");
  const family = arg.slice(at + 1) as LanguageFamily;
  if (at < 0 || !LANGUAGE_FAMILIES.includes(family)) throw new Error(`"${arg}": expected <gitDir>:<family>`);
  await bench(arg.slice(0, at), family);
}
