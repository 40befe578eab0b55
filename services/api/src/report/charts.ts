import * as Plot from '@observablehq/plot';
import { taxonomy } from '@partnermatch/core';
import { parseHTML } from 'linkedom';
import type { UiLanguage } from '../web/i18n.js';
import { FUNNEL_STEPS, type Count, type FunnelStep, type ProgrammeReport } from './aggregate.js';
import { reportMessages, type ReportMessages } from './i18n.js';

export type ChartId = 'needs-by-month' | 'needs-by-sector' | 'needs-by-city' | 'funnel' | 'sector-conversion';

/** A chart as SVG with the numbers it shows as a table, all in one language. */
export interface ReportChart {
  readonly id: ChartId;
  readonly title: string;
  /** What the chart shows, in a sentence: the SVG's description for screen readers. */
  readonly description: string;
  /** A standalone SVG document (with xmlns), also fit to inline in HTML. */
  readonly svg: string;
  /** The chart's numbers, formatted for the language. */
  readonly table: { readonly caption: string; readonly columns: readonly string[]; readonly rows: readonly (readonly string[])[] };
}

/** The most bars a chart of sectors or cities shows; the rest are summed as "other". */
const MAX_BARS = 15;
const WIDTH = 640;
const BAR_STEP = 26;

/**
 * Fills that differ by shape, not only by shade, so the charts read in greyscale, in print
 * and for people who do not tell colours apart. Each chart gets its own ids (several charts
 * share one page).
 */
const PATTERNS: readonly { readonly name: string; readonly body: string }[] = [
  { name: 'hatch', body: '<rect width="8" height="8" fill="#fff"/><path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="#222" stroke-width="1.6"/>' },
  { name: 'dots', body: '<rect width="8" height="8" fill="#fff"/><circle cx="4" cy="4" r="1.8" fill="#222"/>' },
  { name: 'cross', body: '<rect width="8" height="8" fill="#fff"/><path d="M0,4 h8 M4,0 v8" stroke="#222" stroke-width="1.4"/>' },
  { name: 'solid', body: '<rect width="8" height="8" fill="#444"/>' },
];

function patternDefs(chart: ChartId): string {
  return `<defs>${PATTERNS.map(
    (p) => `<pattern id="pm-${chart}-${p.name}" width="8" height="8" patternUnits="userSpaceOnUse">${p.body}</pattern>`,
  ).join('')}</defs>`;
}

const fill = (chart: ChartId, pattern: number): string => `url(#pm-${chart}-${PATTERNS[pattern % PATTERNS.length]!.name})`;

const escapeXml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Plot's SVG with what a standalone, accessible document needs: xmlns, role, title, desc and the patterns. */
function finish(svg: string, chart: ChartId, title: string, description: string): string {
  const open = svg.indexOf('>');
  return (
    `${svg.slice(0, open)} xmlns="http://www.w3.org/2000/svg" role="img">` +
    `<title>${escapeXml(title)}</title><desc>${escapeXml(description)}</desc>${patternDefs(chart)}` +
    svg.slice(open + 1)
  );
}

interface Formats {
  readonly number: (n: number) => string;
  readonly percent: (n: number) => string;
  readonly month: (key: string) => string;
}

function formats(lang: UiLanguage): Formats {
  const number = new Intl.NumberFormat(lang);
  const percent = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 });
  const month = new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'short', timeZone: 'UTC' });
  return {
    number: (n) => number.format(n),
    percent: (n) => percent.format(n),
    month: (key) => month.format(new Date(`${key}-01T00:00:00Z`)),
  };
}

function sectorName(key: string | null, lang: UiLanguage, m: ReportMessages): string {
  if (key === null) return m.unspecified;
  return taxonomy.get(key)?.labels[lang] ?? key;
}

