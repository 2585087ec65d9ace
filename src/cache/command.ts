// `swerl cache stats|clear [--dir D]`: size of the model response cache, or empty it.
import { Command } from "commander";
import { defaultCacheDir } from "../model/cache.js";
import { cacheStats, clearCache, formatBytes } from "./disk.js";

interface CacheOptions {
  dir?: string;
  json?: boolean;
}

const dirOption = (cmd: Command): Command =>
  cmd
    .option("--dir <dir>", "cache directory (default: $SWERL_CACHE_DIR, else ~/.cache/swerl/model)")
    .option("--json", "print JSON");

export function cacheCommand(): Command {
  const stats = dirOption(new Command("stats"))
    .description("Number of cached answers and their size on disk")
    .action(async (o: CacheOptions) => {
      const s = await cacheStats(o.dir ?? defaultCacheDir());
      if (o.json) {
        process.stdout.write(JSON.stringify(s) + "\n");
        return;
      }
      const note = s.exists ? "" : " (directory does not exist)";
      const temp = s.temp_files > 0 ? `, ${s.temp_files} leftover temp files` : "";
      process.stdout.write(`${s.dir}: ${s.entries} entries, ${formatBytes(s.bytes)}${temp}${note}\n`);
    });
  const clear = dirOption(new Command("clear"))
    .description("Remove every cached answer")
    .action(async (o: CacheOptions) => {
      const r = await clearCache(o.dir ?? defaultCacheDir());
      if (o.json) {
        process.stdout.write(
          JSON.stringify({
            dir: r.dir,
            removed_entries: r.entries,
            removed_bytes: r.bytes,
            removed_temp_files: r.temp_files,
          }) + "\n",
        );
        return;
      }
      process.stdout.write(`${r.dir}: removed ${r.entries} entries (${formatBytes(r.bytes)})\n`);
    });
  return new Command("cache")
    .description("Inspect or clear the model response cache")
    .addCommand(stats)
    .addCommand(clear);
}
