// report.md and report.html from the report's sections. The HTML is one standalone file:
// inline CSS, inline SVG charts, no scripts and no external URL, so it opens offline.
import type { Report } from "./build.js";
import { reportSections, type Section, type Table } from "./sections.js";
import { barChart, escapeXml, lineChart, type LineSeries } from "./svg.js";

const mdCell = (s: string): string => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

function mdTable(t: Table): string {
  if (t.rows.length === 0) return "";
  const head = t.headers.every((h) => h === "") ? ["", ""] : t.headers;
  return [
    `| ${head.map(mdCell).join(" | ")} |`,
    `|${head.map(() => "---").join("|")}|`,
    ...t.rows.map((r) => `| ${r.map(mdCell).join(" | ")} |`),
  ].join("\n");
}

export function renderMarkdown(r: Report): string {
  const parts = [`# swerl report: ${r.run_id}`, ""];
  for (const s of reportSections(r)) {
    parts.push(`## ${s.title}`, "");
    for (const [i, p] of s.paragraphs.entries()) {
      // Consecutive list items stay one list.
      const nextIsItem = p.startsWith("- ") && s.paragraphs[i + 1]?.startsWith("- ");
      parts.push(p, ...(nextIsItem ? [] : [""]));
    }
    for (const t of s.tables) {
      const md = mdTable(t);
      if (md) parts.push(md, "");
    }
    if (s.id === "per-repo") parts.push("(Plots: see report.html.)", "");
  }
  if (!r.ablation || r.ablation.samples.length === 0)
    parts.push("Solve rate vs repair samples / reproduction tests: no ablation.json — run swerl ablate.", "");
  parts.push(`_Generated ${r.generated_at} by swerl ${r.run.swerl_version}._`, "");
  return parts.join("\n");
}

/** Markdown emphasis (**x**) and escaping for the HTML view of a paragraph. */
const inlineHtml = (s: string): string => escapeXml(s).replace(/\*\*(.+?)\*\*/g, "<strong>$1</strong>");

function htmlTable(t: Table): string {
  if (t.rows.length === 0) return "";
  const head = t.headers.every((h) => h === "")
    ? ""
    : `<thead><tr>${t.headers.map((h) => `<th>${escapeXml(h)}</th>`).join("")}</tr></thead>`;
  return `<table>${head}<tbody>${t.rows.map((r) => `<tr>${r.map((c) => `<td>${escapeXml(c)}</td>`).join("")}</tr>`).join("")}</tbody></table>`;
}

function htmlSection(s: Section): string {
  const paras = s.paragraphs.map((p) =>
    p.startsWith("- ") ? `<li>${inlineHtml(p.slice(2))}</li>` : `<p>${inlineHtml(p)}</p>`,
  );
  const body = paras.some((p) => p.startsWith("<li>")) ? `<ul>${paras.join("")}</ul>` : paras.join("\n");
  return `<section id="${s.id}"><h2>${escapeXml(s.title)}</h2>\n${body}\n${s.tables.map(htmlTable).join("\n")}</section>`;
}

const note = (plot: string, text: string): string =>
  `<p class="plot-note" data-plot-missing="${plot}">${escapeXml(text)}</p>`;