/** The first MAX_BARS rows and, when there are more, one "other" row with the rest. */
function capped(rows: readonly { label: string; count: number }[], m: ReportMessages): { label: string; count: number }[] {
  if (rows.length <= MAX_BARS) return [...rows];
  const rest = rows.slice(MAX_BARS - 1).reduce((sum, row) => sum + row.count, 0);
  return [...rows.slice(0, MAX_BARS - 1), { label: m.other, count: rest }];
}

type Document = ReturnType<typeof parseHTML>['document'];

function render(document: Document, options: Plot.PlotOptions): string {
  return (Plot.plot({ ...options, document } as Plot.PlotOptions) as unknown as { outerHTML: string }).outerHTML;
}

/** A horizontal bar chart with each bar's number written at its end. */
function horizontalBars(
  document: Document,
  chart: ChartId,
  rows: readonly { label: string; value: number; text: string; pattern: number }[],
  label: string,
  options: { readonly percent?: boolean } = {},
): string {
  const longest = Math.max(0, ...rows.map((r) => [...r.label].length));
  return render(document, {
    width: WIDTH,
    height: Math.max(80, rows.length * BAR_STEP + 50),
    marginLeft: Math.min(220, 14 + longest * 7),
    marginRight: 110,
    x: { label, grid: true, nice: true, ...(options.percent ? { domain: [0, Math.max(1e-9, ...rows.map((r) => r.value))], tickFormat: '%' } : {}) },
    y: { label: null, domain: rows.map((r) => r.label) },
    marks: [
      Plot.barX(rows, { y: 'label', x: 'value', fill: (r: { pattern: number }) => fill(chart, r.pattern), stroke: '#222', strokeWidth: 1, insetTop: 3, insetBottom: 3 }),
      Plot.text(rows, { y: 'label', x: 'value', text: 'text', dx: 6, textAnchor: 'start', fontSize: 11, fill: '#000' }),
      Plot.ruleX([0], { stroke: '#222' }),
    ],
  });
}

function table(caption: string, columns: readonly string[], rows: readonly (readonly string[])[]): ReportChart['table'] {
  return { caption, columns, rows };
}

/**
 * The report's charts as SVG, drawn on the server by Observable Plot over linkedom's DOM (no
 * browser), each with its numbers as a table. Bars carry patterns rather than colours and
 * their numbers written beside them, so nothing depends on telling colours apart; every
 * word is in `lang`.
 */
