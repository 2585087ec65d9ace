// Writes .vitest/timeline.json: when each test file started and ended in its worker, whole
// (import, beforeAll hooks, tests, afterAll), which vitest's JSON report leaves out (its file
// times span the tests only: a 100 s beforeAll shows as 0 s). bench/ci-timeline.ts reads it
// (slot use, idle time) and writes the committed durations the sequencer orders files by.
import { mkdirSync, writeFileSync } from "node:fs";
import { relative } from "node:path";
import type { Reporter, TestModule } from "vitest/node";

export interface TimelineEntry {
  project: string;
  file: string;
  /** Unix ms: the worker began importing the file / finished it. */
  start: number;
  end: number;
  /** From vitest's diagnostic: import (collect) and the file's hooks and tests, ms. */
  collectMs: number;
  runMs: number;
  state: string;
}

const keyOf = (m: TestModule) => `${m.project.name}:${m.moduleId}`;

export default class TimelineReporter implements Reporter {
  private readonly starts = new Map<string, number>();
  private readonly entries: TimelineEntry[] = [];

  onTestModuleQueued(m: TestModule): void {
    this.starts.set(keyOf(m), Date.now());
  }

  onTestModuleEnd(m: TestModule): void {
    const d = m.diagnostic();
    const end = Date.now();
    this.entries.push({
      project: m.project.name,
      file: relative(process.cwd(), m.moduleId),
      start: this.starts.get(keyOf(m)) ?? end - d.collectDuration - d.duration,
      end,
      collectMs: Math.round(d.collectDuration),
      runMs: Math.round(d.duration),
      state: m.state(),
    });
  }

  onTestRunEnd(): void {
    this.entries.sort((a, b) => a.start - b.start);
    mkdirSync(".vitest", { recursive: true });
    writeFileSync(".vitest/timeline.json", `${JSON.stringify(this.entries, null, 1)}\n`);
  }
}
