// What validation and rerank read of the reproduce stage's records
// (results/<run>/reproduction_tests.jsonl, one line per instance): the kept tests (docs/pipeline-records.md).
import { z } from "zod";

export const reproductionTestsSchema = z
  .object({
    instance_id: z.string().min(1),
    tests: z.array(z.object({ test_id: z.string().min(1), script: z.string() }).passthrough()),
    top_tests: z.number().int().nonnegative(),
  })
  .passthrough();
export type ReproductionTestsInput = z.infer<typeof reproductionTestsSchema>;
