import { createRoute, z } from '@hono/zod-openapi';
import { AGENDA_LANGUAGES, type AgendaLanguage } from '@partnermatch/core';
import { ApiError } from '../errors.js';
import { eventsOf, MAX_SCHEDULE_TIME_LIMIT, type Events, type ParticipantKind } from '../events/index.js';
import { guard, problems, type App, type RouteDeps } from '../routing.js';
import { agendaHtml } from '../web/events-agenda.js';

const text = z.string().min(1).max(300);
const param = (name: string, example: string, description?: string) =>
  text.openapi({ param: { name, in: 'path' }, example, ...(description === undefined ? {} : { description }) });

const EventParams = z.object({ id: param('id', 'kunming-fair-2027', 'The event id') });
const JobParams = EventParams.extend({ jobId: param('jobId', '3f0c…', 'The schedule job id') });
const PairParams = EventParams.extend({ companyId: param('companyId', 's-c13'), needId: param('needId', 's-n01') });
const CompanyParams = EventParams.extend({ companyId: param('companyId', 's-c13') });
const OrganizationParams = EventParams.extend({ name: param('name', '昆明滇湖水务发展有限公司', "A need's `organization`, URL-encoded") });
const AgendaParams = EventParams.extend({
  kind: z.enum(['company', 'organization']).openapi({ param: { name: 'kind', in: 'path' }, example: 'company' }),
  participant: param('participant', 's-c13', 'A company id, or an organisation name (URL-encoded)'),
});

const LanguageQuery = z.object({
  lang: z.enum(AGENDA_LANGUAGES).optional().openapi({ description: 'Language of the agenda: sv, en or zh (default en)', example: 'sv' }),
});

const EVENT_EXAMPLE = {
  id: 'kunming-fair-2027',
  name: 'Kunming matchmaking day',
  place: 'Kunming Dianchi Convention Centre',
  timeZone: 'Asia/Shanghai',
  slots: [
    { id: 's1', start: '2027-05-12T09:00', end: '2027-05-12T09:30' },
    { id: 's2', start: '2027-05-12T09:40', end: '2027-05-12T10:10' },
  ],
  tables: 4,
  interpreters: 1,
  companies: [{ id: 's-c13', unavailable: [], maxMeetings: 2 }],
  organizations: [{ name: '昆明滇湖水务发展有限公司', maxMeetings: 2 }],
  requests: [{ companyId: 's-c13', needId: 's-n01', status: 'accepted' }],
};

/** Documents the event format; the body is validated whole by core's event schema (every problem naming its field). */
const EventSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    place: z.string().optional(),
    timeZone: z.string().optional(),
    slots: z.array(z.object({ id: z.string(), start: z.string(), end: z.string() })),
    tables: z.number().int(),
    interpreters: z.number().int().optional(),
    companies: z.array(z.object({ id: z.string(), unavailable: z.array(z.string()).optional(), maxMeetings: z.number().int().optional(), languages: z.array(z.string()).optional() })),
    organizations: z.array(
      z.object({
        name: z.string(),
        unavailable: z.array(z.string()).optional(),
        maxMeetings: z.number().int().optional(),
        languages: z.array(z.string()).optional(),
        needIds: z.array(z.string()).optional(),
      }),
    ),
    requests: z.array(z.object({ companyId: z.string(), needId: z.string(), status: z.enum(['accepted', 'declined', 'pending']), from: z.enum(['company', 'organization']).optional() })).optional(),
    pins: z.array(z.object({ companyId: z.string(), needId: z.string(), slot: z.string().optional() })).optional(),
    forbids: z.array(z.object({ companyId: z.string(), needId: z.string().optional(), organization: z.string().optional() })).optional(),
  })
  .openapi('Event', {
    description:
      'An event (docs/FORMAT.md, "Events"): slots, tables, interpreters, participants with availability and maximum meetings, requests, pins and forbids. Ids are checked against the stored companies and needs.',
    example: EVENT_EXAMPLE,
  });

