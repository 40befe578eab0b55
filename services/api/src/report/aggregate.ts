import { taxonomy } from '@partnermatch/core';

/**
 * The stages of a need–company pair, in the order a partnership progresses. Today's decision
 * statuses (`contacted`, `agreed`, `declined`) are stages of this list; `suggested` is a
 * match put before someone, `declined` and `no-deal` end a pair without an agreement.
 */
export const DECISION_STAGES = ['suggested', 'contacted', 'meeting', 'negotiating', 'agreed', 'declined', 'no-deal'] as const;
export type DecisionStage = (typeof DECISION_STAGES)[number];

/** One change of a pair's stage; a pair's history is every change with its ids, in any order. */
export interface StageChange {
  readonly needId: string;
  readonly companyId: string;
  readonly stage: DecisionStage;
  /** ISO 8601. */
  readonly at: string;
}

/** A match shown to a coordinator (a ranked list entry that was displayed or exported). */
export interface ShownMatch {
  readonly needId: string;
  readonly companyId: string;
  /** ISO 8601; optional for sources that only know that it was shown. */
  readonly at?: string;
}

/** What the report needs of a need: its sectors and city, and when it came in. */
export interface ReportNeed {
  readonly id: string;
  readonly city?: string;
  /** Given or inferred sector tags; counted by their root sector. */
  readonly sectors?: readonly string[];
  /** When the need was registered, ISO 8601. */
  readonly createdAt: string;
}

export interface ReportCompany {
  readonly id: string;
  readonly municipality?: string;
  readonly sectors?: readonly string[];
}

export interface ReportInput {
  readonly needs: readonly ReportNeed[];
  readonly companies: readonly ReportCompany[];
  readonly shown?: readonly ShownMatch[];
  readonly stages: readonly StageChange[];
  /** Only needs registered, matches shown and stage changes made in [from, to) count; ISO 8601. */
  readonly from?: string;
  readonly to?: string;
}

/** Where a pair got to, cumulatively: an agreed pair was contacted and met. */
export const FUNNEL_STEPS = ['shown', 'contacted', 'met', 'agreed'] as const;
export type FunnelStep = (typeof FUNNEL_STEPS)[number];

export interface Count<K extends string | null = string> {
  readonly key: K;
  readonly count: number;
}

export interface FunnelRow {
  readonly step: FunnelStep;
  readonly count: number;
  /** Of the pairs shown, in [0, 1]; 0 when none were shown. */
  readonly shareOfShown: number;
}

export interface SectorConversion {
  /** A root sector tag, or `null` for needs without sectors. */
  readonly sector: string | null;
  readonly shown: number;
  readonly contacted: number;
  readonly met: number;
  readonly agreed: number;
  /** agreed / shown in [0, 1]; 0 when none were shown. */
  readonly rate: number;
}

export interface MonthActivity {
  readonly month: string;
  readonly needs: number;
  readonly contacted: number;
  readonly met: number;
  readonly agreed: number;
}

/** The programme report: counts only, no contact details and no decision notes. */
export interface ProgrammeReport {
  readonly period: { readonly from: string | null; readonly to: string | null };
  readonly totals: {
    readonly needs: number;
    readonly companies: number;
    readonly matchesShown: number;
    readonly contacted: number;
    readonly met: number;
    readonly agreed: number;
    readonly declined: number;
    readonly noDeal: number;
  };
  /** `YYYY-MM` (UTC) of registration, every month from the first to the last, empty ones included. */
  readonly needsByMonth: readonly Count[];
  /** By root sector, most first, then by tag; `null` key: needs without sectors. */
  readonly needsBySector: readonly Count<string | null>[];
  /** By city, most first, then by name; `null` key: needs without a city. */
  readonly needsByCity: readonly Count<string | null>[];
  /** Companies by municipality, most first; `null` key: without one. */
  readonly companiesByMunicipality: readonly Count<string | null>[];
  readonly funnel: readonly FunnelRow[];
  /** Per month (UTC) of the stage change, pairs reaching each step for the first time. */
  readonly activityByMonth: readonly MonthActivity[];
  /** Per need root sector, best agreement rate first, then most shown, then by tag. */
  readonly sectorConversion: readonly SectorConversion[];
}

/** How far each stage takes a pair along the funnel; endings take it nowhere. */
const PROGRESS: Readonly<Record<DecisionStage, number>> = {
  suggested: 0,
  contacted: 1,
  meeting: 2,
  negotiating: 2,
  agreed: 3,
  declined: -1,
  'no-deal': -1,
};
/** Funnel step index reached at each progress level (shown is 0). */
const STEP_OF_PROGRESS: readonly FunnelStep[] = ['shown', 'contacted', 'met', 'agreed'];

