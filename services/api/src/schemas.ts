/**
 * The zod schemas of every request and response: the routes validate with them and
 * `/openapi.json` is generated from them. Records are the core's own schemas.
 */
import { z } from '@hono/zod-openapi';
import {
  companySchema,
  MUNICIPALITIES,
  partnerNeedSchema,
  PARTNERSHIP_TYPES,
  taxonomy,
  MANIFEST_FORMAT,
  type AssignedTag,
  type InputDigest,
  type CooperationEvidence,
  type Explanation,
  type ScorePart,
  type TagEvidence,
  type TermEvidence,
} from '@partnermatch/core';
import { DECISION_STATUSES } from './store.js';
import { dateSchema } from './followup/index.js';

// ── records ─────────────────────────────────────────────────────────────────
// `.extend({})` first: `.openapi()` exists only on schemas made after @hono/zod-openapi extended
// zod, and the core may have made its schemas before that (it depends on import order).

export const CompanySchema = companySchema.extend({}).openapi('Company', {
  description:
    'A Blekinge company. `contact` (personal data) is present only for the coordinator role; readers never see it.',
});

export const NeedSchema = partnerNeedSchema.extend({}).openapi('Need', {
  description: 'A Yunnan partner need. `status` defaults to `open`; closed needs are not matched.',
});

/** A replacement body: the id may be left out (it is the one in the path). */
export const CompanyReplaceSchema = companySchema.partial({ id: true }).openapi('CompanyReplacement');
export const NeedReplaceSchema = partnerNeedSchema.partial({ id: true }).openapi('NeedReplacement');

/** RFC 7396 JSON merge patch: the fields to change; `null` removes an optional field. */
export const MergePatchSchema = z
  .record(z.string(), z.unknown())
  .openapi('MergePatch', { description: 'RFC 7396 JSON merge patch: fields to change; `null` removes a field.' });

// ── problems ────────────────────────────────────────────────────────────────

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: 'about:blank' }),
    title: z.string().openapi({ example: 'Bad Request' }),
    status: z.number().int().openapi({ example: 400 }),
    detail: z.string(),
    instance: z.string().openapi({ example: '/needs' }),
    code: z.string().openapi({ example: 'VALIDATION_FAILED' }),
    errors: z
      .array(z.object({ path: z.string().openapi({ example: 'body.sectors[0]' }), message: z.string() }))
      .optional()
      .openapi({ description: 'Every problem found, each naming its field path.' }),
    requestId: z.string().optional().openapi({ description: 'The request id, as in the `X-Request-Id` answer header and the log line' }),
  })
  .openapi('Problem', { description: 'RFC 9457 problem details (`application/problem+json`).' });

// ── query parameters ────────────────────────────────────────────────────────

/** A comma-separated list in one query parameter (`a,b`), each item checked by `item`; an empty one means not given. */
function commaList<T extends z.ZodType<unknown, string>>(item: T) {
  return z
    .string()
    .transform((value) => {
      const parts = value.split(',').map((part) => part.trim()).filter((part) => part !== '');
      return parts.length === 0 ? undefined : parts;
    })
    .pipe(z.array(item).optional());
}

const sectorTag = z.string().refine((tag) => taxonomy.has(tag), { error: (issue) => `unknown sector tag ${JSON.stringify(issue.input)}` });
const partnershipType = z.enum(PARTNERSHIP_TYPES, {
  error: (issue) => `unknown partnership type ${JSON.stringify(issue.input)} (expected one of ${PARTNERSHIP_TYPES.join(', ')})`,
});

const booleanParam = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
    .optional()
    .transform((value) => (value === undefined ? fallback : value === 'true' || value === '1'))
    .openapi({ type: 'boolean', default: fallback });

const sectorsParam = commaList(sectorTag)
  .optional()
  .openapi({ type: 'string', description: 'Sector tag ids, comma-separated; a parent tag includes its children.', example: 'environment' });
const partnershipTypesParam = commaList(partnershipType)
  .optional()
  .openapi({ type: 'string', description: 'Partnership types, comma-separated; any one of them matches.', example: 'export,technology-transfer' });

const pageParams = {
  limit: z.coerce.number().int().min(1).max(500).default(50).openapi({ description: 'Page size, 1–500.' }),
  offset: z.coerce.number().int().min(0).default(0).openapi({ description: 'Records to skip.' }),
  sector: sectorsParam,
  partnershipType: partnershipTypesParam,
  q: z.string().trim().min(1).optional().openapi({ description: 'Words that must all occur in the text fields (case-insensitive).' }),
};

