import { createRoute, z } from '@hono/zod-openapi';
import type { Role } from '../auth.js';
import type { Context, TypedResponse } from 'hono';
import type { JSONParsed } from 'hono/utils/types';
import type { MatchFilter } from '@partnermatch/core';
import type { JsonText, MatchQuery } from '../catalog.js';
import { ApiError } from '../errors.js';
import { negotiateFormat } from '../formats.js';
import { DEFAULT_MAX_PENDING, DEFAULT_MAX_PENDING_PER_OWNER, type JobSnapshot } from '../jobs.js';
import { guard, problems, type App, type RouteDeps } from '../routing.js';
import {
  AdHocMatchSchema,
  AdHocResultSchema,
  BatchRequestSchema,
  BatchResultsSchema,
  CsvDelimiterParam,
  CompanyMatchesSchema,
  ExportQuery,
  IdParams,
  JobSchema,
  ManifestSchema,
  MatchQuerySchema,
  NeedMatchesSchema,
} from '../schemas.js';
import type { RecordKind } from '../store.js';
import { batchResultsFor, batchToCsv, batchToJson, submitBatch, type BatchResults } from '../batch.js';
import { csvDownload } from '../csv.js';
import { today } from '../followup/index.js';
import { companySummary, needSummary, presentMatches, presentMatchesText } from '../views.js';

type MatchParams = z.output<typeof MatchQuerySchema>;

function matchQuery(params: Omit<MatchParams, 'partnershipType' | 'asOf' | 'includeExpired'> & { asOf?: string | undefined; includeExpired?: boolean | undefined } & { partnershipTypes?: MatchQuery['partnershipTypes'] }): MatchQuery {
  return {
    limit: params.limit,
    minScore: params.minScore,
    explain: params.explain,
    includeDeclined: params.includeDeclined,
    // Resolved here, so the cache key holds the day and a ranking cached yesterday is not served today.
    asOf: params.asOf ?? today(),
    includeExpired: params.includeExpired ?? false,
    ...(params.partnershipTypes === undefined ? {} : { partnershipTypes: params.partnershipTypes }),
  };
}

/**
 * Which pairs a coordinator declined is decision data, for coordinators only: for anyone else
 * `includeDeclined` is ignored (declined pairs stay out), so the answer tells them nothing.
 */
function declinedFor(role: Role, includeDeclined: boolean): boolean {
  return role === 'coordinator' && includeDeclined;
}

const COMPANY_CRITERIA = ['municipality', 'minEmployees', 'maxEmployees', 'language'] as const;

/**
 * The query of a matches route. Filters are checked here so that a 400 names the parameter:
 * the employees range must be in order, and needs ranked for a company filter on sector only.
 */
function fromParams(kind: RecordKind, { partnershipType, municipality, sector, minEmployees, maxEmployees, language, ...rest }: MatchParams, role: Role): MatchQuery {
  const filter = Object.fromEntries(
    Object.entries({ municipality, sector, minEmployees, maxEmployees, language }).filter(([, value]) => value !== undefined),
  ) as MatchFilter;
  const issues = [
    ...(minEmployees !== undefined && maxEmployees !== undefined && minEmployees > maxEmployees
      ? [{ path: 'query.maxEmployees', message: `must not be below minEmployees (${minEmployees})` }]
      : []),
    ...(kind === 'company'
      ? COMPANY_CRITERIA.filter((key) => filter[key] !== undefined).map((key) => ({
          path: `query.${key}`,
          message: 'describes companies: needs ranked for a company can be filtered by sector only',
        }))
      : []),
  ];
  if (issues.length > 0) throw new ApiError('VALIDATION_FAILED', `the request query is invalid: ${issues.length} problem(s)`, { issues });
  return {
    ...matchQuery({ ...rest, includeDeclined: declinedFor(role, rest.includeDeclined), ...(partnershipType === undefined ? {} : { partnershipTypes: partnershipType }) }),
    ...(Object.keys(filter).length === 0 ? {} : { filter }),
  };
}

function jobView(job: JobSnapshot) {
  return { ...job, links: { self: `/jobs/${job.id}`, results: `/jobs/${job.id}/results`, manifest: `/jobs/${job.id}/manifest` } };
}

/**
 * A 200 with already serialised JSON, typed as `c.json(value)` would be: the text was made by
 * `JSON.stringify` of a `T`, so the route still checks `T` against its response schema.
 */
function jsonText<T>(c: Context, text: JsonText<T>): Response & TypedResponse<JSONParsed<T>, 200, 'json'> {
  return c.newResponse(text, 200, { 'content-type': 'application/json' }) as Response & TypedResponse<JSONParsed<T>, 200, 'json'>;
}

