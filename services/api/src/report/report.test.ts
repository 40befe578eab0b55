import { DOMParser } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { aggregateReport, stagesFromDecisions, type ReportInput, type StageChange } from './aggregate.js';
import { renderChartFigure, renderReportCharts } from './charts.js';

const needs = [
  { id: 'n1', city: 'Kunming', sectors: ['environment.wastewater'], createdAt: '2026-01-10T08:00:00Z' },
  { id: 'n2', city: 'Kunming', sectors: ['energy.solar', 'energy.storage'], createdAt: '2026-01-20T08:00:00Z' },
  { id: 'n3', city: 'Dali', sectors: ['energy.wind', 'environment.water'], createdAt: '2026-03-05T08:00:00Z' },
  { id: 'n4', createdAt: '2026-03-06T08:00:00Z' },
];
const companies = [
  { id: 'c1', municipality: 'Karlskrona' },
  { id: 'c2', municipality: 'Karlskrona' },
  { id: 'c3', municipality: 'Ronneby' },
  { id: 'c4' },
];
const stages: StageChange[] = [
  { needId: 'n1', companyId: 'c1', stage: 'contacted', at: '2026-01-12T10:00:00Z' },
  { needId: 'n1', companyId: 'c1', stage: 'meeting', at: '2026-02-01T10:00:00Z' },
  { needId: 'n1', companyId: 'c1', stage: 'agreed', at: '2026-02-20T10:00:00Z' },
  { needId: 'n1', companyId: 'c2', stage: 'contacted', at: '2026-01-13T10:00:00Z' },
  { needId: 'n1', companyId: 'c2', stage: 'declined', at: '2026-01-30T10:00:00Z' },
  // Today's single status: an agreement with nothing before it counts as contacted and met too.
  ...stagesFromDecisions([{ needId: 'n2', companyId: 'c3', status: 'agreed', updatedAt: '2026-03-01T10:00:00Z' }]),
  { needId: 'n3', companyId: 'c3', stage: 'negotiating', at: '2026-03-10T10:00:00Z' },
  { needId: 'n3', companyId: 'c3', stage: 'no-deal', at: '2026-03-20T10:00:00Z' },
];
const shown = [
  { needId: 'n1', companyId: 'c1' },
  { needId: 'n1', companyId: 'c3' },
  { needId: 'n3', companyId: 'c1' },
  { needId: 'n4', companyId: 'c4', at: '2026-03-07T10:00:00Z' },
];
const input: ReportInput = { needs, companies, shown, stages };

describe('aggregateReport', () => {
  const report = aggregateReport(input);

  it('counts needs by month (gaps included), root sector and city', () => {
    expect(report.needsByMonth).toEqual([
      { key: '2026-01', count: 2 },
      { key: '2026-02', count: 0 },
      { key: '2026-03', count: 2 },
    ]);
    expect(report.needsBySector).toEqual([
      { key: 'energy', count: 2 },
      { key: 'environment', count: 2 },
      { key: null, count: 1 },
    ]);
    expect(report.needsByCity).toEqual([
      { key: 'Kunming', count: 2 },
      { key: 'Dali', count: 1 },
      { key: null, count: 1 },
    ]);
    expect(report.companiesByMunicipality[0]).toEqual({ key: 'Karlskrona', count: 2 });
  });

  it('builds the funnel from the furthest stage of each pair', () => {
    // Pairs: n1-c1 agreed, n1-c2 contacted then declined, n2-c3 agreed, n3-c3 negotiating, n1-c3, n3-c1, n4-c4 shown only.
    expect(report.totals).toMatchObject({ needs: 4, companies: 4, matchesShown: 7, contacted: 4, met: 3, agreed: 2, declined: 1, noDeal: 1 });
    expect(report.funnel.map((r) => [r.step, r.count])).toEqual([
      ['shown', 7],
      ['contacted', 4],
      ['met', 3],
      ['agreed', 2],
    ]);
    expect(report.funnel[3]!.shareOfShown).toBeCloseTo(2 / 7, 12);
  });

  it('says which sectors convert, best rate first', () => {
    // environment: n1 (3 pairs, 1 agreed) and n3 (2 pairs); energy: n2 (1 agreed) and n3.
    expect(report.sectorConversion.map((r) => [r.sector, r.shown, r.agreed])).toEqual([
      ['energy', 3, 1],
      ['environment', 5, 1],
      [null, 1, 0],
    ]);
  });

  it('dates each step of the activity at the first time a pair reached it', () => {
    const feb = report.activityByMonth.find((r) => r.month === '2026-02');
    expect(feb).toEqual({ month: '2026-02', needs: 0, contacted: 0, met: 1, agreed: 1 });
  });

  it('keeps to a period', () => {
    const march = aggregateReport({ ...input, from: '2026-03-01', to: '2026-04-01' });
    expect(march.totals.needs).toBe(2);
    // n2-c3 agreed on 1 March, n3-c3, and the shown pairs that carry no date.
    expect(march.totals.agreed).toBe(1);
  });

  it('names a bad date by its list, index and field', () => {
    expect(() => aggregateReport({ ...input, stages: [{ ...stages[0]!, at: 'yesterday' }] })).toThrow(/stages\[0\]\.at/);
    expect(() => aggregateReport({ ...input, needs: [{ id: 'x', createdAt: '' }] })).toThrow(/needs\[0\]\.createdAt/);
  });
});