export const CompanyListQuery = z.object({
  ...pageParams,
  municipality: z.string().trim().min(1).optional().openapi({ example: 'Karlskrona' }),
});

export const NeedListQuery = z.object({
  ...pageParams,
  city: z.string().trim().min(1).optional().openapi({ example: 'Kunming' }),
  status: z.enum(['open', 'closed']).optional(),
});

export const ExportQuery = z.object({
  format: z.enum(['json', 'csv']).optional().openapi({ description: 'Defaults to the Accept header, else json.' }),
});

/** The CSV delimiter of a results download, as the CLI's `--csv-delimiter`: `;` for spreadsheets set to Swedish. */
export const CsvDelimiterParam = z
  .enum([',', ';'])
  .optional()
  .openapi({ description: 'CSV only: the delimiter, `,` (default) or `;` (spreadsheets set to Swedish).' });

export const ImportQuery = z.object({
  mode: z
    .enum(['create', 'upsert'])
    .default('create')
    .openapi({ description: '`create`: an existing id is a conflict (409). `upsert`: it is replaced.' }),
});

const matchOptions = {
  limit: z.coerce.number().int().min(1).max(100).default(10).openapi({ description: 'Most matches, 1–100.' }),
  minScore: z.coerce.number().min(0).max(1).default(0).openapi({ description: 'Leave out matches scoring below this, 0–1.' }),
  partnershipType: partnershipTypesParam,
};

/**
 * A query parameter that may repeat (`?language=sv&language=en`) or list values with commas
 * (`?language=sv,en`), or both; each value checked by `item`.
 */
function repeatable<T extends z.ZodType<unknown, string>>(item: T) {
  return z
    .union([z.string(), z.array(z.string())])
    .transform((value) => {
      const parts = (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(',')).map((part) => part.trim()).filter((part) => part !== '');
      return parts.length === 0 ? undefined : parts;
    })
    .pipe(z.array(item).optional());
}

const municipality = z.enum(MUNICIPALITIES, {
  error: (issue) => `unknown municipality ${JSON.stringify(issue.input)} (expected one of ${MUNICIPALITIES.join(', ')})`,
});
const employeesParam = z.coerce
  .number({ error: 'must be a number' })
  .int({ error: 'must be a whole number' })
  .min(0, { error: 'must not be negative' })
  .optional();

/**
 * The match filters (core `MatchFilter`) as query parameters: every given criterion must
 * hold, any value of a list may. They leave candidates out; they never change a score.
 */
export const matchFilterParams = {
  municipality: repeatable(municipality)
    .optional()
    .openapi({ type: 'array', items: { type: 'string', enum: [...MUNICIPALITIES] }, description: "The company's municipality; repeat or comma-separate for several. Companies only.", example: ['Karlskrona'] }),
  sector: repeatable(sectorTag)
    .optional()
    .openapi({ type: 'array', items: { type: 'string' }, description: 'Sector tags (given or inferred); a parent includes its children. Repeat or comma-separate.', example: ['energy'] }),
  minEmployees: employeesParam.openapi({ type: 'integer', description: 'At least this many employees (a company stating none is left out). Companies only.' }),
  maxEmployees: employeesParam.openapi({ type: 'integer', description: 'At most this many employees (a company stating none is left out). Companies only.' }),
  language: repeatable(z.string().regex(/^[a-z]{2}$/, { error: 'must be an ISO 639-1 code such as "sv"' }))
    .optional()
    .openapi({ type: 'array', items: { type: 'string' }, description: 'A working language of the company (ISO 639-1); repeat or comma-separate. Companies only.', example: ['en'] }),
};

export const MatchQuerySchema = z.object({
  ...matchOptions,
  ...matchFilterParams,
  explain: booleanParam(true).openapi({ description: 'Attach the core explanation to each match.' }),
  includeDeclined: booleanParam(false).openapi({ description: 'Keep pairs a coordinator declined (coordinators only; ignored for readers).' }),
  asOf: dateSchema.optional().openapi({ description: 'The day deadlines are judged against (YYYY-MM-DD); today (UTC) by default. A need past its deadline is not matched.' }),
  includeExpired: booleanParam(false).openapi({ description: 'Keep needs past their deadline (as of `asOf`).' }),
});

