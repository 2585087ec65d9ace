// The SWE-bench instance record, validated with zod. FAIL_TO_PASS / PASS_TO_PASS arrive as
// JSON strings holding lists (Hugging Face layout) or as lists; both decode to string[].
import { z } from "zod";

const testList = z.union([z.array(z.string()), z.string()]).transform((value, ctx) => {
  if (Array.isArray(value)) return value;
  try {
    const parsed: unknown = JSON.parse(value);
    if (Array.isArray(parsed) && parsed.every((t) => typeof t === "string")) return parsed as string[];
    ctx.addIssue({ code: "custom", message: "is not a JSON list of strings" });
  } catch (err) {
    ctx.addIssue({ code: "custom", message: `is not valid JSON (${(err as Error).message})` });
  }
  return z.NEVER;
});

const optionalText = z
  .string()
  .nullish()
  .transform((v) => v ?? "");

export const instanceSchema = z.object({
  instance_id: z.string().min(1),
  repo: z.string().regex(/^[^/\s]+\/[^/\s]+$/, "must look like owner/name"),
  base_commit: z.string().regex(/^[0-9a-f]{7,40}$/, "must be a git commit sha"),
  patch: optionalText,
  test_patch: optionalText,
  problem_statement: optionalText,
  hints_text: optionalText,
  created_at: z
    .union([z.string(), z.date(), z.number()])
    .nullish()
    .transform((v) => (v == null ? "" : v instanceof Date ? v.toISOString() : String(v))),
  version: z
    .union([z.string(), z.number()])
    .nullish()
    .transform((v) => (v == null ? "" : String(v))),
  environment_setup_commit: optionalText,
  FAIL_TO_PASS: testList,
  PASS_TO_PASS: testList,
  // Columns the SWE-bench project added later; present in ../shared/datasets.
  difficulty: z.string().nullish(),
  eval_script: z.string().nullish(),
  log_parser: z.string().nullish(),
  image: z.string().nullish(),
});

/** One SWE-bench task instance, after validation and decoding. */
export type Instance = z.infer<typeof instanceSchema>;