/** Today's single-status decisions as stage changes. */
export function stagesFromDecisions(
  decisions: readonly { readonly needId: string; readonly companyId: string; readonly status: 'contacted' | 'agreed' | 'declined'; readonly updatedAt: string }[],
): StageChange[] {
  return decisions.map((d) => ({ needId: d.needId, companyId: d.companyId, stage: d.status, at: d.updatedAt }));
}

// `2026-03-05T08:00:00Z` and `2026-03-05` name their UTC month in their first 7 characters;
// a time with an offset may fall in another month in UTC.
const UTC_ISO = /^\d{4}-\d{2}(?:-\d{2}(?:T[\d:.]+Z)?)?$/;
const monthOf = (iso: string): string => (UTC_ISO.test(iso) ? iso.slice(0, 7) : new Date(iso).toISOString().slice(0, 7));

function rootOf(tag: string): string {
  const known = taxonomy.get(tag);
  return known === undefined ? tag.split('.')[0]! : (taxonomy.lineage(known.id).at(-1) ?? known.id);
}

function rootsOf(sectors: readonly string[] | undefined): (string | null)[] {
  if (sectors === undefined || sectors.length === 0) return [null];
  return [...new Set(sectors.map(rootOf))].sort();
}

const compareKeys = (a: string | null, b: string | null): number => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1);

