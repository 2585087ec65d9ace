// The record files of a run directory (results/<run>/<name>.jsonl), by the stage that writes
// them: the names every producer and consumer uses (RunStore.append/records/stagePath take the
// name without ".jsonl"; docs/pipeline-records.md describes each record).
export const RECORD_FILES = {
  localization: "localization",
  repair: "repair",
  reproduction: "reproduction",
  reproductionTests: "reproduction_tests",
  regression: "regression",
  validation: "validation",
  rerank: "rerank",
  evaluation: "evaluation",
  grading: "grading",
} as const;

export type RecordFile = (typeof RECORD_FILES)[keyof typeof RECORD_FILES];

/** The file name of a record file in a run directory. */
export const jsonlName = (name: RecordFile): string => `${name}.jsonl`;