export function reportPlots(r: Report): string {
  const out: string[] = [];
  const a = r.ablation;
  if (a && a.samples.length > 0) {
    const series: LineSeries[] = [
      {
        name: "solve rate",
        color: "#2b6cb0",
        points: a.samples.map((p) => ({ x: p.k, y: p.solve_rate, lo: p.lo, hi: p.hi })),
      },
    ];
    const oracle = a.samples.filter((p) => p.oracle_at_k !== null);
    if (oracle.length)
      series.push({
        name: "oracle@k",
        color: "#c05621",
        points: oracle.map((p) => ({ x: p.k, y: p.oracle_at_k! })),
        dashed: true,
      });
    out.push(
      lineChart({
        id: "solve-vs-samples",
        title: "Solve rate vs repair samples",
        xLabel: "repair samples k",
        yLabel: "solve rate",
        series,
      }),
    );
    out.push(
      `<p class="caption">Solve rate of the reranked patch from k of the repair samples (mean over random k-subsets), with the 2.5–97.5% band over subsets${oracle.length ? "; oracle@k: share of instances where some of the k samples resolves (the most reranking could reach)" : ""}${a.n_instances ? `; ${a.n_instances} instances` : ""}.</p>`,
    );
  } else
    out.push(
      note("solve-vs-samples", "Solve rate vs repair samples: no ablation.json in this run — run swerl ablate."),
    );
  if (a && a.tests.length > 0) {
    out.push(
      lineChart({
        id: "solve-vs-tests",
        title: "Solve rate vs reproduction tests",
        xLabel: "reproduction tests t",
        yLabel: "solve rate",
        series: [
          {
            name: "solve rate",
            color: "#2f855a",
            points: a.tests.map((p) => ({ x: p.t, y: p.solve_rate, lo: p.lo, hi: p.hi })),
          },
        ],
      }),
    );
  } else
    out.push(
      note("solve-vs-tests", "Solve rate vs reproduction tests: no ablation.json in this run — run swerl ablate."),
    );
  if (r.per_repo.length > 0) {
    out.push(
      barChart({
        id: "per-repo",
        title: "Solve rate per repository (95% CI)",
        xLabel: "solve rate",
        color: "#6b46c1",
        bars: r.per_repo.map((b) => ({ key: b.key, value: b.rate, lo: b.lo, hi: b.hi, label: `${b.k}/${b.n}` })),
      }),
    );
  } else out.push(note("per-repo", "Per-repository solve rate: no graded outcomes (run_report.json) in this run."));
  return out.join("\n");
}

const CSS = `body{font-family:system-ui,-apple-system,"DejaVu Sans",sans-serif;margin:2em auto;max-width:960px;color:#1a202c;padding:0 1em}
h1{font-size:1.6em}h2{font-size:1.2em;border-bottom:1px solid #e2e8f0;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;margin:.6em 0;font-size:.92em}td,th{border:1px solid #e2e8f0;padding:.25em .6em;text-align:left;vertical-align:top}
th{background:#f7fafc}.oracle{background:#fffbea;border:1px solid #f6e05e;padding:.6em 1em}
.chart{display:block;margin:1em 0;background:#fff}.chart .grid{stroke:#edf2f7}.chart .axis{stroke:#4a5568}
.chart .tick,.chart .legend{font-size:11px;fill:#4a5568}.chart .label{font-size:12px;fill:#2d3748}.chart .chart-title{font-size:14px;font-weight:600;fill:#1a202c}
.chart .whisker{stroke-width:1.5}.plot-note{color:#718096;font-style:italic}.caption{color:#4a5568;font-size:.9em;max-width:640px}`;

export function renderHtml(r: Report): string {
  const sections = reportSections(r);
  const banner = r.oracle.used
    ? `<p class="oracle"><strong>Oracle policy:</strong> answers built from the gold patches, not a real model.</p>`
    : "";
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>swerl report: ${escapeXml(r.run_id)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${CSS}</style></head>
<body data-run="${escapeXml(r.run_id)}">
<h1>swerl report: ${escapeXml(r.run_id)}</h1>
${banner}
${sections
  .filter((s) => s.id === "summary" || s.id === "missing")
  .map(htmlSection)
  .join("\n")}
<section id="plots"><h2>Plots</h2>
${reportPlots(r)}
</section>
${sections
  .filter((s) => s.id !== "summary" && s.id !== "missing")
  .map(htmlSection)
  .join("\n")}
<footer><p>Generated ${escapeXml(r.generated_at)} by swerl ${escapeXml(r.run.swerl_version)}.</p></footer>
</body></html>
`;
}