/** Ranked matches for stored records, ad-hoc matching, and batch jobs. */
export function registerMatchingRoutes(app: App, deps: RouteDeps): void {
  const { catalog, jobs } = deps;
  const matchDescription =
    'Ranked by the core matcher, each with its score parts and (unless `explain=false`) the explanation. Pairs a coordinator declined are left out unless a coordinator asks with `includeDeclined=true` (for readers it is ignored); needs past their deadline (as of `asOf`, default today) unless `includeExpired=true`. The filters (`municipality`, `sector`, `minEmployees`, `maxEmployees`, `language`) leave candidates out and never change the scores of the rest. Results are cached until the next write, keyed by the whole query.';

  /** The route of `GET /needs/{id}/matches` and `GET /companies/{id}/matches`. */
  const rankedRoute = <P extends string, S extends z.ZodType>(path: P, operationId: string, summary: string, description: string, schema: S) =>
    createRoute({
      method: 'get',
      path,
      tags: ['matching'],
      operationId,
      summary,
      description,
      ...guard(deps, 'reader'),
      request: { params: IdParams, query: MatchQuerySchema },
      responses: { 200: { description: summary, content: { 'application/json': { schema } } }, ...problems(400, 401, 403, 404) },
    });

  /** The answers of the matches routes, serialised once per generation, record, query and role. */
  // An answer's text from the ranking thread's matches is `JSON.stringify` of the same object, member by member.
  const answerText = (head: string, summary: object, list: string | undefined): string | undefined =>
    list === undefined ? undefined : `{${JSON.stringify(head)}:${JSON.stringify(summary)},"matches":${list}}`;
  const companiesForNeed = (id: string, params: MatchParams, role: Role) => {
    const query = fromParams('need', params, role);
    return catalog.rankings.renderedMatches(
      ['need', id, query, role],
      'need',
      id,
      query,
      (matches) => ({
        need: needSummary(catalog.records.get('need', id)),
        matches: presentMatches(catalog, 'need', id, matches, role),
      }),
      (matches) => answerText('need', needSummary(catalog.records.get('need', id)), presentMatchesText(catalog, 'need', id, matches, role)),
    );
  };
  const needsForCompany = (id: string, params: MatchParams, role: Role) => {
    const query = fromParams('company', params, role);
    return catalog.rankings.renderedMatches(
      ['company', id, query, role],
      'company',
      id,
      query,
      (matches) => ({
        company: companySummary(catalog.records.get('company', id)),
        matches: presentMatches(catalog, 'company', id, matches, role),
      }),
      (matches) => answerText('company', companySummary(catalog.records.get('company', id)), presentMatchesText(catalog, 'company', id, matches, role)),
    );
  };

  app.openapi(
    rankedRoute('/needs/{id}/matches', 'rankCompaniesForNeed', 'Companies ranked for a need', `${matchDescription} A closed need has no matches.`, NeedMatchesSchema),
    async (c) => jsonText(c, await companiesForNeed(c.req.valid('param').id, c.req.valid('query'), c.get('role'))),
  );

  app.openapi(rankedRoute('/companies/{id}/matches', 'rankNeedsForCompany', 'Open needs ranked for a company', matchDescription, CompanyMatchesSchema), async (c) =>
    jsonText(c, await needsForCompany(c.req.valid('param').id, c.req.valid('query'), c.get('role'))),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/match',
      tags: ['matching'],
      operationId: 'matchAdHoc',
      summary: 'Rank for a need or company that is not stored',
      ...guard(deps, 'reader'),
      request: { body: { required: true, content: { 'application/json': { schema: AdHocMatchSchema } } } },
      responses: {
        200: { description: 'Ranked candidates', content: { 'application/json': { schema: AdHocResultSchema } } },
        ...problems(400, 401, 403, 413, 415),
      },
    }),
    (c) => {
      const { need, company, ...options } = c.req.valid('json');
      if ((need === undefined) === (company === undefined)) {
        throw new ApiError('VALIDATION_FAILED', 'send exactly one of "need" and "company"', {
          issues: [{ path: 'body', message: 'must have exactly one of "need" and "company"' }],
        });
      }
      const kind: RecordKind = need !== undefined ? 'need' : 'company';
      const matches = catalog.rankings.matchAdHoc(kind, need ?? company, matchQuery({ ...options, includeDeclined: true }));
      return c.json({ matches: presentMatches(catalog, kind, undefined, matches, c.get('role')) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/batch',
      tags: ['matching'],
      operationId: 'startBatch',
      summary: 'Rank for many needs (or companies) as a background job',
      description: `Starts a job over the given ids, or every open need (\`direction: companies\`) or every company (\`direction: needs\`). Follow \`Location\` to \`GET /jobs/{id}\` for progress; results are at \`GET /jobs/{id}/results\` as JSON or CSV. Each query is ranked against the data as it is when its turn comes. At most ${DEFAULT_MAX_PENDING} jobs wait or run at once, ${DEFAULT_MAX_PENDING_PER_OWNER} per key; beyond that the answer is 429 with \`Retry-After\`.`,
      ...guard(deps, 'reader'),
      request: { body: { required: true, content: { 'application/json': { schema: BatchRequestSchema } } } },
      responses: {
        202: { description: 'Job accepted', headers: z.object({ Location: z.string() }), content: { 'application/json': { schema: JobSchema } } },
        ...problems(400, 401, 403, 413, 415, 429),
      },
    }),
    (c) => {
      const { direction, ids, ...options } = c.req.valid('json');
      const queryKind: RecordKind = direction === 'companies' ? 'need' : 'company';
      const query = matchQuery({ ...options, includeDeclined: declinedFor(c.get('role'), options.includeDeclined) });
      const job = submitBatch(deps, { queryKind, ...(ids === undefined ? {} : { ids }), query, owner: c.get('keyId') });
      c.header('Location', `/jobs/${job.id}`);
      return c.json(jobView(job), 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/jobs/{id}',
      tags: ['matching'],
      operationId: 'getJob',
      summary: "A batch job's status and progress",
      ...guard(deps, 'reader'),
      request: { params: IdParams },
      responses: {
        200: { description: 'The job', content: { 'application/json': { schema: JobSchema } } },
        ...problems(401, 403, 404),
      },
    }),
    (c) => {
      const job = jobs.get(c.req.valid('param').id);
      if (job === undefined) throw new ApiError('NOT_FOUND', 'no such job (jobs are kept in memory until a restart)');
      return c.json(jobView(job), 200);
    },
  );

  /** A finished job's results for the role asking: 404 for an unknown job, 409 until it has succeeded. */
  const finishedResults = (id: string, role: Role): BatchResults => {
    const job = jobs.get(id);
    if (job === undefined) throw new ApiError('NOT_FOUND', 'no such job (jobs are kept in memory until a restart)');
    const results = batchResultsFor(deps, id, role);
    if (results === undefined) throw new ApiError('CONFLICT', `the job is ${job.status}; results are ready when it has succeeded`);
    return results;
  };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/jobs/{id}/results',
      tags: ['matching'],
      operationId: 'getJobResults',
      summary: "A finished batch job's results",
      description:
        "JSON (`{ jobId, manifest, inputChangedDuringRun, results: [{ needId | companyId, need | company, asOf, matches }] }`) or CSV (one line per match: the CLI's columns — names beside ids, scores, the evidence when the job explained — plus `why`, and `decision` for coordinators; `csvDelimiter=;` for spreadsheets set to Swedish); `format` or the Accept header chooses. The CSV answer links the run's manifest (`Link: </jobs/{id}/manifest>; rel=\"describedby\"`). 409 while the job is not finished. The results are shown for the role of the key asking, whoever started the job: coordinators also get each pair's `decision` as it is now.",
      ...guard(deps, 'reader'),
      request: { params: IdParams, query: ExportQuery.extend({ csvDelimiter: CsvDelimiterParam }) },
      responses: {
        200: {
          description: 'The results',
          headers: z.object({ Link: z.string().optional().openapi({ description: "CSV only: the run's manifest, `rel=\"describedby\"`." }) }),
          content: { 'application/json': { schema: BatchResultsSchema }, 'text/csv': { schema: z.string() } },
        },
        ...problems(400, 401, 403, 404, 409),
      },
    }),
    (c) => {
      const { id } = c.req.valid('param');
      const { format, csvDelimiter } = c.req.valid('query');
      const results = finishedResults(id, c.get('role'));
      if (negotiateFormat(format, c.req.header('accept')) === 'csv') {
        c.header('Link', `</jobs/${encodeURIComponent(id)}/manifest>; rel="describedby"`);
        return csvDownload(c, `batch-${id}.csv`, batchToCsv(results, { role: c.get('role'), delimiter: csvDelimiter }));
      }
      return c.json(batchToJson(id, results), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/jobs/{id}/manifest',
      tags: ['matching'],
      operationId: 'getJobManifest',
      summary: "What a finished batch job's results depended on",
      description:
        "The run's manifest, as in the JSON results (`manifest`): engine, taxonomy, glossary and lexicon versions, resolved options, settings, `asOf` and digests of the input records. Two runs whose manifests are equal give the same results; for a CSV download this is where its manifest is. 409 while the job is not finished.",
      ...guard(deps, 'reader'),
      request: { params: IdParams },
      responses: {
        200: { description: 'The manifest', content: { 'application/json': { schema: ManifestSchema } } },
        ...problems(401, 403, 404, 409),
      },
    }),
    (c) => c.json(finishedResults(c.req.valid('param').id, c.get('role')).run.manifest, 200),
  );
}
