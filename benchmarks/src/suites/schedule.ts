/**
 * Meeting programmes (issue 11): time and optimality gap of `scheduleEvent` from 20 to 300
 * companies, the LP-based scheduler beside the slot-repair heuristic and the greedy
 * baseline (best weight first, first free slot). Each event is generated from the seeded
 * corpus: organisations hold two needs each, participants have maximum meetings, some are
 * away for a few slots, some pairs were requested (accepted or declined).
 *
 * Standalone: `node benchmarks/dist/suites/schedule.js [--quick]` after `npm run bench` built it,
 * or `npm run bench -- --only-schedule`.
 */
import { fileURLToPath } from 'node:url';
import { createMatcher, scheduleEvent, type EventInput, type Matcher, type PartnerNeed, type Programme, type ScheduleMethod } from '@partnermatch/core';
import { createRandom, DEFAULT_SEED, generateCompanies, generateNeeds } from '../corpus.js';
import { median } from '../measure.js';

export interface ScheduleShape {
  readonly companies: number;
  readonly organizations: number;
  readonly slots: number;
  readonly tables: number;
  readonly interpreters: number;
}

export interface ScheduleRow extends ScheduleShape {
  readonly method: Exclude<ScheduleMethod, 'auto'>;
  readonly candidates: number;
  readonly meetings: number;
  readonly objective: number;
  readonly bound: number;
  /** objective / bound. */
  readonly ratio: number;
  /** Median wall time of `scheduleEvent` (scores, solve, slots, tables), ms; the matcher is built beforehand. */
  readonly medianMs: number;
  readonly runs: number;
}

export interface ScheduleResult {
  readonly rows: readonly ScheduleRow[];
  /** The issue's target: 300 × 80 × 24 slots × 30 tables in ≤ 5 s with objective ≥ 98 % of the bound. */
  readonly target: { readonly met: boolean; readonly ms: number | null; readonly ratio: number | null };
}

/** The issue's largest event, and smaller ones of the same proportions. */
export function shapes(quick: boolean): ScheduleShape[] {
  const sizes = quick ? [20, 100, 300] : [20, 50, 100, 200, 300];
  return sizes.map((companies) => {
    const tables = Math.max(2, Math.round(companies / 10));
    return { companies, organizations: Math.max(4, Math.round((companies * 80) / 300)), slots: 24, tables, interpreters: Math.max(1, Math.round(tables / 5)) };
  });
}

