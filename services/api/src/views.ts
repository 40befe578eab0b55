import type { Company, Explanation, JsonMatch, Match, PartnerNeed } from '@partnermatch/core';
import type { Role } from './auth.js';
import type { Catalog } from './catalog.js';
import type { DecisionStatus, RecordKind } from './store.js';

export { companyFor } from './access.js';

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
  /** Both ids of the pair, as in core's `Match`, whichever way it was ranked. */
  needId: string;
  companyId: string;
  rank: number;
  score: number;
  parts: Match['parts'];
  explanation?: Explanation;
  decision?: DecisionStatus;
}

export type CompanyMatchView = MatchFields & { company: ReturnType<typeof companySummary> };
export type NeedMatchView = MatchFields & { need: ReturnType<typeof needSummary> };

/** What a match of a query of kind `K` presents: a need's matches are companies, a company's are needs. */
export type MatchViewOf<K extends RecordKind> = K extends 'need' ? CompanyMatchView : NeedMatchView;

/**
 * Presents core matches for one query record of kind `queryKind` (`need` → the matches are
 * companies) as anyone may see them: scores, explanation and a summary of the other record
 * (never its contact details), no decisions.
 */
export function summarizeMatches<K extends RecordKind>(catalog: Catalog, queryKind: K, matches: readonly Match[]): MatchViewOf<K>[] {
  return matches.map((match) => {
    const fields: MatchFields = {
      needId: match.needId,
      companyId: match.companyId,
      rank: match.rank,
      score: match.score,
      parts: match.parts,
      ...(match.explanation === undefined ? {} : { explanation: match.explanation }),
    };
    const view: CompanyMatchView | NeedMatchView =
      queryKind === 'need'
        ? { ...fields, company: companySummary(catalog.records.get('company', match.id)) }
        : { ...fields, need: needSummary(catalog.records.get('need', match.id)) };
    return view as MatchViewOf<K>;
  });
}

/**
 * Presented matches as a caller with `role` may see them: coordinators also get each stored
 * pair's decision as it is now; everyone else gets them without decisions and without the
 * pairs declined now (decision data is for coordinators only).
 */
export function forRole<V extends CompanyMatchView | NeedMatchView>(
  catalog: Catalog,
  queryId: string | undefined,
  views: readonly V[],
  role: Role,
): V[] {
  if (queryId === undefined) return [...views];
  if (role !== 'coordinator') {
    // A coordinator's batch may have kept declined pairs: a reader gets them left out, ranked again.
    const kept = views.filter((view) => !catalog.decisions.declined(view.needId, view.companyId));
    return kept.length === views.length ? [...views] : kept.map((view, i) => ({ ...view, rank: i + 1 }));
  }
  return views.map((view) => {
    const decision = catalog.decisions.find(view.needId, view.companyId);
    return decision === undefined ? view : { ...view, decision: decision.status };
  });
}

/** Core matches as a caller with `role` may see them (see {@link summarizeMatches} and {@link forRole}). */
export function presentMatches<K extends RecordKind>(
  catalog: Catalog,
  queryKind: K,
  queryId: string | undefined,
  matches: readonly Match[],
  role: Role,
): MatchViewOf<K>[] {
  return forRole(catalog, queryId, summarizeMatches(catalog, queryKind, matches), role);
}

/**
 * {@link presentMatches} for matches given as JSON text (the ranking thread's), as the text
 * `JSON.stringify` makes of that array: each match's text with the other record's summary
 * (and for coordinators the pair's decision) added at its end. Undefined when a caller who is
 * no coordinator would have a declined pair left out: that answer is made from objects.
 */
export function presentMatchesText(catalog: Catalog, queryKind: RecordKind, queryId: string, matches: readonly JsonMatch[], role: Role): string | undefined {
  const views: string[] = [];
  for (const match of matches) {
    const other =
      queryKind === 'need'
        ? `"company":${JSON.stringify(companySummary(catalog.records.get('company', match.companyId)))}`
        : `"need":${JSON.stringify(needSummary(catalog.records.get('need', match.needId)))}`;
    let decision = '';
    if (role === 'coordinator') {
      const found = catalog.decisions.find(match.needId, match.companyId);
      if (found !== undefined) decision = `,"decision":${JSON.stringify(found.status)}`;
    } else if (catalog.decisions.declined(match.needId, match.companyId)) return undefined;
    views.push(`${match.json.slice(0, -1)},${other}${decision}}`);
  }
  return `[${views.join(',')}]`;
}
