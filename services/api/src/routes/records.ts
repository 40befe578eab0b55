import { createRoute, z } from '@hono/zod-openapi';
import { encodePathSegment } from '../url.js';
import type { Company, PartnerNeed } from '@partnermatch/core';
import type { Role } from '../auth.js';
import type { ListFilter } from '../catalog.js';
import { csvDownload } from '../csv.js';
import { invalidInput } from '../domain/records.js';
import { ApiError } from '../errors.js';
import { parseJsonArrayInTurns } from '../json-import.js';
import { IMPORT_MEDIA_TYPES, importFormatOf, negotiateFormat, parseImportAsync, readBodyText, recordsToCsv } from '../formats.js';
import { guard, problems, type App, type RouteDeps } from '../routing.js';
import {
  DuplicateWarningSchema,
  CompanyListQuery,
  CompanyReplaceSchema,
  CompanySchema,
  ExportQuery,
  IdParams,
  ImportQuery,
  ImportResultSchema,
  MergePatchSchema,
  NeedListQuery,
  NeedReplaceSchema,
  NeedSchema,
  pageOf,
  ProfileSchema,
} from '../schemas.js';
import type { RecordKind } from '../store.js';
import { recordFor, recordsFor, seesContacts } from '../access.js';

/** What differs between companies and needs; everything else is shared. */
interface KindRoutes {
  readonly kind: RecordKind;
  /** `companies` or `needs`: the collection path and tag. */
  readonly plural: 'companies' | 'needs';
  readonly schema: typeof CompanySchema | typeof NeedSchema;
  readonly replaceSchema: typeof CompanyReplaceSchema | typeof NeedReplaceSchema;
  readonly listQuery: typeof CompanyListQuery | typeof NeedListQuery;
  readonly readAccess: Role;
  /** The record as the caller's role may see it. */
  readonly view: (record: Company | PartnerNeed, role: Role) => Company | PartnerNeed;
  readonly filterOf: (query: Record<string, unknown>) => ListFilter;
}

type ListParams = z.output<typeof CompanyListQuery> & Partial<z.output<typeof NeedListQuery>>;

function commonFilter(query: ListParams): ListFilter {
  return {
    ...(query.sector === undefined ? {} : { sectors: query.sector }),
    ...(query.partnershipType === undefined ? {} : { partnershipTypes: query.partnershipType }),
    ...(query.q === undefined ? {} : { q: query.q }),
  };
}

const KINDS: readonly KindRoutes[] = [
  {
    kind: 'company',
    plural: 'companies',
    schema: CompanySchema,
    replaceSchema: CompanyReplaceSchema,
    listQuery: CompanyListQuery,
    readAccess: 'reader',
    view: (record, role) => recordFor('company', record as Company, role),
    filterOf: (query) => {
      const q = query as ListParams;
      return { ...commonFilter(q), ...(q.municipality === undefined ? {} : { place: q.municipality }) };
    },
  },
  {
    kind: 'need',
    plural: 'needs',
    schema: NeedSchema,
    replaceSchema: NeedReplaceSchema,
    listQuery: NeedListQuery,
    readAccess: 'reader',
    view: (record) => record,
    filterOf: (query) => {
      const q = query as ListParams;
      return {
        ...commonFilter(q),
        ...(q.city === undefined ? {} : { place: q.city }),
        ...(q.status === undefined ? {} : { status: q.status }),
      };
    },
  },
];

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** CRUD, list, import and export for companies and needs. */
export function registerRecordRoutes(app: App, deps: RouteDeps): void {
  for (const spec of KINDS) registerKind(app, deps, spec);
}