function counted<K extends string | null>(counts: Map<K, number>): Count<K>[] {
  return [...counts].map(([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count || compareKeys(a.key, b.key));
}

function bump<K>(map: Map<K, number>, key: K, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

/** Every `YYYY-MM` from `first` to `last`, both included. */
function monthRange(first: string, last: string): string[] {
  const out: string[] = [];
  let [year, month] = first.split('-').map(Number) as [number, number];
  for (;;) {
    const key = `${year}-${String(month).padStart(2, '0')}`;
    out.push(key);
    if (key >= last) return out;
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
}

/** Every date the report reads must parse: a bad one is named by its list, index and field. */
function checkDates(input: ReportInput): void {
  const bad = (value: string | undefined): boolean => value !== undefined && Number.isNaN(Date.parse(value));
  const problems: string[] = [];
  if (bad(input.from)) problems.push(`from: ${JSON.stringify(input.from)} is not a date`);
  if (bad(input.to)) problems.push(`to: ${JSON.stringify(input.to)} is not a date`);
  input.needs.forEach((need, i) => {
    if (typeof need.createdAt !== 'string' || bad(need.createdAt)) problems.push(`needs[${i}].createdAt: ${JSON.stringify(need.createdAt)} is not a date`);
  });
  input.stages.forEach((change, i) => {
    if (typeof change.at !== 'string' || bad(change.at)) problems.push(`stages[${i}].at: ${JSON.stringify(change.at)} is not a date`);
    if (!(DECISION_STAGES as readonly string[]).includes(change.stage)) problems.push(`stages[${i}].stage: unknown stage ${JSON.stringify(change.stage)}`);
  });
  (input.shown ?? []).forEach((shown, i) => {
    if (bad(shown.at)) problems.push(`shown[${i}].at: ${JSON.stringify(shown.at)} is not a date`);
  });
  if (problems.length > 0) throw new RangeError(`invalid report input: ${problems.slice(0, 10).join('; ')}${problems.length > 10 ? ` (and ${problems.length - 10} more)` : ''}`);
}

/**
 * The programme report over needs, companies, matches shown and stage changes: one pass over
 * each list, so 50,000 stage changes take milliseconds. A pair counts at the furthest step
 * it reached (an agreed pair was also contacted and met, even where today's single status
 * recorded only the agreement); a pair with any stage change counts as shown. Its sector is
 * its need's root sector(s); stage changes of pairs whose need is unknown count in the totals
 * and the funnel but in no sector.
 */
export function aggregateReport(input: ReportInput): ProgrammeReport {
  checkDates(input);
  const from = input.from === undefined ? undefined : Date.parse(input.from);
  const to = input.to === undefined ? undefined : Date.parse(input.to);
  const inPeriod = (iso: string | undefined): boolean => {
    if (iso === undefined || (from === undefined && to === undefined)) return true;
    const t = Date.parse(iso);
    return (from === undefined || t >= from) && (to === undefined || t < to);
  };

  const needs = input.needs.filter((need) => inPeriod(need.createdAt));
  const needSectors = new Map(input.needs.map((need) => [need.id, rootsOf(need.sectors)]));

  const byMonth = new Map<string, number>();
  const bySector = new Map<string | null, number>();
  const byCity = new Map<string | null, number>();
  for (const need of needs) {
    bump(byMonth, monthOf(need.createdAt));
    for (const root of rootsOf(need.sectors)) bump(bySector, root);
    bump(byCity, need.city?.trim() || null);
  }
  const byMunicipality = new Map<string | null, number>();
  for (const company of input.companies) bump(byMunicipality, company.municipality ?? null);

  // Per pair: the furthest progress and the first time each level was reached, and endings.
  interface Pair {
    needId: string;
    progress: number;
    firstAt: (string | undefined)[];
    declined: boolean;
    noDeal: boolean;
  }
  // Two levels of maps rather than one keyed by joined ids: no key strings to build and hash.
  const pairsByNeed = new Map<string, Map<string, Pair>>();
  const pairs: Pair[] = [];
  const pairOf = (needId: string, companyId: string): Pair => {
    let ofNeed = pairsByNeed.get(needId);
    if (ofNeed === undefined) pairsByNeed.set(needId, (ofNeed = new Map()));
    let pair = ofNeed.get(companyId);
    if (pair === undefined) {
      ofNeed.set(companyId, (pair = { needId, progress: 0, firstAt: [], declined: false, noDeal: false }));
      pairs.push(pair);
    }
    return pair;
  };
  for (const shown of input.shown ?? []) if (inPeriod(shown.at)) pairOf(shown.needId, shown.companyId);
  for (const change of input.stages) {
    if (!inPeriod(change.at)) continue;
    const pair = pairOf(change.needId, change.companyId);
    const progress = PROGRESS[change.stage];
    if (change.stage === 'declined') pair.declined = true;
    if (change.stage === 'no-deal') pair.noDeal = true;
    for (let level = 1; level <= progress; level += 1) {
      const seen = pair.firstAt[level];
      if (seen === undefined || change.at < seen) pair.firstAt[level] = change.at;
    }
    if (progress > pair.progress) pair.progress = progress;
  }

  const reached = [0, 0, 0, 0];
  let declined = 0;
  let noDeal = 0;
  const conversion = new Map<string | null, number[]>();
  const activity = new Map<string, number[]>();
  for (const pair of pairs) {
    for (let level = 0; level <= pair.progress; level += 1) reached[level]! += 1;
    if (pair.declined) declined += 1;
    if (pair.noDeal) noDeal += 1;
    for (const root of needSectors.get(pair.needId) ?? []) {
      let row = conversion.get(root);
      if (row === undefined) conversion.set(root, (row = [0, 0, 0, 0]));
      for (let level = 0; level <= pair.progress; level += 1) row[level]! += 1;
    }
    for (let level = 1; level <= pair.progress; level += 1) {
      const at = pair.firstAt[level];
      if (at === undefined) continue;
      const month = monthOf(at);
      let row = activity.get(month);
      if (row === undefined) activity.set(month, (row = [0, 0, 0, 0]));
      row[level]! += 1;
    }
  }
  for (const [month, count] of byMonth) {
    let row = activity.get(month);
    if (row === undefined) activity.set(month, (row = [0, 0, 0, 0]));
    row[0] = count;
  }

  const months = [...byMonth.keys()].sort();
  const activityMonths = [...activity.keys()].sort();
  const shown = reached[0]!;
  const share = (count: number): number => (shown === 0 ? 0 : count / shown);
  return {
    period: { from: input.from ?? null, to: input.to ?? null },
    totals: {
      needs: needs.length,
      companies: input.companies.length,
      matchesShown: shown,
      contacted: reached[1]!,
      met: reached[2]!,
      agreed: reached[3]!,
      declined,
      noDeal,
    },
    needsByMonth: months.length === 0 ? [] : monthRange(months[0]!, months.at(-1)!).map((key) => ({ key, count: byMonth.get(key) ?? 0 })),
    needsBySector: counted(bySector),
    needsByCity: counted(byCity),
    companiesByMunicipality: counted(byMunicipality),
    funnel: STEP_OF_PROGRESS.map((step, level) => ({ step, count: reached[level]!, shareOfShown: share(reached[level]!) })),
    activityByMonth:
      activityMonths.length === 0
        ? []
        : monthRange(activityMonths[0]!, activityMonths.at(-1)!).map((month) => {
            const row = activity.get(month) ?? [0, 0, 0, 0];
            return { month, needs: row[0]!, contacted: row[1]!, met: row[2]!, agreed: row[3]! };
          }),
    sectorConversion: [...conversion]
      .map(([sector, [s, c, m, a]]) => ({ sector, shown: s!, contacted: c!, met: m!, agreed: a!, rate: s === 0 ? 0 : a! / s! }))
      .sort((x, y) => y.rate - x.rate || y.shown - x.shown || compareKeys(x.sector, y.sector)),
  };
}
