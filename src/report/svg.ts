// Small hand-written SVG charts for report.html (inline SVG in HTML5, so no xmlns): a line chart with 95% whiskers and a
// horizontal bar chart. Self-contained markup (no scripts, no external references); every
// point and bar carries data-* attributes so a test can read the rendered DOM.

export const escapeXml = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const pct = (v: number): string => `${(100 * v).toFixed(1)}%`;
const num = (v: number): string => (Math.round(v * 100) / 100).toString();

export interface LinePoint {
  x: number;
  y: number;
  lo?: number;
  hi?: number;
}
export interface LineSeries {
  name: string;
  color: string;
  points: LinePoint[];
  dashed?: boolean;
}

export interface LineChartOptions {
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  series: LineSeries[];
}

const W = 640,
  H = 340,
  M = { left: 60, right: 150, top: 36, bottom: 50 };

/** A rate axis: its upper end (a round step above the data, at most 100%) and tick step. */
function rateAxis(values: number[]): { top: number; step: number } {
  const max = Math.max(0.05, ...values);
  const step = max <= 0.25 ? 0.05 : max <= 0.6 ? 0.1 : 0.2;
  return { top: Math.min(1, Math.ceil(max / step - 1e-9) * step), step };
}

const ticks = (a: { top: number; step: number }): number[] => {
  const out: number[] = [];
  for (let v = 0; v <= a.top + 1e-9; v += a.step) out.push(Math.min(v, a.top));
  if (out[out.length - 1] < a.top - 1e-9) out.push(a.top);
  return out;
};

export function lineChart(o: LineChartOptions): string {
  const points = o.series.flatMap((s) => s.points);
  const xs = [...new Set(points.map((p) => p.x))].sort((a, b) => a - b);
  const logX = xs.length > 1 && xs[0] > 0 && xs[xs.length - 1] / xs[0] >= 8;
  const fx = (x: number) => (logX ? Math.log(x) : x);
  const [x0, x1] = [fx(xs[0] ?? 0), fx(xs[xs.length - 1] ?? 1)];
  const axis = rateAxis(points.flatMap((p) => [p.y, p.hi ?? p.y]));
  const top = axis.top;
  const plotW = W - M.left - M.right,
    plotH = H - M.top - M.bottom;
  const sx = (x: number) => M.left + (x1 === x0 ? plotW / 2 : ((fx(x) - x0) / (x1 - x0)) * plotW);
  const sy = (y: number) => M.top + plotH - (y / top) * plotH;
  const out: string[] = [];
  out.push(
    `<svg class="chart" data-plot="${escapeXml(o.id)}" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeXml(o.title)}">`,
  );
  out.push(`<title>${escapeXml(o.title)}</title>`);
  out.push(
    `<text x="${W / 2 - M.right / 2}" y="20" text-anchor="middle" class="chart-title">${escapeXml(o.title)}</text>`,
  );
  for (const y of ticks(axis)) {
    out.push(`<line x1="${M.left}" x2="${M.left + plotW}" y1="${num(sy(y))}" y2="${num(sy(y))}" class="grid"/>`);
    out.push(`<text x="${M.left - 6}" y="${num(sy(y) + 4)}" text-anchor="end" class="tick">${pct(y)}</text>`);
  }
  for (const x of xs)
    out.push(`<text x="${num(sx(x))}" y="${M.top + plotH + 16}" text-anchor="middle" class="tick">${x}</text>`);
  out.push(`<line x1="${M.left}" x2="${M.left + plotW}" y1="${M.top + plotH}" y2="${M.top + plotH}" class="axis"/>`);
  out.push(`<line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${M.top + plotH}" class="axis"/>`);
  out.push(
    `<text x="${M.left + plotW / 2}" y="${H - 10}" text-anchor="middle" class="label">${escapeXml(o.xLabel)}${logX ? " (log scale)" : ""}</text>`,
  );
  out.push(
    `<text transform="translate(14 ${M.top + plotH / 2}) rotate(-90)" text-anchor="middle" class="label">${escapeXml(o.yLabel)}</text>`,
  );
  o.series.forEach((s, si) => {
    const pts = [...s.points].sort((a, b) => a.x - b.x);
    out.push(`<g class="series" data-series="${escapeXml(s.name)}">`);
    if (pts.length > 1) {
      out.push(
        `<polyline fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 4"' : ""} points="${pts.map((p) => `${num(sx(p.x))},${num(sy(p.y))}`).join(" ")}"/>`,
      );
    }
    for (const p of pts) {
      if (p.lo !== undefined && p.hi !== undefined) {
        out.push(
          `<line x1="${num(sx(p.x))}" x2="${num(sx(p.x))}" y1="${num(sy(p.lo))}" y2="${num(sy(p.hi))}" stroke="${s.color}" class="whisker"/>`,
        );
      }
      const ci = p.lo !== undefined && p.hi !== undefined ? ` [${pct(p.lo)}, ${pct(p.hi)}]` : "";
      out.push(
        `<circle data-point="" data-series="${escapeXml(s.name)}" data-x="${p.x}" data-y="${p.y}" cx="${num(sx(p.x))}" cy="${num(sy(p.y))}" r="4" fill="${s.color}">` +
          `<title>${escapeXml(s.name)}: ${p.x} → ${pct(p.y)}${ci}</title></circle>`,
      );
    }
    out.push(`</g>`);
    const ly = M.top + 10 + si * 18;
    out.push(
      `<line x1="${W - M.right + 14}" x2="${W - M.right + 34}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 4"' : ""}/>`,
    );
    out.push(`<text x="${W - M.right + 40}" y="${ly + 4}" class="legend">${escapeXml(s.name)}</text>`);
  });
  out.push(`</svg>`);
  return out.join("\n");
}