function registerKind(app: App, deps: RouteDeps, spec: KindRoutes): void {
  const { catalog } = deps;
  const { kind, plural } = spec;
  /** `Company` / `Companies`: how operation ids name the kind (`getCompany`, `listCompanies`). */
  const one = capitalize(kind);
  const many = capitalize(plural);
  const tags = [plural];
  const item = { content: { 'application/json': { schema: spec.schema } } };
  const jsonBody = (schema: z.ZodType, description: string) => ({
    required: true,
    description,
    content: { 'application/json': { schema } },
  });

  app.openapi(
    createRoute({
      method: 'get',
      path: `/${plural}`,
      tags,
      operationId: `list${many}`,
      summary: `List ${plural}`,
      description:
        kind === 'company'
          ? 'Paged, ordered by id. Readers see anonymised profiles (no `contact`). `sector` matches the tags the engine uses: the given `sectors`, or tags inferred from the text when none are given.'
          : 'Paged, ordered by id. `sector` matches the given `sectors`, or tags inferred from the text when none are given.',
      ...guard(deps, spec.readAccess),
      request: { query: spec.listQuery },
      responses: {
        200: { description: 'One page', content: { 'application/json': { schema: pageOf(spec.schema, kind === 'company' ? 'CompanyPage' : 'NeedPage') } } },
        ...problems(400, 401, 403),
      },
    }),
    (c) => {
      const query = c.req.valid('query') as ListParams;
      const page = catalog.records.list(kind, spec.filterOf(query), { limit: query.limit, offset: query.offset });
      const role = c.get('role');
      return c.json({ items: page.items.map((r) => spec.view(r, role)), total: page.total, limit: query.limit, offset: query.offset }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: `/${plural}`,
      tags,
      operationId: `create${one}`,
      summary: `Create a ${kind}`,
      ...guard(deps, 'coordinator'),
      request: { body: jsonBody(spec.schema, `The new ${kind}`) },
      responses: {
        201: {
          description: `Created. A company that looks like a stored one is still created; the answer then also carries \`warnings\` (\`possible-duplicate\`).`,
          headers: z.object({ Location: z.string() }),
          content: { 'application/json': { schema: spec.schema.extend({ warnings: z.array(DuplicateWarningSchema).optional() }) } },
        },
        ...problems(400, 401, 403, 409, 413, 415),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      // The record is written at once; the warnings are awaited (the duplicate index builds on its worker at first use).
      const { result: record, warnings } = await catalog.duplicates.checkAsync(kind, [body], async () => catalog.records.create(kind, body));
      c.header('Location', `/${plural}/${encodePathSegment(record.id)}`);
      return c.json(warnings.length === 0 ? record : { ...record, warnings }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: `/${plural}/{id}`,
      tags,
      operationId: `get${one}`,
      summary: `Read a ${kind}`,
      ...guard(deps, spec.readAccess),
      request: { params: IdParams },
      responses: { 200: { description: `The ${kind}`, ...item }, ...problems(401, 403, 404) },
    }),
    (c) => c.json(spec.view(catalog.records.get(kind, c.req.valid('param').id), c.get('role')), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: `/${plural}/{id}/profile`,
      tags,
      operationId: `get${one}Profile`,
      summary: `How the matcher sees a ${kind}`,
      description: 'The detected language and the sector tags used for matching (given, or inferred with a confidence).',
      ...guard(deps, spec.readAccess),
      request: { params: IdParams },
      responses: { 200: { description: 'The profile', content: { 'application/json': { schema: ProfileSchema } } }, ...problems(401, 403, 404) },
    }),
    (c) => {
      const { language, tags: assigned } = catalog.records.profile(kind, c.req.valid('param').id);
      return c.json({ language, tags: assigned.map((tag) => ({ ...tag })) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: `/${plural}/{id}`,
      tags,
      operationId: `replace${one}`,
      summary: `Replace a ${kind}`,
      description: 'Replaces the whole record; `id` may be left out of the body and cannot be changed.',
      ...guard(deps, 'coordinator'),
      request: { params: IdParams, body: jsonBody(spec.replaceSchema, `The ${kind} as it should be`) },
      responses: { 200: { description: 'Replaced', ...item }, ...problems(400, 401, 403, 404, 413, 415) },
    }),
    (c) => c.json(catalog.records.replace(kind, c.req.valid('param').id, c.req.valid('json')), 200),
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: `/${plural}/{id}`,
      tags,
      operationId: `patch${one}`,
      summary: `Change some fields of a ${kind}`,
      description: 'An RFC 7396 JSON merge patch (`application/merge-patch+json` or `application/json`); the result is validated as a whole.',
      ...guard(deps, 'coordinator'),
      request: {
        params: IdParams,
        body: { required: true, content: { 'application/merge-patch+json': { schema: MergePatchSchema } } },
      },
      responses: { 200: { description: 'Changed', ...item }, ...problems(400, 401, 403, 404, 413, 415) },
    }),
    (c) => c.json(catalog.records.patch(kind, c.req.valid('param').id, c.req.valid('json')), 200),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: `/${plural}/{id}`,
      tags,
      operationId: `delete${one}`,
      summary: `Delete a ${kind}`,
      description:
        kind === 'company'
          ? 'Also deletes the decisions on its pairs, and cancels its participation in every event it takes part in, as `DELETE /events/{id}/companies/{companyId}` does: its requests, pins and forbids go, its meetings leave every agenda, and the programme shows them as conflicts until a repair run.'
          : 'Also deletes the decisions on its pairs, and cancels its part in every event: its requests, pins and forbids go, it leaves its organisation\'s `needIds`, an organisation left with no need to meet about leaves the participants, and the programme shows its meetings as conflicts until a repair run.',
      ...guard(deps, 'coordinator'),
      request: { params: IdParams },
      responses: { 204: { description: 'Deleted' }, ...problems(401, 403, 404) },
    }),
    (c) => {
      catalog.records.remove(kind, c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: `/import/${plural}`,
      tags,
      operationId: `import${many}`,
      summary: `Import ${plural} (all or nothing)`,
      description:
        'A JSON array, NDJSON (one record per line) or CSV (a header row of field names; lists `;`-separated in one cell; `contact.name`, `contact.email`, `contact.phone` columns). All or nothing: if any record has a problem nothing is written and every problem is reported, each as `records[i]…` (the i-th record, 0-based). More than 100 records are written in turns (the server keeps answering) and moved into place by one last transaction.',
      ...guard(deps, 'coordinator', deps.limits.import),
      request: {
        query: ImportQuery,
        body: {
          required: true,
          content: {
            [IMPORT_MEDIA_TYPES.json]: { schema: { type: 'array', items: { $ref: `#/components/schemas/${kind === 'company' ? 'Company' : 'Need'}` } } },
            [IMPORT_MEDIA_TYPES.ndjson]: { schema: { type: 'string' } },
            [IMPORT_MEDIA_TYPES.csv]: { schema: { type: 'string' } },
          },
        },
      },
      responses: {
        200: { description: 'Every record was written', content: { 'application/json': { schema: ImportResultSchema } } },
        ...problems(400, 401, 403, 409, 413, 415),
      },
    }),
    async (c) => {
      const format = importFormatOf(c.req.header('content-type'));
      if (format === undefined) {
        throw new ApiError('UNSUPPORTED_MEDIA_TYPE', `send ${Object.values(IMPORT_MEDIA_TYPES).join(', ')}`);
      }
      // Read, parsed and validated in turns (yielding to the event loop), problems bounded: a
      // hostile body is a quick 400 and other requests keep being answered meanwhile.
      const body = await readBodyText(c.req.raw);
      const parsed = format === 'json' ? await parseJsonArrayInTurns(body) : await parseImportAsync(kind, format, body);
      // A body the reader validated and found problems in is refused with them; otherwise validated
      // here first, so duplicate warnings are looked for only in an import that will be written.
      if (parsed.validated === true && parsed.issues.length > 0) throw invalidInput(parsed.issues);
      const validated = await catalog.records.validateImportAsync(kind, parsed.records, { mode: c.req.valid('query').mode, issues: parsed.issues });
      const { result, warnings } = await catalog.duplicates.checkAsync(kind, validated.records, () => catalog.records.commitInTurns(validated));
      return c.json(warnings.length === 0 ? result : { ...result, warnings }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: `/export/${plural}`,
      tags,
      operationId: `export${many}`,
      summary: `Export every ${kind}`,
      description: `JSON (the ${plural}.json format) or CSV (the import columns). Readers get no contact details.`,
      ...guard(deps, spec.readAccess),
      request: { query: ExportQuery },
      responses: {
        200: {
          description: 'Every record, ordered by id',
          content: { 'application/json': { schema: z.array(spec.schema) }, 'text/csv': { schema: z.string() } },
        },
        ...problems(400, 401, 403),
      },
    }),
    (c) => {
      const format = negotiateFormat(c.req.valid('query').format, c.req.header('accept'));
      const role = c.get('role');
      const records = recordsFor(kind, catalog.records.all(kind), role);
      if (format === 'csv') return csvDownload(c, `${plural}.csv`, recordsToCsv(kind, records, { includeContact: seesContacts(role) }));
      c.header('Content-Disposition', `attachment; filename="${plural}.json"`);
      return c.json(records, 200);
    },
  );
}
