import { createHash } from 'node:crypto';
import { canonicalJson, createManifestAsync, formatResults, type RecordNames, type RunManifest } from '@partnermatch/core';
import type { Role } from './auth.js';
import type { Catalog, MatchQuery } from './catalog.js';
import { today } from './followup/index.js';
import { JobQueue, type JobQueueOptions, type JobSnapshot } from './jobs.js';
import type { RecordKind } from './store.js';
import { companySummary, forRole, needSummary, summarizeMatches, type CompanyMatchView, type NeedMatchView } from './views.js';

/**
 * One query of a batch and its matches, stored as anyone may see them: no decisions and no
 * contact details. What is coordinator-only is added when the results are read
 * ({@link batchResultsFor}), for the role of whoever reads them.
 */
export interface BatchRow {
  readonly queryKind: RecordKind;
  readonly queryId: string;
  /** The query record as it was when ranked (its name stays in the results if it is deleted later). */
  readonly query: ReturnType<typeof companySummary> | ReturnType<typeof needSummary>;
  /** The day deadlines were judged against. */
  readonly asOf: string;
  readonly matches: readonly (CompanyMatchView | NeedMatchView)[];
}

/** What a batch job ran on and how, so that its results can be repeated or told apart. */
export interface BatchRun {
  readonly direction: 'companies' | 'needs';
  readonly explain: boolean;
  /** Taken as the job started (before its first query): records, options, versions, settings, asOf. */
  readonly manifest: RunManifest;
  /** True when records or decisions were written while the job ran (later queries saw them). */
  readonly inputChangedDuringRun: boolean;
}

