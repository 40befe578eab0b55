import { writeCsv, type CsvCell, type CsvWriteOptions } from '../io/csv.js';
import type { Match } from '../matcher.js';
import type { PartnershipType } from '../schema/records.js';
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

/** The match without its deprecated `id` alias (or a caller's extra fields): both ids named, the one match shape. */
export function resultMatch(match: ResultMatch): ResultMatch {
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
export function resultEntry(result: ResultSet, direction: RankDirection, explain: boolean): Record<string, unknown> {
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
  company(id: string):
    | {
        readonly name: string;
        readonly municipality?: string | undefined;
        /** Read only for the contact columns ({@link ResultTableOptions.contacts}). */
        readonly contact?: { readonly name?: string | undefined; readonly email?: string | undefined; readonly phone?: string | undefined } | undefined;
      }
    | undefined;
  need(id: string): { readonly title: string; readonly organization?: string | undefined } | undefined;
}

/** Words for the evidence cells, e.g. labels in the reader's language; the ids themselves when left out. */
export interface EvidenceLabels {
  sector?(tag: string): string;
  partnership?(type: PartnershipType): string;
}

/** Items once each, in first-seen order. */
function unique(items: Iterable<string>): string[] {
  return [...new Set(items)];
}

/** The evidence of an explanation as short cells, each phrase pair and tag once. */
export function evidenceCells(
  explanation: Explanation | undefined,
  labels: EvidenceLabels = {},
): { sharedSectors: string; matchedPhrases: string; partnershipTypes: string } {
  if (explanation === undefined) return { sharedSectors: '', matchedPhrases: '', partnershipTypes: '' };
  const sector = labels.sector ?? ((tag: string) => tag);
  const partnership = labels.partnership ?? ((type: PartnershipType) => type);
  return {
    sharedSectors: unique(explanation.tags.map((tag) => (tag.needTag === tag.companyTag ? sector(tag.needTag) : `${sector(tag.needTag)} ~ ${sector(tag.companyTag)}`))).join('; '),
    matchedPhrases: unique(
      explanation.terms.map((term) => `${term.needPhrases[0] ?? term.label} ↔ ${term.companyPhrases[0] ?? term.label}`),
    ).join('; '),
    partnershipTypes: unique(explanation.cooperation.shared.map(partnership)).join('; '),
  };
}

/** Every column a results table may have; {@link resultColumns} says which a table has, in order. */
export type ResultColumn =
  | 'needId'
  | 'needTitle'
  | 'organization'
  | 'companyId'
  | 'companyName'
  | 'municipality'
  | 'rank'
  | 'score'
  | 'tags'
  | 'text'
  | 'cooperation'
  | 'sharedSectors'
  | 'matchedPhrases'
  | 'partnershipTypes'
  | 'why'
  | 'decision'
  | 'contactName'
  | 'contactEmail'
  | 'contactPhone'
  | 'asOf';

/** One match as a table row: a cell per column; a column the table lacks is absent. */
export type ResultRow = { readonly [C in ResultColumn]?: CsvCell };

/** One query's ranked matches, from the matcher (`BatchResult`) or a caller's stored views of them. */
export interface ResultSet<M extends ResultMatch = ResultMatch> {
  /** The need (ranking `companies`) or company (ranking `needs`) the matches were ranked for. */
  readonly queryId: string;
  readonly asOf?: string | undefined;
  readonly matches: readonly M[];
}

export interface ResultTableOptions<M extends ResultMatch = ResultMatch> {
  readonly direction: RankDirection;
  /** Evidence columns (`sharedSectors`, `matchedPhrases`, `partnershipTypes`). */
  readonly explain: boolean;
  /** Names beside ids. */
  readonly names: RecordNames;
  /** A `why` column: the explanation's one-line summary (the API's batch CSV has always had it). */
  readonly why?: boolean;
  /** A `decision` column: each pair's decision as the caller words it (for those who may see decisions). */
  readonly decision?: (match: M) => string | undefined;
  /** `contactName`, `contactEmail`, `contactPhone` of the company (for those who may see contact details). */
  readonly contacts?: boolean;
  /** Words for tags and partnership types in the evidence cells; the ids when left out. */
  readonly labels?: EvidenceLabels;
}

const SCORE_COLUMNS = ['score', 'tags', 'text', 'cooperation'] as const;
// Like the web shortlist: the evidence once, in its own columns (the one-line summary would repeat it).
const EVIDENCE_COLUMNS = ['sharedSectors', 'matchedPhrases', 'partnershipTypes'] as const;
const CONTACT_COLUMNS = ['contactName', 'contactEmail', 'contactPhone'] as const;

/**
 * The columns of a results table, the same order from the CLI, the API's batch and the web
 * shortlist: the query and its name, the rank, the match and its names, the scores, then the
 * columns the options ask for, and `asOf` last.
 */
export function resultColumns<M extends ResultMatch>(options: Omit<ResultTableOptions<M>, 'names'>): ResultColumn[] {
  const { direction, explain } = options;
  const query: ResultColumn[] = direction === 'companies' ? ['needId', 'needTitle'] : ['companyId', 'companyName'];
  const match: ResultColumn[] = direction === 'companies' ? ['companyId', 'companyName', 'municipality'] : ['needId', 'needTitle', 'organization'];
  return [
    ...query,
    'rank',
    ...match,
    ...SCORE_COLUMNS,
    ...(explain ? EVIDENCE_COLUMNS : []),
    ...(options.why === true ? (['why'] as const) : []),
    ...(options.decision === undefined ? [] : (['decision'] as const)),
    ...(options.contacts === true ? CONTACT_COLUMNS : []),
    // asOf last: the day deadlines were judged against, so a spreadsheet of a run says which day it is of.
    'asOf',
  ];
}

/** One row per match, with every cell the options can fill (the table's columns pick from it). */
export function resultRows<M extends ResultMatch>(result: ResultSet<M>, options: ResultTableOptions<M>): ResultRow[] {
  const { names } = options;
  const byNeed = options.direction === 'companies';
  const queryNeed = byNeed ? names.need(result.queryId) : undefined;
  const queryCompany = byNeed ? undefined : names.company(result.queryId);
  return result.matches.map((match) => {
    const need = queryNeed ?? names.need(match.needId);
    const company = queryCompany ?? names.company(match.companyId);
    const contact = options.contacts === true ? company?.contact : undefined;
    return {
      needId: match.needId,
      needTitle: need?.title ?? '',
      organization: need?.organization ?? '',
      companyId: match.companyId,
      companyName: company?.name ?? '',
      municipality: company?.municipality ?? '',
      rank: match.rank,
      score: match.score,
      tags: match.parts.tags,
      text: match.parts.text,
      cooperation: match.parts.cooperation,
      ...evidenceCells(match.explanation, options.labels),
      why: match.explanation?.summary ?? '',
      decision: options.decision?.(match) ?? '',
      contactName: contact?.name ?? '',
      contactEmail: contact?.email ?? '',
      contactPhone: contact?.phone ?? '',
      asOf: result.asOf ?? '',
    };
  });
}

/** The CSV header of a results table ({@link resultColumns}). */
export function resultCsvHeader<M extends ResultMatch>(options: Omit<ResultTableOptions<M>, 'names'>): string[] {
  return resultColumns(options);
}

/** One CSV row per match, in {@link resultCsvHeader}'s order. */
export function resultCsvRows<M extends ResultMatch>(result: ResultSet<M>, options: ResultTableOptions<M>): CsvCell[][] {
  const columns = resultColumns(options);
  return resultRows(result, options).map((row) => columns.map((column) => row[column] ?? ''));
}

export type ResultFormat = 'json' | 'ndjson' | 'csv';

/** How results are written; the table options shape CSV only (JSON keeps its contract). */
export interface ResultOutputOptions<M extends ResultMatch = ResultMatch> extends CsvWriteOptions, ResultTableOptions<M> {}

/**
 * Results as text chunks, one query at a time, so a batch of any size is written as it is
 * ranked. CSV is spreadsheet-ready: a UTF-8 byte-order mark (unless `bom: false`), names
 * beside ids, formula escaping and the chosen delimiter.
 */
export function* formatResults<M extends ResultMatch>(results: Iterable<ResultSet<M>>, format: ResultFormat, options: ResultOutputOptions<M>): Generator<string, void, undefined> {
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
  yield writeCsv([resultCsvHeader(options)], { ...csv, bom: options.bom ?? true });
  for (const result of results) {
    const rows = resultCsvRows(result, options);
    if (rows.length > 0) yield writeCsv(rows, csv);
  }
}