const parse = (svg: string) => new DOMParser().parseFromString(svg, 'image/svg+xml');

describe('renderReportCharts', () => {
  const report = aggregateReport(input);

  it('renders five parseable SVG charts, each with a title, a description and a table of its numbers', () => {
    const charts = renderReportCharts(report, 'en');
    expect(charts.map((c) => c.id)).toEqual(['needs-by-month', 'needs-by-sector', 'needs-by-city', 'funnel', 'sector-conversion']);
    for (const chart of charts) {
      const doc = parse(chart.svg);
      const svg = doc.querySelector('svg')!;
      expect(svg.getAttribute('xmlns')).toBe('http://www.w3.org/2000/svg');
      expect(svg.getAttribute('role')).toBe('img');
      expect(doc.querySelector('title')!.textContent).toBe(chart.title);
      expect(doc.querySelector('desc')!.textContent).toBe(chart.description);
      expect(chart.table.rows.length).toBeGreaterThan(0);
      for (const row of chart.table.rows) expect(row.length).toBe(chart.table.columns.length);
    }
  });

  it('writes each bar number beside its bar and fills bars with patterns it defines, not colour alone', () => {
    const funnel = renderReportCharts(report, 'en').find((c) => c.id === 'funnel')!;
    const doc = parse(funnel.svg);
    const bars = [...doc.querySelectorAll('rect')].filter((r) => (r.getAttribute('fill') ?? '').startsWith('url(#pm-funnel-'));
    expect(bars).toHaveLength(4);
    const patterns = new Set(bars.map((b) => b.getAttribute('fill')));
    expect(patterns.size).toBe(4);
    for (const fill of patterns) expect(doc.querySelector(`pattern[id="${fill!.slice(5, -1)}"]`)).not.toBeNull();
    const texts = [...doc.querySelectorAll('text')].map((t) => t.textContent);
    expect(texts).toEqual(expect.arrayContaining(['7 (100%)', '4 (57.1%)', '3 (42.9%)', '2 (28.6%)']));
    expect(texts).toEqual(expect.arrayContaining(['Matches shown', 'Contacted', 'Met', 'Agreed']));

    const months = parse(renderReportCharts(report, 'en')[0]!.svg);
    // A fill shared by every bar sits on the bars' group.
    type Node = { getAttribute(name: string): string | null; parentElement: Node | null };
    const filled = (el: Node | null): string | null => (el === null ? null : (el.getAttribute('fill') ?? filled(el.parentElement)));
    const monthBars = [...months.querySelectorAll('rect')].filter((r) => filled(r as unknown as Node) === 'url(#pm-needs-by-month-hatch)');
    expect(monthBars).toHaveLength(3);
    expect(months.querySelector('pattern[id="pm-needs-by-month-hatch"]')).not.toBeNull();
    expect([...months.querySelectorAll('text')].map((t) => t.textContent)).toEqual(expect.arrayContaining(['2', '0']));
  });

  it('speaks Swedish and Chinese: titles, step names, sector labels and month names', () => {
    const sv = renderReportCharts(report, 'sv');
    const zh = renderReportCharts(report, 'zh');
    expect(sv.find((c) => c.id === 'funnel')!.title).toBe('Från matchning till avtal');
    expect(zh.find((c) => c.id === 'funnel')!.title).toBe('从匹配到签约');
    const zhSectors = [...parse(zh.find((c) => c.id === 'needs-by-sector')!.svg).querySelectorAll('text')].map((t) => t.textContent);
    expect(zhSectors).toEqual(expect.arrayContaining(['能源', '环境', '未注明']));
    const svFunnel = [...parse(sv.find((c) => c.id === 'funnel')!.svg).querySelectorAll('text')].map((t) => t.textContent);
    expect(svFunnel).toEqual(expect.arrayContaining(['Kontaktade', 'Avtal']));
    expect(sv[0]!.table.rows[0]![0]).toBe(new Intl.DateTimeFormat('sv', { year: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date('2026-01-01T00:00:00Z')));
  });

  it('renders an empty report without failing', () => {
    const empty = aggregateReport({ needs: [], companies: [], stages: [] });
    for (const chart of renderReportCharts(empty, 'en')) expect(parse(chart.svg).querySelector('svg')).not.toBeNull();
  });

  it('puts the table beside the chart in a figure, escaping text', () => {
    const chart = renderReportCharts(aggregateReport({ ...input, needs: [{ id: 'x', city: '<b>Kunming</b>', createdAt: '2026-01-01T00:00:00Z' }] }), 'en')[2]!;
    const html = renderChartFigure(chart);
    expect(html).toContain('&lt;b&gt;Kunming&lt;/b&gt;');
    expect(html).not.toContain('<b>Kunming</b>');
    expect(html).toMatch(/<figure[^>]*>.*<svg.*<\/svg><table><caption>/s);
  });
});