export const IdParams = z.object({ id: z.string().min(1).openapi({ param: { name: 'id', in: 'path' }, example: 's-n01' }) });

export const PairParams = z.object({
  needId: z.string().min(1).openapi({ param: { name: 'needId', in: 'path' }, example: 's-n01' }),
  companyId: z.string().min(1).openapi({ param: { name: 'companyId', in: 'path' }, example: 's-c13' }),
});

// ── matches ─────────────────────────────────────────────────────────────────

// The explanation is the core's `Explanation`, written as a zod schema for the OpenAPI document.
// Each piece `satisfies` the core type it describes and `explanationMatchesCore` below checks
// both ways, so a field added, removed or retyped in the core fails to compile here: the
// document cannot drift from what is served.

const tagSource = z.enum(['given', 'inferred']) satisfies z.ZodType<AssignedTag['source']>;

const ScorePartSchema = z.object({ score: z.number(), weight: z.number(), contribution: z.number() }) satisfies z.ZodType<ScorePart>;
const AssignedTagSchema = z.object({ tag: z.string(), source: tagSource, confidence: z.number() }) satisfies z.ZodType<AssignedTag>;

const TagEvidenceSchema = z.object({
  needTag: z.string(),
  companyTag: z.string(),
  relation: z.enum(['exact', 'parent', 'child', 'sibling']),
  needTagSource: tagSource,
  companyTagSource: tagSource,
  credit: z.number(),
}) satisfies z.ZodType<TagEvidence>;

const TermEvidenceSchema = z.object({
  kind: z.enum(['concept', 'word']),
  term: z.string(),
  label: z.string(),
  tag: z.string().optional(),
  share: z.number(),
  needPhrases: z.array(z.string()).readonly(),
  companyPhrases: z.array(z.string()).readonly(),
  bridge: z
    .object({ source: z.literal('lexicon'), word: z.string() })
    .optional()
    .openapi({
      description:
        'Met across languages through the everyday-word lexicon, with the English word between (养蜂 ↔ biodling, via beekeeping); on a concept, the Chinese word whose translation named it where no glossary phrase did (响 ↔ buller, via noise).',
    }),
}) satisfies z.ZodType<TermEvidence>;

const CooperationEvidenceSchema = z.object({
  known: z.boolean(),
  shared: z.array(partnershipType).readonly(),
  related: z.array(z.object({ need: partnershipType, company: partnershipType })).readonly(),
}) satisfies z.ZodType<CooperationEvidence>;

export const ExplanationSchema = z
  .object({
    summary: z.string().openapi({ example: 'tags: environment.wastewater (exact) · text: 污水处理厂 ↔ avloppsreningsverk' }),
    parts: z.object({ tags: ScorePartSchema, text: ScorePartSchema, cooperation: ScorePartSchema }),
    needTags: z.array(AssignedTagSchema).readonly(),
    companyTags: z.array(AssignedTagSchema).readonly(),
    tags: z.array(TagEvidenceSchema).readonly(),
    terms: z.array(TermEvidenceSchema).readonly(),
    cooperation: CooperationEvidenceSchema,
  })
  .openapi('Explanation', { description: "The core's account of a match: score parts, tags met and shared terms across languages." }) satisfies z.ZodType<Explanation>;

type SameType<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Compiles only while the schema describes exactly the core's `Explanation` (no field missing or extra). */
const explanationMatchesCore: SameType<Explanation, z.output<typeof ExplanationSchema>> = true;
void explanationMatchesCore;

export const DecisionStatusSchema = z.enum(DECISION_STATUSES);

const matchFields = {
  needId: z.string().openapi({ description: "The need's id, whichever way the pair was ranked (as in the library's `Match`)." }),
  companyId: z.string().openapi({ description: "The company's id, whichever way the pair was ranked (as in the library's `Match`)." }),
  rank: z.number().int(),
  score: z.number().openapi({ description: 'Blended score in [0, 1].' }),
  parts: z.object({ tags: z.number(), text: z.number(), cooperation: z.number() }),
  explanation: ExplanationSchema.optional(),
  decision: DecisionStatusSchema.optional().openapi({ description: "The pair's decision (coordinator role only)." }),
};

export const CompanySummarySchema = z.object({ id: z.string(), name: z.string(), municipality: z.string().optional() });
export const NeedSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  organization: z.string(),
  city: z.string().optional(),
  status: z.enum(['open', 'closed']),
});

