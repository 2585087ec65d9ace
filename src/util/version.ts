import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The package version, read from package.json next to dist/ or src/. */
export function swerlVersion(): string {
  const pkg = fileURLToPath(new URL("../../package.json", import.meta.url));
  return (JSON.parse(readFileSync(pkg, "utf8")) as { version: string }).version;
}
