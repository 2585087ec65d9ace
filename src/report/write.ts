// Build a run's report and write report.json, report.md and report.html (by default into the
// run directory).
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic, writeJsonAtomic } from "../store/atomic.js";
import { buildReport, type BuildReportOptions, type Report } from "./build.js";
import { renderHtml, renderMarkdown } from "./render.js";

export interface WrittenReport {
  report: Report;
  paths: { json: string; md: string; html: string };
}

export async function writeReport(
  runDir: string,
  o: BuildReportOptions & { outDir?: string } = {},
): Promise<WrittenReport> {
  const report = await buildReport(runDir, o);
  const outDir = o.outDir ?? runDir;
  await mkdir(outDir, { recursive: true });
  const paths = { json: join(outDir, "report.json"), md: join(outDir, "report.md"), html: join(outDir, "report.html") };
  await writeJsonAtomic(paths.json, report);
  await writeFileAtomic(paths.md, renderMarkdown(report));
  await writeFileAtomic(paths.html, renderHtml(report));
  return { report, paths };
}