export interface Bar {
  key: string;
  value: number;
  lo: number;
  hi: number;
  label: string;
}

export interface BarChartOptions {
  id: string;
  title: string;
  xLabel: string;
  bars: Bar[];
  color: string;
}

export function barChart(o: BarChartOptions): string {
  const rowH = 26,
    left = 190,
    right = 90,
    width = 640,
    top = 36;
  const plotW = width - left - right;
  const height = top + o.bars.length * rowH + 44;
  const axis = rateAxis(o.bars.flatMap((b) => [b.value, b.hi]));
  const max = axis.top;
  const sx = (v: number) => left + (v / max) * plotW;
  const out: string[] = [];
  out.push(
    `<svg class="chart" data-plot="${escapeXml(o.id)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(o.title)}">`,
  );
  out.push(`<title>${escapeXml(o.title)}</title>`);
  out.push(`<text x="${width / 2}" y="20" text-anchor="middle" class="chart-title">${escapeXml(o.title)}</text>`);
  const bottom = top + o.bars.length * rowH;
  for (const v of ticks(axis)) {
    out.push(`<line x1="${num(sx(v))}" x2="${num(sx(v))}" y1="${top}" y2="${bottom}" class="grid"/>`);
    out.push(`<text x="${num(sx(v))}" y="${bottom + 16}" text-anchor="middle" class="tick">${pct(v)}</text>`);
  }
  o.bars.forEach((b, i) => {
    const y = top + i * rowH;
    out.push(`<text x="${left - 8}" y="${y + rowH / 2 + 4}" text-anchor="end" class="tick">${escapeXml(b.key)}</text>`);
    out.push(
      `<rect data-bar="" data-key="${escapeXml(b.key)}" data-value="${b.value}" x="${left}" y="${y + 4}" width="${num(Math.max(0, sx(b.value) - left))}" height="${rowH - 8}" fill="${o.color}">` +
        `<title>${escapeXml(b.key)}: ${escapeXml(b.label)}</title></rect>`,
    );
    out.push(
      `<line x1="${num(sx(b.lo))}" x2="${num(sx(b.hi))}" y1="${y + rowH / 2}" y2="${y + rowH / 2}" class="whisker" stroke="#222"/>`,
    );
    out.push(
      `<text x="${num(Math.max(sx(b.hi), sx(b.value)) + 6)}" y="${y + rowH / 2 + 4}" class="tick">${escapeXml(b.label)}</text>`,
    );
  });
  out.push(`<line x1="${left}" x2="${left}" y1="${top}" y2="${bottom}" class="axis"/>`);
  out.push(
    `<text x="${left + plotW / 2}" y="${height - 8}" text-anchor="middle" class="label">${escapeXml(o.xLabel)}</text>`,
  );
  out.push(`</svg>`);
  return out.join("\n");
}