export const CompanyMatchSchema = z.object({ ...matchFields, company: CompanySummarySchema }).openapi('CompanyMatch');
export const NeedMatchSchema = z.object({ ...matchFields, need: NeedSummarySchema }).openapi('NeedMatch');

export const NeedMatchesSchema = z.object({ need: NeedSummarySchema, matches: z.array(CompanyMatchSchema) }).openapi('CompaniesForNeed');
export const CompanyMatchesSchema = z.object({ company: CompanySummarySchema, matches: z.array(NeedMatchSchema) }).openapi('NeedsForCompany');

/** The ad-hoc record: as stored records, but the id may be left out. */
export const AdHocMatchSchema = z
  .object({
    need: partnerNeedSchema.partial({ id: true }).optional().openapi({ description: 'Rank companies for this need.' }),
    company: companySchema.partial({ id: true }).optional().openapi({ description: 'Rank open needs for this company.' }),
    limit: z.number().int().min(1).max(100).default(10),
    minScore: z.number().min(0).max(1).default(0),
    partnershipTypes: z.array(partnershipType).optional().openapi({ description: 'Keep candidates naming one of these.' }),
    explain: z.boolean().default(true),
  })
  .openapi('AdHocMatchRequest', { description: 'Exactly one of `need` and `company`. Nothing is stored.' });

export const AdHocResultSchema = z
  .object({ matches: z.array(z.union([CompanyMatchSchema, NeedMatchSchema])) })
  .openapi('AdHocMatchResult');

// ── decisions, batch, jobs ──────────────────────────────────────────────────

export const DecisionSchema = z
  .object({
    needId: z.string(),
    companyId: z.string(),
    status: DecisionStatusSchema,
    note: z.string().optional(),
    updatedAt: z.string().openapi({ example: '2026-05-01T09:30:00.000Z' }),
  })
  .openapi('Decision');

export const DecisionInputSchema = z
  .object({ status: DecisionStatusSchema, note: z.string().trim().max(2000).optional() })
  .openapi('DecisionInput');

export const DecisionListQuery = z.object({
  needId: z.string().min(1).optional(),
  companyId: z.string().min(1).optional(),
  status: DecisionStatusSchema.optional(),
});

export const BatchRequestSchema = z
  .object({
    direction: z
      .enum(['companies', 'needs'])
      .default('companies')
      .openapi({ description: '`companies`: rank companies for needs (ids are need ids); `needs`: the other way.' }),
    ids: z.array(z.string().min(1)).min(1).max(10_000).optional().openapi({ description: 'Defaults to every open need (or every company).' }),
    limit: z.number().int().min(1).max(100).default(10),
    minScore: z.number().min(0).max(1).default(0),
    partnershipTypes: z.array(partnershipType).optional(),
    explain: z.boolean().default(false),
    includeDeclined: z.boolean().default(false).openapi({ description: 'Keep pairs a coordinator declined (coordinators only; ignored for readers).' }),
    asOf: dateSchema.optional().openapi({ description: 'The day deadlines are judged against (YYYY-MM-DD); today (UTC) by default, so a run can be repeated.' }),
    includeExpired: z.boolean().default(false).openapi({ description: 'Keep needs past their deadline (as of `asOf`).' }),
  })
  .openapi('BatchRequest');

export const JobSchema = z
  .object({
    id: z.string(),
    status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']),
    done: z.number().int(),
    total: z.number().int(),
    createdAt: z.string(),
    startedAt: z.string().optional(),
    finishedAt: z.string().optional(),
    error: z.string().optional(),
    links: z.object({ self: z.string(), results: z.string(), manifest: z.string() }),
  })
  .openapi('Job');

const InputDigestSchema = z.object({
  count: z.number().int(),
  sha256: z.string().openapi({ description: 'SHA-256 (hex) of the canonical JSON of the records, ordered by id.' }),
  records: z.array(z.tuple([z.string(), z.string()]).readonly()).readonly().openapi({ description: "Per record: `[id, the first 16 hex digits of the record's own SHA-256]`." }),
}) satisfies z.ZodType<InputDigest>;