/** The body as sent: core validates it (its messages, its defaults), so the route only needs an object. */
const EventBody = z.looseObject({}).openapi('EventInput', { description: 'The event format; see `Event`.', example: EVENT_EXAMPLE });

const EventSummarySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    place: z.string().optional(),
    timeZone: z.string(),
    slots: z.number().int(),
    tables: z.number().int(),
    companies: z.number().int(),
    organizations: z.number().int(),
    meetings: z.number().int().optional().openapi({ description: 'Meetings of the current programme, when there is one' }),
    updatedAt: z.string(),
  })
  .openapi('EventSummary');

const language = z.string().regex(/^[a-z]{2}$/, { error: 'must be an ISO 639-1 code such as "zh"' });
const ParticipantBody = z
  .object({
    unavailable: z.array(text).optional().openapi({ description: 'Slot ids the participant cannot meet in' }),
    maxMeetings: z.number().int({ error: 'must be a whole number' }).nonnegative({ error: 'must not be negative' }).optional(),
    languages: z.array(language).optional().openapi({ description: 'Working languages; left out: from the records' }),
  })
  .strict();
const OrganizationBody = ParticipantBody.extend({
  needIds: z.array(text).optional().openapi({ description: 'Only these of its open needs are meeting topics' }),
}).strict();

const RequestBody = z
  .object({ companyId: text, needId: text, from: z.enum(['company', 'organization']).openapi({ description: 'Which side asks' }) })
  .strict()
  .openapi('EventRequestInput');
const AnswerBody = z
  .object({ status: z.enum(['accepted', 'declined', 'pending']).openapi({ description: "The other side's answer (or back to pending)" }) })
  .strict();
const PinBody = z.object({ slot: text.optional().openapi({ description: 'Pin the meeting to this slot too' }) }).strict();

const ScheduleBody = z
  .object({
    mode: z.enum(['full', 'repair']).optional().openapi({
      description: '`full` (default) schedules from scratch; `repair` keeps every still-valid meeting of the current programme (after a cancellation) and fills around them',
    }),
    method: z.enum(['auto', 'lp', 'heuristic', 'greedy']).optional().openapi({ description: 'Default `auto`: HiGHS LP when the event is small enough, else the heuristic' }),
    timeLimit: z
      .number()
      .positive({ error: 'must be more than 0' })
      .max(MAX_SCHEDULE_TIME_LIMIT, { error: `must be at most ${MAX_SCHEDULE_TIME_LIMIT} seconds` })
      .optional()
      .openapi({ description: 'Seconds the LP may take (default 10)' }),
  })
  .strict();

const IssueSchema = z.object({ path: z.string(), message: z.string() });
const MeetingSchema = z
  .object({
    slot: z.string(),
    table: z.number().int(),
    companyId: z.string(),
    needId: z.string(),
    organization: z.string(),
    score: z.number(),
    interpreter: z.boolean(),
    start: z.string(),
    end: z.string(),
    request: z.enum(['accepted', 'pending']).optional(),
    pinned: z.boolean().optional(),
  })
  .openapi('Meeting');
const ProgrammeSchema = z
  .object({
    eventId: z.string(),
    meetings: z.array(MeetingSchema),
    objective: z.number(),
    bound: z.number().openapi({ description: 'An upper bound on any programme’s objective' }),
    gap: z.number().openapi({ description: '(bound − objective) / bound' }),
    unscheduledRequests: z.array(z.object({ companyId: z.string(), needId: z.string(), status: z.string(), reason: z.string() })),
    unscheduledPins: z.array(z.object({ companyId: z.string(), needId: z.string(), slot: z.string().optional(), reason: z.string() })),
    method: z.string(),
    boundSource: z.string(),
    stats: z.record(z.string(), z.number()),
    changes: z.object({ kept: z.number().int(), removed: z.array(z.looseObject({})), added: z.array(MeetingSchema) }).optional(),
  })
  .openapi('Programme', { description: "The CLI contract's fields (eventId, meetings, objective, bound, gap, unscheduledRequests), then extensions." });
