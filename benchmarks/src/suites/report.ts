import { aggregateReport, DECISION_STAGES, renderReportCharts, type ShownMatch, type StageChange } from '@partnermatch/api';
import { createRandom } from '../corpus.js';
import { time } from '../measure.js';
import type { Corpus } from '../settings.js';

/** The programme report (issue 13) at the target's size: aggregation plus every chart. */
export interface ReportResult {
  readonly companies: number;
  readonly needs: number;
  readonly stageChanges: number;
  readonly shown: number;
  readonly aggregateP50Ms: number;
  /** Aggregation and the five SVG charts in one language; the target is ≤ 300 ms. */
  readonly renderP50Ms: number;
  readonly renderP99Ms: number;
  readonly samples: number;
}

const STAGE_CHANGES = 50_000;

/**
 * Seeded activity over the corpus: 10 matches shown per need, and stage histories that walk
 * the funnel (each step taken by about half the pairs that reached the one before), spread
 * over a year, until 50,000 stage changes.
 */
function activity(corpus: Corpus): { shown: ShownMatch[]; stages: StageChange[] } {
  const random = createRandom(corpus.seed + 13);
  const shown: ShownMatch[] = [];
  const stages: StageChange[] = [];
  const day = 86_400_000;
  const start = Date.UTC(2026, 0, 1);
  const progress = ['suggested', 'contacted', 'meeting', 'negotiating', 'agreed'] as const;
  while (stages.length < STAGE_CHANGES) {
    const needId = corpus.needs[random.int(corpus.needs.length)]!.id;
    const companyId = corpus.companies[random.int(corpus.companies.length)]!.id;
    let at = start + random.int(330) * day;
    shown.push({ needId, companyId, at: new Date(at).toISOString() });
    for (const stage of progress) {
      stages.push({ needId, companyId, stage, at: new Date(at).toISOString() });
      if (random.next() < 0.5) {
        if (stage !== 'suggested') stages.push({ needId, companyId, stage: random.chance(0.5) ? 'declined' : 'no-deal', at: new Date(at + day).toISOString() });
        break;
      }
      at += (1 + random.int(20)) * day;
    }
  }
  if (!stages.every((s) => (DECISION_STAGES as readonly string[]).includes(s.stage))) throw new Error('unknown stage generated');
  return { shown, stages: stages.slice(0, STAGE_CHANGES) };
}

export async function runReport(corpus: Corpus): Promise<ReportResult> {
  const { shown, stages } = activity(corpus);
  const needs = corpus.needs.map((need, i) => ({
    id: need.id,
    ...(need.city === undefined ? {} : { city: need.city }),
    ...(need.sectors === undefined ? {} : { sectors: need.sectors }),
    createdAt: new Date(Date.UTC(2026, 0, 1) + (i % 365) * 86_400_000).toISOString(),
  }));
  const input = { needs, companies: corpus.companies, shown, stages };
  const budget = { ms: 3_000, minSamples: 10, maxSamples: 200 };
  const aggregate = await time('report aggregate', () => void aggregateReport(input), budget);
  let lang = 0;
  const languages = ['en', 'sv', 'zh'] as const;
  const render = await time('report render', () => void renderReportCharts(aggregateReport(input), languages[lang++ % 3]!), budget);
  return {
    companies: corpus.companies.length,
    needs: needs.length,
    stageChanges: stages.length,
    shown: shown.length,
    aggregateP50Ms: aggregate.p50Ms,
    renderP50Ms: render.p50Ms,
    renderP99Ms: render.p99Ms,
    samples: render.samples,
  };
}

export function reportTable(result: ReportResult): string {
  return [
    '| companies | needs | stage changes | shown | aggregate p50 | aggregate + 5 charts p50 / p99 (target ≤ 300 ms) |',
    '|---:|---:|---:|---:|---:|---:|',
    `| ${result.companies.toLocaleString('en-US')} | ${result.needs.toLocaleString('en-US')} | ${result.stageChanges.toLocaleString('en-US')} | ${result.shown.toLocaleString('en-US')} | ${result.aggregateP50Ms.toFixed(1)} ms | ${result.renderP50Ms.toFixed(1)} / ${result.renderP99Ms.toFixed(1)} ms |`,
  ].join('\n');
}