/** A seeded event and its data: needs regrouped so each organisation has two. */
export function scheduleCorpus(shape: ScheduleShape, seed = DEFAULT_SEED): { matcher: Matcher; needs: PartnerNeed[]; event: EventInput } {
  const random = createRandom(seed ^ shape.companies);
  const companies = generateCompanies(shape.companies, seed);
  const raw = generateNeeds(shape.organizations * 2, seed);
  const names = raw.slice(0, shape.organizations).map((n) => n.organization);
  const needs = raw.map((need, i) => ({ ...need, organization: names[i % shape.organizations]! }));
  const matcher = createMatcher({ companies, needs });
  const slots = Array.from({ length: shape.slots }, (_, i) => {
    // Two days of twelve 25-minute slots, 5 minutes apart, lunch after the sixth.
    const day = 12 + Math.floor(i / 12);
    const minutes = 9 * 60 + (i % 12) * 30 + (i % 12 >= 6 ? 60 : 0);
    const at = (m: number) => `2027-05-${day}T${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
    return { id: `d${day}-${String((i % 12) + 1).padStart(2, '0')}`, start: at(minutes), end: at(minutes + 25) };
  });
  const away = () => (random.chance(0.15) ? [...new Set(Array.from({ length: 1 + random.int(4) }, () => random.pick(slots).id))] : []);
  const requests: EventInput['requests'] = [];
  for (const company of companies) {
    if (!random.chance(0.1)) continue;
    const top = matcher.rankNeeds(company.id, { limit: 3, explain: false });
    for (const match of top) requests.push({ companyId: company.id, needId: match.id, status: random.chance(0.8) ? 'accepted' : 'declined' });
  }
  const event: EventInput = {
    id: `bench-${shape.companies}`,
    name: `Benchmark fair, ${shape.companies} companies`,
    timeZone: 'Asia/Shanghai',
    slots,
    tables: shape.tables,
    interpreters: shape.interpreters,
    companies: companies.map((c) => ({ id: c.id, unavailable: away(), maxMeetings: 6 + random.int(5) })),
    organizations: names.map((name) => ({ name, unavailable: away(), maxMeetings: 12 + random.int(9) })),
    requests,
  };
  return { matcher, needs, event };
}

export async function runSchedule(quick: boolean, log: (line: string) => void = () => undefined): Promise<ScheduleResult> {
  const rows: ScheduleRow[] = [];
  const runs = quick ? 1 : 3;
  for (const shape of shapes(quick)) {
    const { matcher, needs, event } = scheduleCorpus(shape);
    // The first call loads HiGHS's WebAssembly (~0.1–1 s), which a long-running service pays once.
    await scheduleEvent(matcher, event, { needs, method: 'lp' });
    for (const method of ['lp', 'heuristic', 'greedy'] as const) {
      const times: number[] = [];
      let programme: Programme | undefined;
      for (let i = 0; i < runs; i += 1) {
        const started = performance.now();
        programme = await scheduleEvent(matcher, event, { needs, method });
        times.push(performance.now() - started);
      }
      const p = programme!;
      const row: ScheduleRow = {
        ...shape, method, candidates: p.stats.candidates, meetings: p.meetings.length, objective: p.objective, bound: p.bound,
        ratio: p.bound > 0 ? p.objective / p.bound : 1, medianMs: Math.round(median(times)), runs,
      };
      rows.push(row);
      log(`  schedule ${shape.companies}×${shape.organizations}: ${method} ${row.meetings} meetings, ${(row.ratio * 100).toFixed(2)} % of the bound (${p.boundSource}), ${row.medianMs} ms`);
    }
  }
  const big = rows.find((r) => r.companies === 300 && r.method === 'lp');
  return {
    rows,
    target: { met: big !== undefined && big.medianMs <= 5_000 && big.ratio >= 0.98, ms: big?.medianMs ?? null, ratio: big?.ratio ?? null },
  };
}

export function scheduleTable(result: ScheduleResult): string {
  const lines = [
    '| companies × orgs × slots × tables | method | candidates | meetings | objective | own bound | % of own bound | % of LP bound | time |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of result.rows) {
    const lp = result.rows.find((x) => x.companies === r.companies && x.method === 'lp');
    const ofLp = lp === undefined || lp.bound === 0 ? '—' : `${((r.objective / lp.bound) * 100).toFixed(2)} %`;
    lines.push(
      `| ${r.companies} × ${r.organizations} × ${r.slots} × ${r.tables} | ${r.method === 'lp' ? 'LP (HiGHS) + slots' : r.method === 'heuristic' ? 'heuristic + slot repairs' : 'greedy baseline'} | ${r.candidates} | ${r.meetings} | ${r.objective.toFixed(2)} | ${r.bound.toFixed(2)} | ${(r.ratio * 100).toFixed(2)} % | ${ofLp} | ${(r.medianMs / 1000).toFixed(2)} s |`,
    );
  }
  const t = result.target;
  lines.push('', `Target (300 × 80 × 24 × 30 in ≤ 5 s, ≥ 98 % of the bound): ${t.met ? 'met' : 'missed'} (${t.ms === null ? '—' : `${(t.ms / 1000).toFixed(2)} s`}, ${t.ratio === null ? '—' : `${(t.ratio * 100).toFixed(2)} %`}).`);
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const quick = process.argv.includes('--quick');
  const result = await runSchedule(quick, (line) => console.error(line));
  console.log(scheduleTable(result));
}
