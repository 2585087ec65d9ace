// The entry file of a worker thread. Built code has `<name>.js` beside the module that starts
// it; running from the TypeScript sources (vitest, benches) the `<name>.ts` beside it is bundled
// once with esbuild (present wherever the dev dependencies are) into node_modules/.cache, so
// that the bundle's bare imports (tree-sitter and its grammars stay external) resolve to ours.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** `from`: import.meta.url of the module beside the worker; `name`: the worker's file name without extension. */
export async function workerScript(from: string, name: string): Promise<URL> {
  const here = fileURLToPath(from);
  if (!here.endsWith(".ts")) return new URL(`./${name}.js`, from);
  const require = createRequire(from);
  const esbuild = (await import("esbuild" as string)) as {
    build(o: Record<string, unknown>): Promise<{ outputFiles: Array<{ text: string }> }>;
  };
  const result = await esbuild.build({
    entryPoints: [join(dirname(here), `${name}.ts`)],
    bundle: true,
    platform: "node",
    format: "esm",
    write: false,
    external: ["tree-sitter", "tree-sitter-*"],
  });
  const code = result.outputFiles[0]!.text;
  const nodeModules = join(dirname(require.resolve("tree-sitter/package.json")), "..");
  const dir = join(nodeModules, ".cache", "swerl");
  const file = join(dir, `${name}-${createHash("sha256").update(code).digest("hex").slice(0, 16)}.mjs`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, code);
    renameSync(tmp, file);
  }
  return pathToFileURL(file);
}
