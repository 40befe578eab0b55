import type { Company, Match, PartnerNeed } from '@partnermatch/core';
import { stringify } from 'csv-stringify/sync';
import type { Role } from './auth.js';
import type { Catalog } from './catalog.js';
import type { ExplanationSchema } from './schemas.js';
import type { z } from '@hono/zod-openapi';
import { anonymise } from './formats.js';
import type { DecisionStatus, RecordKind } from './store.js';

/** What a caller with `role` may see of a company: readers never get `contact`. */
export function companyFor(company: Company, role: Role): Company {
  return role === 'coordinator' ? company : anonymise(company);
}

export function companySummary(company: Company): { id: string; name: string; municipality?: string } {
  return { id: company.id, name: company.name, ...(company.municipality === undefined ? {} : { municipality: company.municipality }) };
}

export function needSummary(need: PartnerNeed): {
  id: string;
  title: string;
  organization: string;
  city?: string;
  status: 'open' | 'closed';
} {
  return {
    id: need.id,
    title: need.title,
    organization: need.organization,
    ...(need.city === undefined ? {} : { city: need.city }),
    status: need.status,
  };
}

interface MatchFields {
  rank: number;
  score: number;
  parts: Match['parts'];
  explanation?: z.output<typeof ExplanationSchema>;
  decision?: DecisionStatus;
}

export type CompanyMatchView = MatchFields & { company: ReturnType<typeof companySummary> };
export type NeedMatchView = MatchFields & { need: ReturnType<typeof needSummary> };

/** What a match of a query of kind `K` presents: a need's matches are companies, a company's are needs. */
export type MatchViewOf<K extends RecordKind> = K extends 'need' ? CompanyMatchView : NeedMatchView;

/**
 * Presents core matches for one query record of kind `queryKind` (`need` → the matches are
 * companies). Coordinators also see each stored pair's decision.
 */
export function presentMatches<K extends RecordKind>(
  catalog: Catalog,
  queryKind: K,
  queryId: string | undefined,
  matches: readonly Match[],
  role: Role,
): MatchViewOf<K>[] {
  return matches.map((match) => {
    const [needId, companyId] = queryKind === 'need' ? [queryId, match.id] : [match.id, queryId];
    const decision =
      role === 'coordinator' && needId !== undefined && companyId !== undefined ? catalog.findDecision(needId, companyId)?.status : undefined;
    const fields: MatchFields = {
      rank: match.rank,
      score: match.score,
      parts: match.parts,
      // The core's explanation, typed as the (mutable) response schema describes it.
      ...(match.explanation === undefined ? {} : { explanation: match.explanation as z.output<typeof ExplanationSchema> }),
      ...(decision === undefined ? {} : { decision }),
    };
    const view: CompanyMatchView | NeedMatchView =
      queryKind === 'need'
        ? { ...fields, company: companySummary(catalog.get('company', match.id)) }
        : { ...fields, need: needSummary(catalog.get('need', match.id)) };
    return view as MatchViewOf<K>;
  });
}

/** One query of a batch and its presented matches. */
export interface BatchRow {
  readonly queryKind: RecordKind;
  readonly queryId: string;
  readonly matches: readonly (CompanyMatchView | NeedMatchView)[];
}

/** Batch results as CSV, one line per match, with the explanation's one-line summary. */
export function batchToCsv(rows: readonly BatchRow[]): string {
  const needFirst = rows[0]?.queryKind !== 'company';
  const header = needFirst
    ? ['needId', 'rank', 'companyId', 'companyName', 'score', 'tags', 'text', 'cooperation', 'why']
    : ['companyId', 'rank', 'needId', 'needTitle', 'score', 'tags', 'text', 'cooperation', 'why'];
  const lines = rows.flatMap((row) =>
    row.matches.map((match) => {
      const other = 'company' in match ? [match.company.id, match.company.name] : [match.need.id, match.need.title];
      return [
        row.queryId,
        match.rank,
        ...other,
        match.score,
        match.parts.tags,
        match.parts.text,
        match.parts.cooperation,
        match.explanation?.summary ?? '',
      ];
    }),
  );
  return stringify([header, ...lines]);
}
