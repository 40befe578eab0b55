import { writeCsv, type CsvCell, type CsvWriteOptions } from '../io/csv.js';
import type { BatchResult, Match } from '../matcher.js';
import type { Explanation } from '../scoring/explanation.js';

/** What was ranked: companies for needs (the usual way), or open needs for companies. */
export type RankDirection = 'companies' | 'needs';

/** One match with both ids named, whichever way it was ranked: the one match shape. */
export interface ResultMatch {
  readonly needId: string;
  readonly companyId: string;
  readonly rank: number;
  readonly score: number;
  readonly parts: Match['parts'];
  readonly explanation?: Explanation;
}

/** The match without its deprecated `id` alias: both ids named, the one match shape. */
export function resultMatch(match: Match): ResultMatch {
  return {
    needId: match.needId,
    companyId: match.companyId,
    rank: match.rank,
    score: match.score,
    parts: match.parts,
    ...(match.explanation === undefined ? {} : { explanation: match.explanation }),
  };
}

/**
 * One query's entry of the JSON output (the CLI's contract): `{ needId, asOf?, matches: [{ companyId,
 * rank, score, explanation? }] }`, with `companyId` and `needId` swapped for `needs`; `asOf` is the
 * day deadlines were judged against.
 */
export function resultEntry(result: BatchResult, direction: RankDirection, explain: boolean): Record<string, unknown> {
  const [queryKey, matchKey] = direction === 'companies' ? (['needId', 'companyId'] as const) : (['companyId', 'needId'] as const);
  return {
    [queryKey]: result.queryId,
    ...(result.asOf === undefined ? {} : { asOf: result.asOf }),
    matches: result.matches.map((match) => {
      const full = resultMatch(match);
      return {
        [matchKey]: full[matchKey],
        rank: full.rank,
        score: full.score,
        ...(explain && full.explanation !== undefined ? { explanation: full.explanation } : {}),
      };
    }),
  };
}

/** Names shown beside ids; unknown ids get empty cells. */
export interface RecordNames {
  company(id: string): { readonly name: string; readonly municipality?: string | undefined } | undefined;
  need(id: string): { readonly title: string; readonly organization?: string | undefined } | undefined;
}

/** Items once each, in first-seen order. */
function unique(items: Iterable<string>): string[] {
  return [...new Set(items)];
}

/** The evidence of an explanation as short cells, each phrase pair and tag once. */
export function evidenceCells(explanation: Explanation | undefined): { sharedSectors: string; matchedPhrases: string; partnershipTypes: string } {
  if (explanation === undefined) return { sharedSectors: '', matchedPhrases: '', partnershipTypes: '' };
  return {
    sharedSectors: unique(explanation.tags.map((tag) => (tag.needTag === tag.companyTag ? tag.needTag : `${tag.needTag} ~ ${tag.companyTag}`))).join('; '),
    matchedPhrases: unique(
      explanation.terms.map((term) => `${term.needPhrases[0] ?? term.label} ↔ ${term.companyPhrases[0] ?? term.label}`),
    ).join('; '),
    partnershipTypes: unique(explanation.cooperation.shared).join('; '),
  };
}

const SCORE_COLUMNS = ['score', 'tags', 'text', 'cooperation'] as const;
// Like the web shortlist: the evidence once, in its own columns (the one-line summary would repeat it).
const EVIDENCE_COLUMNS = ['sharedSectors', 'matchedPhrases', 'partnershipTypes'] as const;

/** The CSV header of results ranked in `direction`; evidence columns only with `explain`. */
export function resultCsvHeader(direction: RankDirection, explain: boolean): string[] {
  const query = direction === 'companies' ? ['needId', 'needTitle'] : ['companyId', 'companyName'];
  const match = direction === 'companies' ? ['companyId', 'companyName', 'municipality'] : ['needId', 'needTitle', 'organization'];
  // asOf last: the day deadlines were judged against, so a spreadsheet of a run says which day it is of.
  return [...query, 'rank', ...match, ...SCORE_COLUMNS, ...(explain ? EVIDENCE_COLUMNS : []), 'asOf'];
}

/** One CSV row per match, in {@link resultCsvHeader}'s order. */
export function resultCsvRows(result: BatchResult, direction: RankDirection, explain: boolean, names: RecordNames): CsvCell[][] {
  const queryName = direction === 'companies' ? (names.need(result.queryId)?.title ?? '') : (names.company(result.queryId)?.name ?? '');
  return result.matches.map((match) => {
    let other: CsvCell[];
    if (direction === 'companies') {
      const company = names.company(match.id);
      other = [match.id, company?.name ?? '', company?.municipality ?? ''];
    } else {
      const need = names.need(match.id);
      other = [match.id, need?.title ?? '', need?.organization ?? ''];
    }
    const evidence = evidenceCells(match.explanation);
    return [
      result.queryId,
      queryName,
      match.rank,
      ...other,
      match.score,
      match.parts.tags,
      match.parts.text,
      match.parts.cooperation,
      ...(explain ? EVIDENCE_COLUMNS.map((column) => evidence[column]) : []),
      result.asOf ?? '',
    ];
  });
}

export type ResultFormat = 'json' | 'ndjson' | 'csv';

export interface ResultOutputOptions extends CsvWriteOptions {
  readonly direction: RankDirection;
  readonly explain: boolean;
  /** Names beside ids in CSV. */
  readonly names: RecordNames;
}

/**
 * Results as text chunks, one query at a time, so a batch of any size is written as it is
 * ranked. CSV is spreadsheet-ready: a UTF-8 byte-order mark (unless `bom: false`), names
 * beside ids, formula escaping and the chosen delimiter.
 */
export function* formatResults(results: Iterable<BatchResult>, format: ResultFormat, options: ResultOutputOptions): Generator<string, void, undefined> {
  const { direction, explain } = options;
  if (format === 'ndjson') {
    for (const result of results) yield `${JSON.stringify(resultEntry(result, direction, explain))}\n`;
    return;
  }
  if (format === 'json') {
    let first = true;
    for (const result of results) {
      const entry = JSON.stringify(resultEntry(result, direction, explain), null, 2).replace(/^/gm, '  ');
      yield `${first ? '[\n' : ',\n'}${entry}`;
      first = false;
    }
    yield first ? '[]\n' : '\n]\n';
    return;
  }
  const csv = { delimiter: options.delimiter ?? ',' } as const;
  yield writeCsv([resultCsvHeader(direction, explain)], { ...csv, bom: options.bom ?? true });
  for (const result of results) {
    const rows = resultCsvRows(result, direction, explain, options.names);
    if (rows.length > 0) yield writeCsv(rows, csv);
  }
}
