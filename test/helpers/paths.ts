// Paths tests share: the repo root, the real datasets beside it (../shared/datasets), the
// built CLI.
import { fileURLToPath } from "node:url";
import { join } from "node:path";

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
export const datasetsDir = join(repoRoot, "..", "shared", "datasets");
export const verifiedJsonl = join(datasetsDir, "swe-bench-verified.test.jsonl");
export const verifiedParquet = join(datasetsDir, "swe-bench-verified.test.parquet");
export const liteParquet = join(datasetsDir, "swe-bench-lite.test.parquet");
export const multilingualParquet = join(datasetsDir, "swe-bench-multilingual.test.parquet");
export const cliPath = join(repoRoot, "dist", "cli", "main.cjs");