/** A finished job's results as one caller may see them, and what the run depended on. */
export interface BatchResults {
  readonly rows: readonly BatchRow[];
  readonly run: BatchRun;
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

interface RunState {
  readonly direction: BatchRun['direction'];
  readonly explain: boolean;
  manifest?: RunManifest;
  generation?: number;
  inputChangedDuringRun: boolean;
}

/** The run state of each job of a queue, dropped once the queue has let the job go. */
const runStates = new WeakMap<JobQueue<BatchRow>, Map<string, RunState>>();

function statesOf(jobs: JobQueue<BatchRow>): Map<string, RunState> {
  let states = runStates.get(jobs);
  if (states === undefined) {
    states = new Map();
    runStates.set(jobs, states);
  }
  for (const id of states.keys()) if (jobs.get(id) === undefined) states.delete(id);
  return states;
}

/**
 * The manifest of a batch over the catalog as it is now (the records and decisions are taken
 * at the call; writes while it is hashed do not change it). Declined pairs are left out of a
 * ranking unless the batch keeps them, so the decisions that do it are part of the input too.
 * The records are hashed in slices between which the service answers requests: at 10k
 * companies hashing them in one piece would hold every request up for about half a second.
 */
export function batchManifest(catalog: Catalog, request: Pick<BatchRequest, 'queryKind' | 'ids' | 'query'>): Promise<RunManifest> {
  const { query } = request;
  const declined = query.includeDeclined
    ? undefined
    : catalog.decisions
        .list({ status: 'declined' })
        .map((decision) => [decision.needId, decision.companyId] as const)
        .sort(([a, b], [c, d]) => (a < c ? -1 : a > c ? 1 : b < d ? -1 : b > d ? 1 : 0));
  return createManifestAsync({
    companies: catalog.records.all('company'),
    needs: catalog.records.all('need'),
    validated: true, // the store's records are the validated copies the index holds
    ...(catalog.matcherOptions === undefined ? {} : { options: catalog.matcherOptions }),
    asOf: query.asOf ?? today(),
    run: {
      command: 'batch',
      direction: request.queryKind === 'need' ? 'companies' : 'needs',
      ...(request.ids === undefined ? {} : { ids: request.ids }),
      limit: query.limit,
      minScore: query.minScore,
      partnershipTypes: query.partnershipTypes ?? null,
      filter: query.filter ?? null,
      explain: query.explain,
      includeDeclined: query.includeDeclined,
      includeExpired: query.includeExpired ?? false,
      ...(declined === undefined
        ? {}
        : { declinedPairs: { count: declined.length, sha256: createHash('sha256').update(canonicalJson(declined), 'utf8').digest('hex') } }),
    },
  });
}

/**
 * Queues a batch job (the API's `POST /batch` and the web's batch page both start runs here).
 * 400 for an unknown id; 429 when the queue, or the owner's share of it, is full. The job's
 * manifest is taken as it starts (a job with nothing to rank still says what it ran on), over
 * the records it is about to rank.
 */
export function submitBatch(deps: { readonly catalog: Catalog; readonly jobs: JobQueue<BatchRow> }, request: BatchRequest): JobSnapshot {
  const { catalog, jobs } = deps;
  const { queryKind } = request;
  // The day is fixed once, so the manifest and every query of the job judge deadlines alike.
  const query: MatchQuery = { ...request.query, asOf: request.query.asOf ?? today() };
  const queryIds = catalog.batchQueries(queryKind, request.ids);
  const state: RunState = { direction: queryKind === 'need' ? 'companies' : 'needs', explain: query.explain, inputChangedDuringRun: false };
  // The manifest is taken as the job starts, of the records as they are then.
  const begin = async (): Promise<void> => {
    state.generation = catalog.generation;
    state.manifest = await batchManifest(catalog, { ...request, query });
  };
  const run = (queryId: string): BatchRow | undefined => {
    if (catalog.generation !== state.generation) state.inputChangedDuringRun = true;
    if (!catalog.records.has(queryKind, queryId)) return undefined; // deleted while the job waited
    const record = catalog.records.get(queryKind, queryId);
    return {
      queryKind,
      queryId,
      query: 'name' in record ? companySummary(record) : needSummary(record),
      asOf: query.asOf!,
      matches: summarizeMatches(catalog, queryKind, catalog.rankings.matches(queryKind, queryId, query)),
    };
  };
  const states = statesOf(jobs);
  const job = jobs.submit(queryIds, run, { owner: request.owner, start: begin });
  states.set(job.id, state);
  return job;
}

/** A finished job's results as a caller with `role` may see them; undefined while it has not succeeded. */
export function batchResultsFor(deps: { readonly catalog: Catalog; readonly jobs: JobQueue<BatchRow> }, jobId: string, role: Role): BatchResults | undefined {
  const rows = deps.jobs.results(jobId);
  const state = runStates.get(deps.jobs)?.get(jobId);
  if (rows === undefined || state?.manifest === undefined) return undefined;
  return {
    rows: rows.map((row) => ({ ...row, matches: forRole(deps.catalog, row.queryId, row.matches, role) })),
    run: { direction: state.direction, explain: state.explain, manifest: manifestFor(state.manifest, role), inputChangedDuringRun: state.inputChangedDuringRun },
  };
}

/**
 * The manifest as a caller with `role` may see it. The digest of the declined pairs is decision
 * data: with few pairs declined it could be matched against guesses, so only coordinators get it.
 */
function manifestFor(manifest: RunManifest, role: Role): RunManifest {
  if (role === 'coordinator' || !('declinedPairs' in manifest.run)) return manifest;
  const { declinedPairs: _declined, ...run } = manifest.run;
  return { ...manifest, run };
}

/** The batch results as JSON: each query's entry names its record, as the matches routes do. */
export function batchToJson(jobId: string, results: BatchResults) {
  return {
    jobId,
    manifest: results.run.manifest,
    inputChangedDuringRun: results.run.inputChangedDuringRun,
    results: results.rows.map((row) =>
      row.queryKind === 'need'
        ? { needId: row.queryId, need: row.query as ReturnType<typeof needSummary>, asOf: row.asOf, matches: row.matches }
        : { companyId: row.queryId, company: row.query as ReturnType<typeof companySummary>, asOf: row.asOf, matches: row.matches },
    ),
  };
}

/** Names beside ids, from the summaries the rows hold (a record deleted since keeps its name). */
function namesOf(rows: readonly BatchRow[]): RecordNames {
  const companies = new Map<string, ReturnType<typeof companySummary>>();
  const needs = new Map<string, ReturnType<typeof needSummary>>();
  for (const row of rows) {
    if ('name' in row.query) companies.set(row.queryId, row.query);
    else needs.set(row.queryId, row.query);
    for (const match of row.matches) {
      if ('company' in match) companies.set(match.company.id, match.company);
      else needs.set(match.need.id, match.need);
    }
  }
  return { company: (id) => companies.get(id), need: (id) => needs.get(id) };
}

/**
 * Batch results as CSV: core's results table (the CLI's columns: names beside ids, scores,
 * the evidence when the job explained, `asOf`), plus `why`, the explanation's one-line summary
 * the API's CSV has always had, and for coordinators each pair's `decision`.
 */
export function batchToCsv(
  results: BatchResults,
  options: { readonly role: Role; readonly bom?: boolean; readonly delimiter?: ',' | ';' },
): string {
  const { rows, run } = results;
  const chunks = formatResults(
    rows.map((row) => ({ queryId: row.queryId, asOf: row.asOf, matches: row.matches })),
    'csv',
    {
      direction: run.direction,
      explain: run.explain,
      names: namesOf(rows),
      why: true,
      ...(options.role === 'coordinator' ? { decision: (match: CompanyMatchView | NeedMatchView) => match.decision } : {}),
      bom: options.bom ?? false,
      ...(options.delimiter === undefined ? {} : { delimiter: options.delimiter }),
    },
  );
  return [...chunks].join('');
}