const StoredProgrammeSchema = z
  .object({
    version: z.number().int(),
    source: z.enum(['schedule', 'repair', 'manual']),
    createdAt: z.string(),
    programme: ProgrammeSchema,
    conflicts: z.array(IssueSchema).openapi({ description: 'Rules the programme breaks against the event as it is now (after a cancellation, say); empty when valid' }),
  })
  .openapi('EventProgramme');
const ScheduleJobSchema = z
  .object({
    id: z.string(),
    eventId: z.string(),
    mode: z.enum(['full', 'repair']),
    status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']),
    done: z.number().int(),
    total: z.number().int(),
    progress: z.object({ phase: z.enum(['queued', 'scores', 'solve', 'assign', 'fill', 'done']), done: z.number(), total: z.number() }),
    createdAt: z.string(),
    startedAt: z.string().optional(),
    finishedAt: z.string().optional(),
    error: z.string().optional(),
    programme: ProgrammeSchema.optional().openapi({ description: 'Once succeeded (and stored as the current programme)' }),
    version: z.number().int().optional(),
  })
  .openapi('ScheduleJob');
const MoveBody = z
  .object({
    companyId: text,
    needId: text,
    slot: text.openapi({ description: 'The slot to move the meeting to' }),
    table: z.number().int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' }),
    dryRun: z.boolean().optional().openapi({ description: 'Only show the conflicts; save nothing' }),
  })
  .strict();
const MoveOutcomeSchema = z
  .object({
    saved: z.boolean(),
    conflicts: z.array(IssueSchema),
    newConflicts: z.array(IssueSchema),
    programme: z.object({ version: z.number().int(), source: z.string(), createdAt: z.string(), programme: ProgrammeSchema }).optional(),
  })
  .openapi('MeetingMoveOutcome');
const AgendaSchema = z.looseObject({
  language: z.enum(AGENDA_LANGUAGES),
  eventId: z.string(),
  eventName: z.string(),
  participant: z.object({ kind: z.enum(['company', 'organization']), id: z.string(), name: z.string() }),
  meetings: z.array(z.looseObject({ slot: z.string(), table: z.number().int(), explanation: z.string(), interpreter: z.boolean() })),
}).openapi('Agenda');

/** Core's results are deeply readonly; the response schemas' types are not (the JSON is the same). */
type Writable<T> = T extends readonly (infer U)[] ? Writable<U>[] : T extends object ? { -readonly [K in keyof T]: Writable<T[K]> } : T;
const plain = <T,>(value: T): Writable<T> => value as Writable<T>;

const eventResponse = (description: string) => ({ description, content: { 'application/json': { schema: EventSchema } } });
const json = <T extends z.ZodType>(schema: T) => ({ required: true, content: { 'application/json': { schema } } });
const lang = (value: AgendaLanguage | undefined): AgendaLanguage => value ?? 'en';
/** `attachment; filename="…"` safe for any id: ASCII only, anything else becomes `_`. */
const fileName = (name: string) => name.replace(/[^\w.-]+/g, '_').slice(0, 120) || 'agenda';

/**
 * Events (issue 11): create and edit matchmaking events and their participants, requests,
 * pins and forbids; schedule a programme as a job; move a meeting by hand; agendas (JSON,
 * printable HTML), calendars (.ics) and the programme as CSV. Writes need a coordinator;
 * readers may read events, programmes and agendas, which hold no contact details.
 */
