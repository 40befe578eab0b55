import type { Hono } from 'hono';
import { raw } from 'hono/html';
import { z } from '@hono/zod-openapi';
import type * as Charts from '../report/charts.js';
import { reportMessages } from '../report/i18n.js';
import { csvDownload, writeCsv } from '../csv.js';
import { hasStageHistory, reportFromCatalog, reportRows } from '../report/source.js';
import type { Catalog } from '../catalog.js';
import type { UiLanguage } from './i18n.js';
import { queryParam, render, type WebDeps, type WebEnv } from './context.js';
import { Layout, type View } from './layout.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/**
 * Plot writes a `<style>` element into each chart; the pages' Content-Security-Policy allows
 * no inline style, so it is dropped here and the stylesheet styles `.report-chart svg`.
 */
const withoutStyle = (svg: string): string => svg.replace(/<style[^>]*>[\s\S]*?<\/style>/g, '');

/**
 * The chart renderer, loaded by the first report page rather than at every start: it brings
 * Plot, d3 and a DOM (linkedom), a third of a second that no other page needs.
 */
let charts: Promise<typeof Charts> | undefined;
const loadCharts = (): Promise<typeof Charts> => (charts ??= import('../report/charts.js'));

/** The charts last drawn for each catalog, by report (one per generation and period) and language. */
const drawn = new WeakMap<Catalog, { report: object; html: Map<UiLanguage, string> }>();

/** The report's charts as figures (SVG and the table beside each), drawn once per report and language. */
function chartsHtml(draw: typeof Charts, catalog: Catalog, period: { from?: string; to?: string }, lang: UiLanguage): string {
  const { renderChartFigure, renderReportCharts } = draw;
  const report = reportFromCatalog(catalog, period);
  let last = drawn.get(catalog);
  if (last?.report !== report) drawn.set(catalog, (last = { report, html: new Map() }));
  let html = last.html.get(lang);
  if (html === undefined) {
    html = renderReportCharts(report, lang)
      .map((chart) => renderChartFigure({ ...chart, svg: withoutStyle(chart.svg) }))
      .join('');
    last.html.set(lang, html);
  }
  return html;
}

function ReportPage(props: { v: View; deps: WebDeps; from: string | undefined; to: string | undefined; draw: typeof Charts }) {
  const { v, deps, from, to, draw } = props;
  const m = reportMessages(v.lang);
  const charts = chartsHtml(draw, deps.catalog, { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) }, v.lang);
  const query = new URLSearchParams({ format: 'csv', ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) });
  return (
    <Layout v={v} title={m.page.title} section="report">
      <div class="page-head">
        <h1>{m.page.title}</h1>
        <div class="actions">
          <a class="button" href={`/ui/report.csv?${query.toString()}`} download>
            {m.page.download}
          </a>
        </div>
      </div>
      <p>{m.page.intro}</p>
      <p>{m.page.stagesSource(hasStageHistory(deps.catalog))}</p>
      <form method="get" action="/ui/report" class="panel filters">
        <label for="r-from">{m.page.from}</label>
        <input id="r-from" name="from" type="date" value={from ?? ''} />
        <label for="r-to">{m.page.to}</label>
        <input id="r-to" name="to" type="date" value={to ?? ''} />
        <button type="submit">{m.page.show}</button>
      </form>
      <div class="report">{raw(charts)}</div>
    </Layout>
  );
}

/** `/ui/report`: the programme report's charts (server-rendered SVG, numbers beside each), and its CSV. */
export function registerReportPages(web: Hono<WebEnv>, deps: WebDeps): void {
  web.get('/report', async (c) => {
    const from = queryParam(c, 'from', day);
    const to = queryParam(c, 'to', day);
    const draw = await loadCharts();
    return render(c, <ReportPage v={c.get('view')} deps={deps} from={from} to={to} draw={draw} />);
  });
  web.get('/report.csv', (c) => {
    const from = queryParam(c, 'from', day);
    const to = queryParam(c, 'to', day);
    const report = reportFromCatalog(deps.catalog, { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) });
    return csvDownload(c, 'report.csv', writeCsv(reportRows(report), { bom: true }));
  });
}
