import type { Hono } from 'hono';
import { encodePathSegment } from '../url.js';
import { batchResultsFor, batchToCsv, submitBatch, type BatchResults, type BatchRow } from '../batch.js';
import { csvDownload } from '../csv.js';
import { ApiError } from '../errors.js';
import type { JobSnapshot } from '../jobs.js';
import { BatchRequestSchema, MatchQuerySchema } from '../schemas.js';
import type { RecordKind } from '../store.js';
import { field, readForm, render, sessionOf, type WebContext, type WebDeps, type WebEnv } from './context.js';
import { SimpleField } from './forms.js';
import { Csrf, formatScore, Layout, Notice, type View } from './layout.js';

/** Matches per record in a run unless the form says otherwise. */
const DEFAULT_LIMIT = 5;
/** Runs a session's batch page lists. */
const RECENT = 20;
/** Top matches shown per record in a finished run's table. */
const SHOWN = 3;

type Direction = 'companies' | 'needs';

interface BatchForm {
  readonly direction: string;
  readonly limit: string;
}

function finished(job: JobSnapshot): boolean {
  return job.status !== 'queued' && job.status !== 'running';
}

function jobPath(id: string): string {
  return `/ui/batch/${encodePathSegment(id)}`;
}

function BatchPage(props: { v: View; runs: readonly JobSnapshot[]; form: BatchForm; error?: string; notice?: string }) {
  const { v, form } = props;
  const { t } = v;
  return (
    <Layout v={v} title={t.batchTitle} section="batch">
      <div class="page-head">
        <div>
          <h1>{t.batchTitle}</h1>
          <p class="subtitle">{t.batchIntro}</p>
        </div>
      </div>
      {props.notice !== undefined && <Notice tone="warn">{props.notice}</Notice>}
      <form method="post" action="/ui/batch" class="panel batch-form" novalidate>
        <Csrf v={v} />
        <fieldset class="field">
          <legend>{t.direction}</legend>
          {(
            [
              ['companies', t.directionCompanies],
              ['needs', t.directionNeeds],
            ] as const
          ).map(([value, label]) => (
            <label class="check">
              <input type="radio" name="direction" value={value} checked={form.direction === value} /> {label}
            </label>
          ))}
        </fieldset>
        <SimpleField
          v={v}
          id="f-limit"
          name="limit"
          type="text"
          inputmode="numeric"
          class="input-short"
          label={t.batchLimit}
          hint={t.batchLimitHint}
          value={form.limit}
          error={props.error}
        />
        <div class="form-actions">
          <button type="submit" class="button-primary">
            {t.startBatch}
          </button>
        </div>
      </form>
      <section aria-labelledby="runs-heading">
        <h2 id="runs-heading">{t.recentRuns}</h2>
        {props.runs.length === 0 ? (
          <p class="empty">{t.noRuns}</p>
        ) : (
          <table class="records">
            <thead>
              <tr>
                <th scope="col">{t.started}</th>
                <th scope="col">{t.status}</th>
                <th scope="col">{t.results}</th>
              </tr>
            </thead>
            <tbody>
              {props.runs.map((job) => (
                <tr>
                  <th scope="row" data-label={t.started}>
                    <a href={jobPath(job.id)}>{new Date(job.createdAt).toLocaleString(v.lang === 'zh' ? 'zh-CN' : v.lang)}</a>
                  </th>
                  <td data-label={t.status}>{t.jobStatus[job.status]}</td>
                  <td data-label={t.results}>{t.progress(job.done, job.total)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </Layout>
  );
}

/** The query's name as it was when ranked. */
function queryName(row: BatchRow): string {
  return 'name' in row.query ? row.query.name : row.query.title;
}

function ResultsTable({ v, rows }: { v: View; rows: readonly BatchRow[] }) {
  const { t } = v;
  return (
    <table class="records">
      <thead>
        <tr>
          <th scope="col">{rows[0]?.queryKind === 'company' ? t.colCompany : t.colNeed}</th>
          <th scope="col">{t.topMatches}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr>
            <th scope="row">
              <a href={`/ui/${row.queryKind === 'need' ? 'needs' : 'companies'}/${encodePathSegment(row.queryId)}`}>{queryName(row)}</a>
            </th>
            <td>
              <ol class="top-list">
                {row.matches.slice(0, SHOWN).map((match) =>
                  'company' in match ? (
                    <li>
                      <a href={`/ui/companies/${encodePathSegment(match.company.id)}`}>{match.company.name}</a> <span class="muted">{formatScore(v, match.score)}</span>
                    </li>
                  ) : (
                    <li>
                      <a href={`/ui/needs/${encodePathSegment(match.need.id)}`}>{match.need.title}</a> <span class="muted">{formatScore(v, match.score)}</span>
                    </li>
                  ),
                )}
              </ol>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function JobPage(props: { v: View; job: JobSnapshot; rows: readonly BatchRow[] | undefined }) {
  const { v, job, rows } = props;
  const { t } = v;
  const done = finished(job);
  return (
    <Layout v={v} title={t.batchTitle} section="batch" head={done ? undefined : <noscript><meta http-equiv="refresh" content="2" /></noscript>}>
      <nav class="breadcrumb" aria-label="breadcrumb">
        <a href="/ui/batch">{t.batchTitle}</a>
      </nav>
      <div class="page-head">
        <h1>{t.batchTitle}</h1>
        {rows !== undefined && (
          <div class="actions">
            <a class="button button-primary" href={`${jobPath(job.id)}/results.csv`} download>
              {t.downloadCsv}
            </a>
          </div>
        )}
      </div>
      <div class="panel job" data-job-status={done ? undefined : `${jobPath(job.id)}/status`}>
        <p>
          {t.status}: <strong data-job-status-text>{t.jobStatus[job.status]}</strong>
        </p>
        <progress id="job-progress" max={Math.max(job.total, 1)} value={job.done} aria-describedby="job-progress-text"></progress>
        <p id="job-progress-text" aria-live="polite" data-job-progress-text>
          {t.progress(job.done, job.total)}
        </p>
        {job.error !== undefined && <p class="field-error">{job.error}</p>}
      </div>
      {rows !== undefined && (
        <section aria-labelledby="results-heading">
          <h2 id="results-heading">{t.results}</h2>
          <ResultsTable v={v} rows={rows} />
        </section>
      )}
    </Layout>
  );
}

/**
 * Batch runs over the API's job queue: start one, watch its progress, download its results.
 * The page lists only the runs started in the viewer's own session; a run's page (by its
 * unguessable id) shows the results as the viewer's role may see them.
 */
export function registerBatchPages(web: Hono<WebEnv>, deps: WebDeps): void {
  const { catalog, jobs } = deps;
  const runs = (c: WebContext): JobSnapshot[] => (c.get('session')?.runs ?? []).flatMap((id) => jobs.get(id) ?? []);
  const jobOf = (c: WebContext): JobSnapshot => {
    const job = jobs.get(c.req.param('id') ?? '');
    if (job === undefined) throw new ApiError('NOT_FOUND', 'no such run (runs are kept in memory until a restart)');
    return job;
  };

  web.get('/batch', (c) => render(c, <BatchPage v={c.get('view')} runs={runs(c)} form={{ direction: 'companies', limit: String(DEFAULT_LIMIT) }} />));

  web.post('/batch', async (c) => {
    const v = c.get('view');
    const form = await readForm(c);
    const values: BatchForm = { direction: field(form, 'direction') || 'companies', limit: field(form, 'limit').trim() };
    // The batch route's own checks: the limit as the API's matches routes read it from text (1–100).
    const parsedLimit = MatchQuerySchema.shape.limit.safeParse(values.limit);
    if (values.limit === '' || !parsedLimit.success) {
      return render(c, <BatchPage v={v} runs={runs(c)} form={values} error={v.t.err.number + ' ' + v.t.batchLimitHint} />, 400);
    }
    const limit = parsedLimit.data;
    const direction: Direction = BatchRequestSchema.shape.direction.safeParse(values.direction).data ?? 'companies';
    const queryKind: RecordKind = direction === 'companies' ? 'need' : 'company';
    const session = sessionOf(c);
    let job: JobSnapshot;
    try {
      job = submitBatch(deps, { queryKind, query: { limit, minScore: 0, explain: false, includeDeclined: false }, owner: session.keyId });
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== 'TOO_MANY_REQUESTS') throw error;
      for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
      return render(c, <BatchPage v={v} runs={runs(c)} form={values} notice={v.t.tooManyRuns} />, error.status);
    }
    session.runs.unshift(job.id);
    session.runs.splice(RECENT);
    return c.redirect(jobPath(job.id), 303);
  });

  /** The run's results as the viewer's role may see them; undefined until it has succeeded. */
  const resultsOf = (c: WebContext, job: JobSnapshot): BatchResults | undefined => batchResultsFor(deps, job.id, sessionOf(c).role);

  web.get('/batch/:id', (c) => {
    const job = jobOf(c);
    return render(c, <JobPage v={c.get('view')} job={job} rows={resultsOf(c, job)?.rows} />);
  });

  web.get('/batch/:id/status', (c) => {
    const job = jobOf(c);
    const { t } = c.get('view');
    return c.json({ status: job.status, done: job.done, total: job.total, finished: finished(job), statusText: t.jobStatus[job.status], progressText: t.progress(job.done, job.total) });
  });

  web.get('/batch/:id/results.csv', (c) => {
    const job = jobOf(c);
    const results = resultsOf(c, job);
    if (results === undefined) throw new ApiError('CONFLICT', `the run is ${job.status}; results are ready when it has finished`);
    return csvDownload(c, `batch-${job.id}.csv`, batchToCsv(results, { role: sessionOf(c).role, bom: true }));
  });
}
