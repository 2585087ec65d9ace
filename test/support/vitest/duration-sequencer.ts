// Starts the longest test files first, by the whole-file times of an earlier full run
// (file-durations.json, written by bench/ci-timeline.ts from .vitest/timeline.json), so that
// no long file starts late and leaves one fork busy while the other idles at the end. CI runs
// on a fresh clone, where vitest's own cache of durations is empty: the times are committed.
// Files not listed (new ones) go first, as vitest's own sequencer does with unknown files.
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

const DURATIONS = new URL("./file-durations.json", import.meta.url);

/** `<project>:<file relative to the root>` -> ms. */
export function loadDurations(): Record<string, number> {
  try {
    return JSON.parse(readFileSync(DURATIONS, "utf8")) as Record<string, number>;
  } catch {
    return {};
  }
}

export class DurationSequencer extends BaseSequencer {
  private readonly durations = loadDurations();

  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const ms = (f: TestSpecification) =>
      this.durations[`${f.project.name}:${relative(root, f.moduleId)}`] ?? Number.POSITIVE_INFINITY;
    return [...files].sort((a, b) => ms(b) - ms(a));
  }
}