export const ManifestSchema = z
  .object({
    format: z.literal(MANIFEST_FORMAT),
    engine: z.object({ name: z.string(), version: z.string() }),
    versions: z.object({ taxonomy: z.string(), glossary: z.string(), lexicon: z.string().nullable() }),
    runtime: z.object({ node: z.string(), icu: z.string().nullable(), unicode: z.string().nullable(), natural: z.string().nullable() }),
    options: z.record(z.string(), z.unknown()).openapi({ description: 'The matcher options with every default filled in.' }),
    run: z.record(z.string(), z.unknown()).openapi({
      description:
        'The batch settings: `command: "batch"`, `direction`, `ids` (when given), `limit`, `minScore`, `partnershipTypes`, `explain`, `includeDeclined`, `includeExpired`, and unless declined pairs were kept, `declinedPairs` (count and SHA-256 of the pairs left out; decision data, so for coordinators only).',
    }),
    asOf: z.string().openapi({ description: 'The day deadlines were judged against, as an ISO 8601 instant.', example: '2026-05-01T00:00:00.000Z' }),
    input: z.object({ sha256: z.string(), companies: InputDigestSchema, needs: InputDigestSchema }),
  })
  .openapi('RunManifest', {
    description:
      "What a run depended on (core's `RunManifest`, as the CLI's `--manifest-out` writes it): engine, taxonomy, glossary and lexicon versions, runtime, resolved options, settings, `asOf` and digests of the input records. Two runs with equal manifests give the same results.",
  });

const BatchResultSchema = z.object({
  needId: z.string().optional().openapi({ description: 'The need ranked for (`direction: companies`).' }),
  companyId: z.string().optional().openapi({ description: 'The company ranked for (`direction: needs`).' }),
  need: NeedSummarySchema.optional(),
  company: CompanySummarySchema.optional(),
  asOf: z.string().openapi({ description: 'The day deadlines were judged against.', example: '2026-05-01' }),
  matches: z.array(z.union([CompanyMatchSchema, NeedMatchSchema])),
});

export const BatchResultsSchema = z
  .object({
    jobId: z.string(),
    manifest: ManifestSchema,
    inputChangedDuringRun: z.boolean().openapi({
      description: 'True when records or decisions were written while the job ran: later queries saw the change, so the manifest (taken as the job started) does not describe them.',
    }),
    results: z.array(BatchResultSchema),
  })
  .openapi('BatchResults');

// ── lists and the rest ──────────────────────────────────────────────────────

export function pageOf<T extends z.ZodType>(item: T, name: string) {
  return z.object({ items: z.array(item), total: z.number().int(), limit: z.number().int(), offset: z.number().int() }).openapi(name);
}

export const ProfileSchema = z
  .object({
    language: z.string().openapi({ example: 'zh' }),
    tags: z.array(AssignedTagSchema).openapi({ description: 'The given sector tags, or those inferred from the text when none are given.' }),
  })
  .openapi('Profile', { description: 'The record as the matcher sees it.' });

export const DuplicateWarningSchema = z
  .object({
    code: z.literal('possible-duplicate'),
    id: z.string().openapi({ description: 'The record created or imported.' }),
    duplicateOf: z.string().openapi({ description: 'The stored (or earlier imported) company it resembles.' }),
    reason: z.enum(['orgNumber', 'similar-text']),
    similarity: z.number().min(0).max(1).openapi({ description: '1 for the same organisation number; else the cosine of name and description, 2 decimals.', example: 0.93 }),
  })
  .openapi('DuplicateWarning', { description: 'A likely duplicate company: a warning, the record was written.' });

export const ImportResultSchema = z
  .object({
    created: z.number().int(),
    updated: z.number().int(),
    warnings: z.array(DuplicateWarningSchema).optional().openapi({ description: 'Likely duplicate companies, present only when there are any (never for needs).' }),
  })
  .openapi('ImportResult');

export const TaxonomySchema = z
  .object({
    version: z.string(),
    tags: z.array(
      z.object({
        id: z.string(),
        parent: z.string().optional(),
        children: z.array(z.string()),
        labels: z.object({ sv: z.string(), en: z.string(), zh: z.string() }),
      }),
    ),
    partnershipTypes: z.array(z.string()),
  })
  .openapi('Taxonomy');

export const HealthSchema = z
  .object({
    status: z.enum(['ok', 'draining']),
    companies: z.number().int(),
    needs: z.number().int(),
    decisions: z.number().int(),
    generation: z.number().int(),
    uptimeSeconds: z.number(),
  })
  .openapi('Health');