export function registerEventRoutes(app: App, deps: RouteDeps, options: { readonly onError?: (error: unknown) => void } = {}): void {
  const events: Events = eventsOf(deps.catalog, options);
  const tags = ['events'];
  const reader = guard(deps, 'reader');
  const coordinator = guard(deps, 'coordinator');

  app.openapi(
    createRoute({
      method: 'get', path: '/events', tags, operationId: 'listEvents', summary: 'Every event, with counts', ...reader,
      responses: { 200: { description: 'The events', content: { 'application/json': { schema: z.object({ items: z.array(EventSummarySchema) }) } } }, ...problems(401, 403) },
    }),
    (c) => c.json({ items: events.list() }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post', path: '/events', tags, operationId: 'createEvent', summary: 'Create an event',
      description: 'The whole event in the event format. Every problem is named (`body.slots[2].end: must be after the slot\'s start…`, `body.companies[0].id: no company with id "x"`); 409 when the id is taken.',
      ...coordinator,
      request: { body: json(EventBody) },
      responses: { 201: eventResponse('Created'), ...problems(400, 401, 403, 409, 413, 415) },
    }),
    (c) => {
      const event = events.create(c.req.valid('json'));
      c.header('Location', `/events/${encodeURIComponent(event.id)}`);
      return c.json(event, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/events/{id}', tags, operationId: 'getEvent', summary: 'An event, as the event format writes it', ...reader,
      request: { params: EventParams },
      responses: { 200: eventResponse('The event'), ...problems(401, 403, 404) },
    }),
    (c) => c.json(events.get(c.req.valid('param').id), 200),
  );

  app.openapi(
    createRoute({
      method: 'put', path: '/events/{id}', tags, operationId: 'replaceEvent', summary: "Replace an event's definition",
      description: 'The whole event again (its `id` may be left out). Its programmes stay: a repair run starts from the current one.',
      ...coordinator,
      request: { params: EventParams, body: json(EventBody) },
      responses: { 200: eventResponse('Replaced'), ...problems(400, 401, 403, 404, 413, 415) },
    }),
    (c) => c.json(events.replace(c.req.valid('param').id, c.req.valid('json')), 200),
  );

  app.openapi(
    createRoute({
      method: 'delete', path: '/events/{id}', tags, operationId: 'deleteEvent', summary: 'Delete an event with its programmes', ...coordinator,
      request: { params: EventParams },
      responses: { 204: { description: 'Deleted' }, ...problems(401, 403, 404) },
    }),
    (c) => {
      events.remove(c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  // ── participants ──────────────────────────────────────────────────────
  for (const kind of ['company', 'organization'] as const) {
    const plural = kind === 'company' ? 'companies' : 'organizations';
    const Params = kind === 'company' ? CompanyParams : OrganizationParams;
    const key = kind === 'company' ? 'companyId' : 'name';
    const Name = kind === 'company' ? 'Company' : 'Organization';
    const refOf = (params: Record<string, string>) => params[key]!;
    app.openapi(
      createRoute({
        method: 'put', path: `/events/{id}/${plural}/{${key}}`, tags, operationId: `putEvent${Name}`,
        summary: kind === 'company' ? 'Add a company, or change its availability and maximum meetings' : 'Add an organisation, or change its availability, maximum meetings and topics',
        ...coordinator,
        request: { params: Params, body: json(kind === 'company' ? ParticipantBody : OrganizationBody) },
        responses: { 200: eventResponse('The changed event'), ...problems(400, 401, 403, 404, 413, 415) },
      }),
      (c) => c.json(events.putParticipant(c.req.valid('param').id, kind, refOf(c.req.valid('param') as Record<string, string>), c.req.valid('json')), 200),
    );
    app.openapi(
      createRoute({
        method: 'delete', path: `/events/{id}/${plural}/{${key}}`, tags, operationId: `removeEvent${Name}`,
        summary: 'Take a participant out (a cancellation), with its requests, pins and forbids',
        description: 'Its meetings leave every agenda at once; the current programme keeps them (shown as conflicts) until the next run: `POST /events/{id}/schedule` with `mode: "repair"` reschedules with the fewest changes and lists them in `changes.removed`.',
        ...coordinator,
        request: { params: Params },
        responses: { 200: eventResponse('The changed event'), ...problems(400, 401, 403, 404) },
      }),
      (c) => c.json(events.removeParticipant(c.req.valid('param').id, kind as ParticipantKind, refOf(c.req.valid('param') as Record<string, string>)), 200),
    );
  }

  // ── requests, pins, forbids ───────────────────────────────────────────
  app.openapi(
    createRoute({
      method: 'post', path: '/events/{id}/requests', tags, operationId: 'requestEventMeeting', summary: 'One side asks to meet the other about a need',
      description: 'A pending request; the other side answers with `PUT /events/{id}/requests/{companyId}/{needId}`. 409 when the pair already has a request.',
      ...coordinator,
      request: { params: EventParams, body: json(RequestBody) },
      responses: { 201: eventResponse('The changed event'), ...problems(400, 401, 403, 404, 409, 413, 415) },
    }),
    (c) => c.json(events.ask(c.req.valid('param').id, c.req.valid('json')), 201),
  );
  app.openapi(
    createRoute({
      method: 'put', path: '/events/{id}/requests/{companyId}/{needId}', tags, operationId: 'answerEventRequest',
      summary: 'Accept or decline a request', description: 'Accepted requests are scheduled first; a declined pair never meets.',
      ...coordinator,
      request: { params: PairParams, body: json(AnswerBody) },
      responses: { 200: eventResponse('The changed event'), ...problems(400, 401, 403, 404, 413, 415) },
    }),
    (c) => {
      const { id, companyId, needId } = c.req.valid('param');
      return c.json(events.answer(id, companyId, needId, c.req.valid('json').status), 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'delete', path: '/events/{id}/requests/{companyId}/{needId}', tags, operationId: 'withdrawEventRequest', summary: 'Withdraw a request', ...coordinator,
      request: { params: PairParams },
      responses: { 200: eventResponse('The changed event'), ...problems(400, 401, 403, 404) },
    }),
    (c) => {
      const { id, companyId, needId } = c.req.valid('param');
      return c.json(events.withdraw(id, companyId, needId), 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'put', path: '/events/{id}/pins/{companyId}/{needId}', tags, operationId: 'pinEventMeeting', summary: 'Pin a pair: the coordinator wants this meeting (optionally in a slot)', ...coordinator,
      request: { params: PairParams, body: json(PinBody) },
      responses: { 200: eventResponse('The changed event'), ...problems(400, 401, 403, 404, 413, 415) },
    }),
    (c) => {
      const { id, companyId, needId } = c.req.valid('param');
      return c.json(events.pin(id, companyId, needId, c.req.valid('json').slot), 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'delete', path: '/events/{id}/pins/{companyId}/{needId}', tags, operationId: 'unpinEventMeeting', summary: 'Remove a pin', ...coordinator,
      request: { params: PairParams },
      responses: { 200: eventResponse('The changed event'), ...problems(400, 401, 403, 404) },
    }),
    (c) => {
      const { id, companyId, needId } = c.req.valid('param');
      return c.json(events.unpin(id, companyId, needId), 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'put', path: '/events/{id}/forbids/{companyId}/{needId}', tags, operationId: 'forbidEventMeeting',
      summary: 'Forbid a pair: never schedule this meeting', description: 'Forbidding a company every need of an organisation is done in the event itself (`forbids: [{ companyId, organization }]`).',
      ...coordinator,
      request: { params: PairParams },
      responses: { 200: eventResponse('The changed event'), ...problems(400, 401, 403, 404) },
    }),
    (c) => {
      const { id, companyId, needId } = c.req.valid('param');
      return c.json(events.forbid(id, companyId, needId), 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'delete', path: '/events/{id}/forbids/{companyId}/{needId}', tags, operationId: 'unforbidEventMeeting', summary: 'Remove a forbid', ...coordinator,
      request: { params: PairParams },
      responses: { 200: eventResponse('The changed event'), ...problems(400, 401, 403, 404) },
    }),
    (c) => {
      const { id, companyId, needId } = c.req.valid('param');
      return c.json(events.unforbid(id, companyId, needId), 200);
    },
  );

  // ── scheduling ────────────────────────────────────────────────────────
  app.openapi(
    createRoute({
      method: 'post', path: '/events/{id}/schedule', tags, operationId: 'scheduleEvent', summary: 'Schedule the programme (a job)',
      description:
        'Queues a run of the scheduler (HiGHS LP with a heuristic for big events) and answers 202 with the job; follow `Location` for its progress and, once succeeded, the programme (objective, bound, gap, meetings, unscheduledRequests), which becomes the current one. `mode: "repair"` keeps every still-valid meeting of the current programme. 429 when too many runs are waiting.',
      ...coordinator,
      request: { params: EventParams, body: { required: false, content: { 'application/json': { schema: ScheduleBody } } } },
      responses: { 202: { description: 'Queued', content: { 'application/json': { schema: ScheduleJobSchema } } }, ...problems(400, 401, 403, 404, 413, 415, 429) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      // The body is optional: a POST without one schedules from scratch with the defaults.
      const body = (c.req.valid('json') as z.infer<typeof ScheduleBody> | undefined) ?? {};
      const job = events.schedule(id, body, c.get('keyId'));
      c.header('Location', `/events/${encodeURIComponent(id)}/schedule/${job.id}`);
      return c.json(plain(job), 202);
    },
  );
  app.openapi(
    createRoute({
      method: 'get', path: '/events/{id}/schedule/{jobId}', tags, operationId: 'getScheduleJob', summary: 'A schedule job: progress, then the programme', ...reader,
      request: { params: JobParams },
      responses: { 200: { description: 'The job', content: { 'application/json': { schema: ScheduleJobSchema } } }, ...problems(401, 403, 404) },
    }),
    (c) => {
      const { id, jobId } = c.req.valid('param');
      return c.json(plain(events.job(id, jobId)), 200);
    },
  );

  // ── the programme ─────────────────────────────────────────────────────
  app.openapi(
    createRoute({
      method: 'get', path: '/events/{id}/programme', tags, operationId: 'getEventProgramme', summary: 'The current programme, with the rules it now breaks', ...reader,
      request: { params: EventParams },
      responses: { 200: { description: 'The programme', content: { 'application/json': { schema: StoredProgrammeSchema } } }, ...problems(401, 403, 404) },
    }),
    (c) => c.json(plain(events.programme(c.req.valid('param').id)), 200),
  );
  app.openapi(
    createRoute({
      method: 'get', path: '/events/{id}/programme.csv', tags, operationId: 'exportEventProgramme', summary: 'The whole programme as CSV',
      description: 'One row per meeting in time and table order: local times, names, the one-line explanation in `lang`; UTF-8 with a byte-order mark, formulas escaped.',
      ...reader,
      request: { params: EventParams, query: LanguageQuery },
      responses: { 200: { description: 'CSV', content: { 'text/csv': { schema: z.string() } } }, ...problems(400, 401, 403, 404) },
    }),
    (c) => {
      const { id } = c.req.valid('param');
      const csv = events.csv(id, lang(c.req.valid('query').lang));
      c.header('Content-Type', 'text/csv; charset=utf-8');
      c.header('Content-Disposition', `attachment; filename="${fileName(`programme-${id}`)}.csv"`);
      return c.body(csv, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'post', path: '/events/{id}/programme/moves', tags, operationId: 'moveEventMeeting', summary: 'Move a meeting by hand to another slot and table',
      description:
        "Checks the moved programme with core's conflict checker. With no new conflict it is saved as a new version (source `manual`); with any, 409 naming each (`meetings[4].table: table 3 is already taken in slot \"s2\" by meetings[1]`) and nothing saved. `dryRun` only shows the conflicts.",
      ...coordinator,
      request: { params: EventParams, body: json(MoveBody) },
      responses: { 200: { description: 'Saved, or (dryRun) the conflicts it would bring', content: { 'application/json': { schema: MoveOutcomeSchema } } }, ...problems(400, 401, 403, 404, 409, 413, 415) },
    }),
    (c) => {
      const { dryRun, ...move } = c.req.valid('json');
      const outcome = events.move(c.req.valid('param').id, move, { dryRun: dryRun === true });
      if (dryRun !== true && !outcome.saved) {
        throw new ApiError('CONFLICT', `the move breaks ${outcome.newConflicts.length} rule(s) of the event; nothing was saved`, { issues: outcome.newConflicts });
      }
      const { programme, ...rest } = outcome;
      return c.json(plain({ ...rest, ...(outcome.saved && programme !== undefined ? { programme } : {}) }), 200);
    },
  );

  // ── agendas ───────────────────────────────────────────────────────────
  app.openapi(
    createRoute({
      method: 'get', path: '/events/{id}/agendas', tags, operationId: 'listEventAgendas', summary: "Every participant's agenda in one language", ...reader,
      request: { params: EventParams, query: LanguageQuery },
      responses: { 200: { description: 'Companies first, then organisations', content: { 'application/json': { schema: z.object({ items: z.array(AgendaSchema) }) } } }, ...problems(400, 401, 403, 404) },
    }),
    (c) => c.json(plain({ items: events.agendas(c.req.valid('param').id, lang(c.req.valid('query').lang)) }), 200),
  );
  app.openapi(
    createRoute({
      method: 'get', path: '/events/{id}/agendas/{kind}/{participant}', tags, operationId: 'getEventAgenda', summary: "A participant's agenda (JSON)", ...reader,
      request: { params: AgendaParams, query: LanguageQuery },
      responses: { 200: { description: 'The agenda', content: { 'application/json': { schema: AgendaSchema } } }, ...problems(400, 401, 403, 404) },
    }),
    (c) => {
      const { id, kind, participant } = c.req.valid('param');
      return c.json(plain(events.agenda(id, kind, participant, lang(c.req.valid('query').lang))), 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'get', path: '/events/{id}/agendas/{kind}/{participant}/agenda.html', tags, operationId: 'printEventAgenda',
      summary: "A participant's agenda as a printable HTML page", description: 'One self-contained document (A4 print styles inlined), in `lang`.',
      ...reader,
      request: { params: AgendaParams, query: LanguageQuery },
      responses: { 200: { description: 'HTML', content: { 'text/html': { schema: z.string() } } }, ...problems(400, 401, 403, 404) },
    }),
    async (c) => {
      const { id, kind, participant } = c.req.valid('param');
      return c.html(await agendaHtml(events.agenda(id, kind, participant, lang(c.req.valid('query').lang)), 'inline'), 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'get', path: '/events/{id}/agendas/{kind}/{participant}/calendar.ics', tags, operationId: 'getEventAgendaCalendar',
      summary: "A participant's meetings as an iCalendar file", description: 'RFC 5545 (ical-generator): one VEVENT per meeting in the event\'s time zone, with its VTIMEZONE; texts in `lang`.',
      ...reader,
      request: { params: AgendaParams, query: LanguageQuery },
      responses: { 200: { description: 'iCalendar', content: { 'text/calendar': { schema: z.string() } } }, ...problems(400, 401, 403, 404) },
    }),
    (c) => {
      const { id, kind, participant } = c.req.valid('param');
      const ics = events.calendar(id, kind, participant, lang(c.req.valid('query').lang));
      c.header('Content-Type', 'text/calendar; charset=utf-8');
      c.header('Content-Disposition', `attachment; filename="${fileName(`${id}-${participant}`)}.ics"`);
      return c.body(ics, 200);
    },
  );
}
