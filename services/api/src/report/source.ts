import type { Catalog } from '../catalog.js';
import { aggregateReport, DECISION_STAGES, stagesFromDecisions, type ProgrammeReport, type StageChange } from './aggregate.js';

const STAGE_LIST = DECISION_STAGES.map((stage) => `'${stage}'`).join(', ');

/** True when the database keeps the follow-up history (`followup_events`), which the report then reads its stages from. */
export function hasStageHistory(catalog: Catalog): boolean {
  return catalog.records.store.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'followup_events'").get() !== undefined;
}

/**
 * Every stage change of the follow-up history with a stage the report knows, oldest first:
 * read straight into the report's shape (50,000 rows are the bulk of a report's time).
 */
function stageHistory(catalog: Catalog): StageChange[] {
  return catalog.records.store.db
    .prepare(`SELECT need_id AS needId, company_id AS companyId, stage, at FROM followup_events WHERE stage IN (${STAGE_LIST}) ORDER BY id`)
    .all() as StageChange[];
}

/** The last report of each catalog, by database generation and period: a report changes only with a write. */
const cached = new WeakMap<Catalog, { key: string; report: ProgrammeReport }>();

/**
 * The report over what the service stores: needs (sectors given or inferred, registered when
 * first stored), companies, and the pairs' stages — from the follow-up history
 * (`followup_events`) when the database has it, else from the decisions' current statuses.
 * Matches shown are not recorded yet, so the funnel's `shown` step counts 0.
 */
export function reportFromCatalog(catalog: Catalog, period: { from?: string; to?: string } = {}): ProgrammeReport {
  // Every write (records, decisions, stage changes) bumps the generation in its transaction.
  const key = JSON.stringify([catalog.records.storedGeneration, period.from ?? null, period.to ?? null]);
  const last = cached.get(catalog);
  if (last?.key === key) return last.report;
  const report = buildReport(catalog, period);
  cached.set(catalog, { key, report });
  return report;
}

function buildReport(catalog: Catalog, period: { from?: string; to?: string }): ProgrammeReport {
  const { records } = catalog;
  const store = records.store;
  const needCreated = store.createdAt('need');
  const needs = [...records.stored('need')].map((need) => ({
    id: need.id,
    ...(need.city === undefined ? {} : { city: need.city }),
    sectors: records.matcher.profile('need', need.id)?.tags.map((t) => t.tag) ?? need.sectors ?? [],
    createdAt: needCreated.get(need.id) ?? new Date(0).toISOString(),
  }));
  const companies = [...records.stored('company')].map((company) => ({
    id: company.id,
    ...(company.municipality === undefined ? {} : { municipality: company.municipality }),
    ...(company.sectors === undefined ? {} : { sectors: company.sectors }),
  }));
  const stages: StageChange[] = hasStageHistory(catalog) ? stageHistory(catalog) : stagesFromDecisions(store.decisions());
  return aggregateReport({
    needs,
    companies,
    stages,
    ...(period.from === undefined ? {} : { from: period.from }),
    ...(period.to === undefined ? {} : { to: period.to }),
  });
}

/** The report as CSV, one count a line: `section,key,measure,value`. */
export function reportRows(report: ProgrammeReport): (string | number)[][] {
  const rows: (string | number)[][] = [['section', 'key', 'measure', 'value']];
  for (const [measure, value] of Object.entries(report.totals)) rows.push(['totals', '', measure, value]);
  for (const { key, count } of report.needsByMonth) rows.push(['needsByMonth', key, 'needs', count]);
  for (const { key, count } of report.needsBySector) rows.push(['needsBySector', key ?? '', 'needs', count]);
  for (const { key, count } of report.needsByCity) rows.push(['needsByCity', key ?? '', 'needs', count]);
  for (const { key, count } of report.companiesByMunicipality) rows.push(['companiesByMunicipality', key ?? '', 'companies', count]);
  for (const { step, count, shareOfShown } of report.funnel) rows.push(['funnel', step, 'pairs', count], ['funnel', step, 'shareOfShown', shareOfShown]);
  for (const { month, ...counts } of report.activityByMonth) {
    for (const [measure, value] of Object.entries(counts)) rows.push(['activityByMonth', month, measure, value]);
  }
  for (const { sector, ...counts } of report.sectorConversion) {
    for (const [measure, value] of Object.entries(counts)) rows.push(['sectorConversion', sector ?? '', measure, value]);
  }
  return rows;
}
