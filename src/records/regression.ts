// What validation reads of the regress stage's records (results/<run>/regression.jsonl, one
// line per instance): the test command, its log parser and the selected tests (docs/pipeline-records.md).
import { z } from "zod";

export const regressionRecordSchema = z
  .object({
    instance_id: z.string().min(1),
    command: z.string(),
    log_parser: z.string().min(1),
    selected_tests: z.array(z.string()),
    error: z.string().nullable().optional(),
  })
  .passthrough();
export type RegressionInput = z.infer<typeof regressionRecordSchema>;
