import type { Role } from './auth.js';
import type { Catalog, MatchQuery } from './catalog.js';
import { writeCsv } from './csv.js';
import { JobQueue, type JobQueueOptions, type JobSnapshot } from './jobs.js';
import type { RecordKind } from './store.js';
import { forRole, summarizeMatches, type CompanyMatchView, type NeedMatchView } from './views.js';

/**
 * One query of a batch and its matches, stored as anyone may see them: no decisions and no
 * contact details. What is coordinator-only is added when the results are read
 * ({@link batchResultsFor}), for the role of whoever reads them.
 */
export interface BatchRow {
  readonly queryKind: RecordKind;
  readonly queryId: string;
  readonly matches: readonly (CompanyMatchView | NeedMatchView)[];
}

/** The batch job queue; a job's results weigh one per match (one CSV line each). */
export function batchQueue(options: Omit<JobQueueOptions<BatchRow>, 'weigh'> = {}): JobQueue<BatchRow> {
  return new JobQueue<BatchRow>({ ...options, weigh: (row) => row.matches.length });
}

export interface BatchRequest {
  /** `need`: rank companies for needs; `company`: rank open needs for companies. */
  readonly queryKind: RecordKind;
  /** The records to rank for (each must exist); every open need or every company when left out. */
  readonly ids?: readonly string[];
  readonly query: MatchQuery;
  /** Who asked (the key's id): at most a few jobs per key may wait at once. */
  readonly owner: string;
}

/**
 * Queues a batch job (the API's `POST /batch` and the web's batch page both start runs here).
 * 400 for an unknown id; 429 when the queue, or the owner's share of it, is full.
 */
export function submitBatch(deps: { readonly catalog: Catalog; readonly jobs: JobQueue<BatchRow> }, request: BatchRequest): JobSnapshot {
  const { catalog, jobs } = deps;
  const { queryKind, query } = request;
  const queryIds = catalog.batchQueries(queryKind, request.ids);
  const run = (queryId: string): BatchRow | undefined => {
    if (!catalog.records.has(queryKind, queryId)) return undefined; // deleted while the job waited
    return { queryKind, queryId, matches: summarizeMatches(catalog, queryKind, catalog.rankings.matches(queryKind, queryId, query)) };
  };
  return jobs.submit(queryIds, run, { owner: request.owner });
}

/** A finished job's results as a caller with `role` may see them; undefined while it has not succeeded. */
export function batchResultsFor(deps: { readonly catalog: Catalog; readonly jobs: JobQueue<BatchRow> }, jobId: string, role: Role): BatchRow[] | undefined {
  return deps.jobs
    .results(jobId)
    ?.map((row) => ({ ...row, matches: forRole(deps.catalog, row.queryKind, row.queryId, row.matches, role) }));
}

/** Batch results as CSV, one line per match, with the explanation's one-line summary. */
export function batchToCsv(rows: readonly BatchRow[], options: { readonly bom?: boolean } = {}): string {
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
  return writeCsv([header, ...lines], options);
}
