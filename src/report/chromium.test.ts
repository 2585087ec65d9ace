// report.html opened in a real headless Chromium (Debian's `chromium`, installed by
// scripts/setup-chromium.sh): the rendered DOM holds the three plots with one point per
// ablation value and one bar per repo, and a screenshot shows the bars in their colour.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDemoBenchmark } from "../demo/build.js";
import { writeDemoRun } from "../../test/support/report/demo-run.js";
import { countColor, decodePng } from "../../test/support/report/png.js";
import { writeReport } from "./write.js";

const CHROMIUM = "/usr/bin/chromium";
const ABLATION = {
  samples: [
    { k: 1, solve_rate: 0.2, lo: 0.0362, hi: 0.6245, oracle_at_k: 0.4 },
    { k: 2, solve_rate: 0.4, lo: 0.1176, hi: 0.7693, oracle_at_k: 0.6 },
    { k: 4, solve_rate: 0.4, lo: 0.1176, hi: 0.7693, oracle_at_k: 0.8 },
  ],
  tests: [
    { t: 1, solve_rate: 0.2, lo: 0.0362, hi: 0.6245 },
    { t: 2, solve_rate: 0.4, lo: 0.1176, hi: 0.7693 },
  ],
  n_instances: 5,
};

let work: string;
let htmlUrl: string;

function chromium(args: string[]): string {
  // Missing Chromium is a failure, not a skip: the acceptance test needs a real browser.
  expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: run bash scripts/setup-chromium.sh`).toBe(true);
  const profile = mkdtempSync(join(work, "profile-"));
  const r = spawnSync(
    CHROMIUM,
    [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--hide-scrollbars",
      `--user-data-dir=${profile}`,
      ...args,
      htmlUrl,
    ],
    { encoding: "utf8", timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
  );
  if (r.error) throw r.error;
  expect(r.status, `chromium exited ${r.status}: ${r.stderr.slice(-2000)}`).toBe(0);
  return r.stdout;
}

/** The opening tags of one element kind inside the <svg data-plot="id"> of the dumped DOM. */
function elementsIn(dom: string, plot: string, tag: string): Record<string, string>[] {
  const m = new RegExp(`<svg [^>]*data-plot="${plot}"[^>]*>([\\s\\S]*?)</svg>`).exec(dom);
  if (!m) return [];
  return [...m[1].matchAll(new RegExp(`<${tag} ([^>]*)>`, "g"))].map((e) =>
    Object.fromEntries([...e[1].matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1], a[2]])),
  );
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "swerl-report-chromium-"));
  const bench = await buildDemoBenchmark(join(work, "demo"));
  const { dir } = await writeDemoRun(bench, join(work, "results"), "chromium", { ablation: ABLATION });
  const { paths } = await writeReport(dir);
  htmlUrl = pathToFileURL(paths.html).href;
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("report.html in headless Chromium", () => {
  it("renders the three plots with their points and bars (DOM after load)", () => {
    const dom = chromium(["--dump-dom"]);
    expect(dom).toContain('<body data-run="chromium">');
    const samples = elementsIn(dom, "solve-vs-samples", "circle");
    expect(samples.filter((p) => p["data-series"] === "solve rate").map((p) => [p["data-x"], p["data-y"]])).toEqual([
      ["1", "0.2"],
      ["2", "0.4"],
      ["4", "0.4"],
    ]);
    expect(samples.filter((p) => p["data-series"] === "oracle@k").map((p) => [p["data-x"], p["data-y"]])).toEqual([
      ["1", "0.4"],
      ["2", "0.6"],
      ["4", "0.8"],
    ]);
    // Higher rate → higher on the page (smaller cy).
    const cy = samples.filter((p) => p["data-series"] === "solve rate").map((p) => Number(p.cy));
    expect(cy[0]).toBeGreaterThan(cy[1]);
    expect(cy[1]).toBe(cy[2]);
    const tests = elementsIn(dom, "solve-vs-tests", "circle");
    expect(tests.map((p) => [p["data-x"], p["data-y"]])).toEqual([
      ["1", "0.2"],
      ["2", "0.4"],
    ]);
    const bars = elementsIn(dom, "per-repo", "rect");
    expect(bars.map((b) => [b["data-key"], b["data-value"]])).toEqual([
      ["swerl-demo/durations", "0.5"],
      ["swerl-demo/ledger", "0"],
      ["swerl-demo/textkit", "0.5"],
    ]);
    expect(Number(bars[0].width)).toBeGreaterThan(0);
    expect(Number(bars[1].width)).toBe(0);
  });

  it("paints the per-repo bars (screenshot pixels in the bar colour)", () => {
    const png = join(work, "report.png");
    chromium([`--screenshot=${png}`, "--window-size=1000,2200", "--force-device-scale-factor=1"]);
    const img = decodePng(readFileSync(png));
    expect([img.width, img.height]).toEqual([1000, 2200]);
    // Two bars at 50% of a 0–100% axis 360 px wide, 18 px tall: 2 × 180 × 18 px, less the
    // CI whiskers drawn across them.
    const purple = countColor(img, "#6b46c1");
    expect(purple).toBeGreaterThan(0.85 * 2 * 180 * 18);
    expect(purple).toBeLessThan(1.05 * 2 * 180 * 18);
    expect(countColor(img, "#2b6cb0")).toBeGreaterThan(100); // the solve-rate line and its points
    expect(countColor(img, "#2f855a")).toBeGreaterThan(100); // the vs-tests line
  });
});