export function renderReportCharts(report: ProgrammeReport, lang: UiLanguage): ReportChart[] {
  const m = reportMessages(lang);
  const f = formats(lang);
  const { document } = parseHTML('<!doctype html><html><body></body></html>');
  const charts: ReportChart[] = [];

  // Needs by month: vertical bars in time order.
  {
    const id: ChartId = 'needs-by-month';
    const rows = report.needsByMonth.map((row) => ({ month: f.month(row.key), count: row.count, text: f.number(row.count) }));
    const title = m.charts.needsByMonth.title;
    const description = m.charts.needsByMonth.description(report.totals.needs, rows.length);
    const svg = render(document, {
      width: WIDTH,
      height: 260,
      marginBottom: rows.length > 12 ? 60 : 40,
      x: { type: 'band', label: null, domain: rows.map((r) => r.month), tickRotate: rows.length > 12 ? -45 : 0 },
      y: { label: m.needs, grid: true, nice: true },
      marks: [
        Plot.barY(rows, { x: 'month', y: 'count', fill: fill(id, 0), stroke: '#222', strokeWidth: 1, insetLeft: 2, insetRight: 2 }),
        Plot.text(rows, { x: 'month', y: 'count', text: 'text', dy: -7, fontSize: 11, fill: '#000' }),
        Plot.ruleY([0], { stroke: '#222' }),
      ],
    });
    charts.push({
      id,
      title,
      description,
      svg: finish(svg, id, title, description),
      table: table(m.tableCaption(title), [m.month, m.needs], report.needsByMonth.map((row) => [f.month(row.key), f.number(row.count)])),
    });
  }

  const countChart = (id: ChartId, counts: readonly Count<string | null>[], name: (key: string | null) => string, title: string, description: string, column: string): void => {
    const rows = capped(counts.map((row) => ({ label: name(row.key), count: row.count })), m).map((row) => ({
      label: row.label,
      value: row.count,
      text: f.number(row.count),
      pattern: 0,
    }));
    const svg = horizontalBars(document, id, rows, m.needs);
    charts.push({
      id,
      title,
      description,
      svg: finish(svg, id, title, description),
      table: table(m.tableCaption(title), [column, m.needs], counts.map((row) => [name(row.key), f.number(row.count)])),
    });
  };

  countChart(
    'needs-by-sector',
    report.needsBySector,
    (key) => sectorName(key, lang, m),
    m.charts.needsBySector.title,
    m.charts.needsBySector.description(report.needsBySector.length),
    m.sector,
  );
  countChart(
    'needs-by-city',
    report.needsByCity,
    (key) => key ?? m.unspecified,
    m.charts.needsByCity.title,
    m.charts.needsByCity.description(report.needsByCity.length),
    m.city,
  );

  // The funnel: one bar per step, each with its own pattern, count and share of shown.
  {
    const id: ChartId = 'funnel';
    const title = m.charts.funnel.title;
    const description = m.charts.funnel.description(report.totals.matchesShown, report.totals.agreed);
    const rows = report.funnel.map((row) => ({
      label: m.steps[row.step],
      value: row.count,
      text: `${f.number(row.count)} (${f.percent(row.shareOfShown)})`,
      pattern: FUNNEL_STEPS.indexOf(row.step as FunnelStep),
    }));
    charts.push({
      id,
      title,
      description,
      svg: finish(horizontalBars(document, id, rows, m.count), id, title, description),
      table: table(
        m.tableCaption(title),
        [m.step, m.count, m.share],
        report.funnel.map((row) => [m.steps[row.step], f.number(row.count), f.percent(row.shareOfShown)]),
      ),
    });
  }

  // Which sectors convert: agreement rate per need sector, the counts beside each bar.
  {
    const id: ChartId = 'sector-conversion';
    const title = m.charts.sectorConversion.title;
    const description = m.charts.sectorConversion.description(report.sectorConversion.length);
    const shown = report.sectorConversion.slice(0, MAX_BARS);
    const rows = shown.map((row) => ({
      label: sectorName(row.sector, lang, m),
      value: row.rate,
      text: `${f.percent(row.rate)} (${f.number(row.agreed)}/${f.number(row.shown)})`,
      pattern: 3,
    }));
    charts.push({
      id,
      title,
      description,
      svg: finish(horizontalBars(document, id, rows, m.rate, { percent: true }), id, title, description),
      table: table(
        m.tableCaption(title),
        [m.sector, m.steps.shown, m.steps.contacted, m.steps.met, m.steps.agreed, m.rate],
        report.sectorConversion.map((row) => [
          sectorName(row.sector, lang, m),
          f.number(row.shown),
          f.number(row.contacted),
          f.number(row.met),
          f.number(row.agreed),
          f.percent(row.rate),
        ]),
      ),
    });
  }
  return charts;
}

const escapeHtml = escapeXml;

/** A chart as an HTML `<figure>`: the SVG inline, its caption, and the table of its numbers beside it. */
export function renderChartFigure(chart: ReportChart): string {
  const head = chart.table.columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('');
  const body = chart.table.rows
    .map((row) => `<tr>${row.map((cell, i) => (i === 0 ? `<th scope="row">${escapeHtml(cell)}</th>` : `<td>${escapeHtml(cell)}</td>`)).join('')}</tr>`)
    .join('');
  return (
    `<figure class="report-chart" id="chart-${chart.id}" aria-labelledby="chart-${chart.id}-title">` +
    `<figcaption id="chart-${chart.id}-title">${escapeHtml(chart.title)}</figcaption>` +
    `<div class="report-chart-body">${chart.svg}` +
    `<table><caption>${escapeHtml(chart.table.caption)}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>` +
    `</figure>`
  );
}
