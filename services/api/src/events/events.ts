import {
  agendaCalendar,
  buildAgendas,
  canonicalJson,
  findConflicts,
  PartnermatchError,
  programmeCsv,
  scheduleEvent,
  validateEvent,
  type Agenda,
  type AgendaLanguage,
  type Event,
  type EventDirectory,
  type Matcher,
  type Meeting,
  type PartnerNeed,
  type Programme,
  type ScheduleMethod,
  type ScheduleProgress,
  type ValidationIssue,
} from '@partnermatch/core';
import { DateTime } from 'luxon';
import { JobQueue, type JobSnapshot } from '../jobs.js';
import type { Records } from '../domain/records.js';
import { EventStore, type EventSummary, type StoredProgramme } from './store.js';

export type ParticipantKind = 'company' | 'organization';
export type ScheduleMode = 'full' | 'repair';

export interface ScheduleRequest {
  /** `full` schedules from scratch; `repair` keeps every still-valid meeting of the current programme. Default `full`. */
  readonly mode?: ScheduleMode;
  readonly method?: ScheduleMethod;
  /** Seconds the LP may take. */
  readonly timeLimit?: number;
}

/** A schedule job as the API shows it: the queue's snapshot, the solver's phase, and the programme once done. */
export interface ScheduleJob extends JobSnapshot {
  readonly eventId: string;
  readonly mode: ScheduleMode;
  readonly progress: { readonly phase: ScheduleProgress['phase'] | 'queued' | 'done'; readonly done: number; readonly total: number };
  readonly programme?: Programme;
  /** The stored programme's version, once saved. */
  readonly version?: number;
}

/** What a hand move found: every conflict of the moved programme, and whether it was saved. */
export interface MoveOutcome {
  readonly saved: boolean;
  /** Every rule the programme breaks after the move (those it broke before included). */
  readonly conflicts: readonly ValidationIssue[];
  /** The conflicts the move itself would bring; a move with any is not saved. */
  readonly newConflicts: readonly ValidationIssue[];
  readonly programme: StoredProgramme | undefined;
}

export interface MeetingMove {
  readonly companyId: string;
  readonly needId: string;
  readonly slot: string;
  readonly table: number;
}

/** The event's programme with the rules it now breaks (after a change of availability, a cancellation…). */
export interface ProgrammeView extends StoredProgramme {
  readonly conflicts: readonly ValidationIssue[];
}

interface ScheduleOutcome {
  readonly programme: Programme;
  readonly version: number;
}

/** Default and largest LP time per schedule job, in seconds: a job holds the queue while it runs. */
export const DEFAULT_SCHEDULE_TIME_LIMIT = 10;
export const MAX_SCHEDULE_TIME_LIMIT = 60;

function notFound(what: string): PartnermatchError {
  return new PartnermatchError('NOT_FOUND', what);
}

function invalid(issues: readonly ValidationIssue[]): PartnermatchError {
  return new PartnermatchError('INVALID_INPUT', `the event is invalid: ${issues.length} problem(s)`, { issues: [...issues] });
}

/** Issues of `event.companies[3].maxMeetings` read as `body.maxMeetings` when the body was that participant. */
function rebase(issues: readonly ValidationIssue[], from: string | undefined, to: string): ValidationIssue[] {
  if (from === undefined) return [...issues];
  return issues.map((issue) =>
    issue.path === from || issue.path.startsWith(`${from}.`) || issue.path.startsWith(`${from}[`) ? { ...issue, path: `${to}${issue.path.slice(from.length)}` } : issue,
  );
}

/** Duplicate requests, pins and forbids: each pair may be listed once (the tables key them by pair). */
function duplicateIssues(event: Event, label: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const check = (list: readonly object[], name: string, key: (item: never) => string) => {
    const first = new Map<string, number>();
    list.forEach((item, i) => {
      const k = key(item as never);
      const before = first.get(k);
      if (before === undefined) first.set(k, i);
      else issues.push({ path: `${label}.${name}[${i}]`, message: `the same pair as ${name}[${before}]; list each pair once` });
    });
  };
  check(event.requests, 'requests', (r: Event['requests'][number]) => `${r.companyId}\u0000${r.needId}`);
  check(event.pins, 'pins', (p: Event['pins'][number]) => `${p.companyId}\u0000${p.needId}`);
  check(event.forbids, 'forbids', (f: Event['forbids'][number]) => `${f.companyId}\u0000${f.needId ?? ''}\u0000${f.organization ?? ''}`);
  return issues;
}

/**
 * The event without a participant (a cancellation): its entry, and the requests, pins and
 * forbids it is in (an organisation's by its needs, `needsOf`, or by name).
 */
function withoutParticipant(event: Event, kind: ParticipantKind, ref: string, needsOf: ReadonlySet<string>): Event {
  const involved = (pair: { companyId: string; needId?: string; organization?: string }) =>
    kind === 'company' ? pair.companyId === ref : (pair.needId !== undefined && needsOf.has(pair.needId)) || pair.organization === ref;
  return {
    ...event,
    companies: kind === 'company' ? event.companies.filter((c) => c.id !== ref) : event.companies,
    organizations: kind === 'organization' ? event.organizations.filter((o) => o.name !== ref) : event.organizations,
    requests: event.requests.filter((r) => !involved(r)),
    pins: event.pins.filter((p) => !involved(p)),
    forbids: event.forbids.filter((f) => !involved(f)),
  };
}

/**
 * Matchmaking events of the service (issue 11): stored in SQLite, validated whole by core's
 * event schema against the stored companies and needs before every write, scheduled by
 * core's `scheduleEvent` in a job queue of their own (so a batch run does not hold up a
 * programme, nor the reverse), with agendas, calendars and CSV from core.
 */
export class Events {
  readonly #records: Records;
  readonly #store: EventStore;
  readonly #jobs: JobQueue<ScheduleOutcome>;
  readonly #jobInfo = new Map<string, { eventId: string; mode: ScheduleMode; progress: ScheduleJob['progress'] }>();

  constructor(records: Records, options: { readonly onError?: (error: unknown) => void } = {}) {
    this.#records = records;
    this.#store = new EventStore(records.store.db);
    this.#jobs = new JobQueue<ScheduleOutcome>({
      retain: 20,
      // A programme weighs its meetings; 20 000 of them are kept at most.
      weigh: (outcome) => outcome.programme.meetings.length,
      retainWeight: 20_000,
      maxPending: 4,
      maxPendingPerOwner: 2,
      ...(options.onError === undefined ? {} : { onError: options.onError }),
    });
    records.listen({
      removed: (kind, id) => {
        if (kind === 'company') this.#cancelCompany(id);
        else this.#cancelNeed(id);
      },
    });
  }

  /**
   * A deleted company's participation is cancelled in every event it takes part in, inside the
   * delete's transaction, as `DELETE /events/{id}/companies/{companyId}` cancels it: it leaves the
   * participants with its requests, pins and forbids, so the event schedules again at once, and
   * its meetings leave every agenda (core's `buildAgendas` lists only meetings of participants).
   * The programme keeps them, shown as conflicts naming the company, until a repair run takes
   * them out and lists them in `changes.removed`. Not validated again: taking a company out
   * brings no new problem, and the delete must not fail on another.
   */
  #cancelCompany(companyId: string): void {
    for (const eventId of this.#store.eventsWithCompany(companyId)) {
      const event = this.#store.get(eventId);
      if (event !== undefined) this.#store.put(withoutParticipant(event, 'company', companyId, new Set()));
    }
  }

  /**
   * A deleted need leaves every event as a cancelled company does: its requests, pins and
   * forbids go, it leaves the `needIds` of its organisation, and an organisation left with no
   * need to meet about (its listed needs, or every stored need under its name, all gone) leaves
   * the participants. Its meetings stay in the programme as conflicts until a repair run.
   */
  #cancelNeed(needId: string): void {
    const named = new Set<string>();
    for (const need of this.#needs()) if (need.id !== needId) named.add(need.organization);
    const gone = new Set([needId]);
    for (const { id } of this.#store.list()) {
      const event = this.#store.get(id);
      if (event === undefined) continue;
      let next: Event = {
        ...event,
        organizations: event.organizations.map((o) => (o.needIds !== undefined && o.needIds.includes(needId) ? { ...o, needIds: o.needIds.filter((n) => n !== needId) } : o)),
        requests: event.requests.filter((r) => r.needId !== needId),
        pins: event.pins.filter((p) => p.needId !== needId),
        forbids: event.forbids.filter((f) => f.needId !== needId),
      };
      for (const o of next.organizations) {
        if (o.needIds?.length === 0 || !named.has(o.name)) next = withoutParticipant(next, 'organization', o.name, gone);
      }
      if (canonicalJson(next) !== canonicalJson(event)) this.#store.put(next);
    }
  }

  /** The matcher holding every stored record (scheduling and agendas need names and explanations). */
  get #matcher(): Matcher {
    // Records keeps a full core Matcher; its getter narrows the type to what rankings use.
    return this.#records.matcher as unknown as Matcher;
  }

  #needs(): readonly PartnerNeed[] {
    return this.#records.all('need');
  }

  #directory(): EventDirectory {
    const records = this.#records;
    let open: Map<string, PartnerNeed[]> | undefined;
    let organizations: Set<string> | undefined;
    const index = () => {
      if (open === undefined) {
        open = new Map();
        organizations = new Set();
        for (const need of this.#needs()) {
          organizations.add(need.organization);
          if (need.status === 'open') (open.get(need.organization) ?? open.set(need.organization, []).get(need.organization)!).push(need);
        }
      }
      return { open, organizations: organizations! };
    };
    return {
      hasCompany: (id) => records.has('company', id),
      need: (id) => (records.has('need', id) ? records.get('need', id) : undefined),
      openNeedsOf: (organization) => index().open.get(organization) ?? [],
      hasOrganization: (organization) => index().organizations.has(organization),
    };
  }

  list(): EventSummary[] {
    return this.#store.list();
  }

  get(id: string): Event {
    const event = this.#store.get(id);
    if (event === undefined) throw notFound(`no event with id ${JSON.stringify(id)}`);
    return event;
  }

  /** Validates a whole event (core's rules, ids checked against the stored records); throws INVALID_INPUT naming every field. */
  validate(input: unknown, label: string): Event {
    const result = validateEvent(input, this.#directory(), label);
    if (!result.ok) throw invalid(result.issues);
    const duplicates = duplicateIssues(result.value, label);
    if (duplicates.length > 0) throw invalid(duplicates);
    return result.value;
  }

  create(input: unknown): Event {
    const event = this.validate(input, 'body');
    this.#store.transaction(() => {
      if (this.#store.has(event.id)) {
        const message = `an event with id ${JSON.stringify(event.id)} already exists`;
        throw new PartnermatchError('DUPLICATE_ID', message, { issues: [{ path: 'body.id', message: `is taken: ${message}` }] });
      }
      this.#store.put(event);
    });
    return event;
  }

  /** Replaces an event's definition; its programmes stay (a repair run starts from the newest). */
  replace(id: string, input: unknown): Event {
    const body = input !== null && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : undefined;
    if (body !== undefined && body['id'] !== undefined && body['id'] !== id) {
      throw invalid([{ path: 'body.id', message: `must be the event's id ${JSON.stringify(id)} (or left out)` }]);
    }
    const event = this.validate(body === undefined ? input : { ...body, id }, 'body');
    this.#store.transaction(() => {
      if (!this.#store.has(id)) throw notFound(`no event with id ${JSON.stringify(id)}`);
      this.#store.put(event);
    });
    return event;
  }

  remove(id: string): void {
    if (!this.#store.transaction(() => this.#store.delete(id))) throw notFound(`no event with id ${JSON.stringify(id)}`);
  }

  /**
   * Changes one part of a stored event and writes it if the whole still validates. `focus`
   * names where the body landed (`event.companies[3]`), so its issues read `body.…`.
   */
  #change(id: string, edit: (event: Event) => { event: Event; focus?: string }): Event {
    return this.#store.transaction(() => {
      const { event: changed, focus } = edit(this.get(id));
      const result = validateEvent(changed, this.#directory(), 'event');
      if (!result.ok) throw invalid(rebase(result.issues, focus, 'body'));
      this.#store.put(result.value);
      return result.value;
    });
  }

  /** Adds a company or organisation, or changes its availability, maximum meetings and languages. */
  putParticipant(id: string, kind: ParticipantKind, ref: string, body: { unavailable?: string[]; maxMeetings?: number; languages?: string[]; needIds?: string[] }): Event {
    try {
      return this.#putParticipant(id, kind, ref, body);
    } catch (error) {
      // The participant's id (or name) came in the path, not the body.
      if (error instanceof PartnermatchError && error.code === 'INVALID_INPUT') {
        const from = kind === 'company' ? 'body.id' : 'body.name';
        const to = kind === 'company' ? 'path.companyId' : 'path.name';
        throw invalid(error.issues.map((issue) => (issue.path === from ? { ...issue, path: to } : issue)));
      }
      throw error;
    }
  }

  #putParticipant(id: string, kind: ParticipantKind, ref: string, body: { unavailable?: string[]; maxMeetings?: number; languages?: string[]; needIds?: string[] }): Event {
    return this.#change(id, (event) => {
      const fields = {
        unavailable: body.unavailable ?? [],
        ...(body.maxMeetings === undefined ? {} : { maxMeetings: body.maxMeetings }),
        ...(body.languages === undefined ? {} : { languages: body.languages }),
      };
      if (kind === 'company') {
        const i = event.companies.findIndex((c) => c.id === ref);
        const companies = [...event.companies];
        const at = i === -1 ? companies.length : i;
        companies[at] = { id: ref, ...fields };
        return { event: { ...event, companies }, focus: `event.companies[${at}]` };
      }
      const i = event.organizations.findIndex((o) => o.name === ref);
      const organizations = [...event.organizations];
      const at = i === -1 ? organizations.length : i;
      organizations[at] = { name: ref, ...fields, ...(body.needIds === undefined ? {} : { needIds: body.needIds }) };
      return { event: { ...event, organizations }, focus: `event.organizations[${at}]` };
    });
  }

  /**
   * Takes a participant out of the event (a cancellation), with its requests, pins and forbids.
   * Its meetings leave every agenda; the programme keeps them, as conflicts, until the next (repair) run.
   */
  removeParticipant(id: string, kind: ParticipantKind, ref: string): Event {
    return this.#change(id, (event) => {
      const exists = kind === 'company' ? event.companies.some((c) => c.id === ref) : event.organizations.some((o) => o.name === ref);
      if (!exists) throw notFound(`${kind === 'company' ? 'company' : 'organization'} ${JSON.stringify(ref)} is not a participant of event ${JSON.stringify(id)}`);
      const needsOf = kind === 'organization' ? new Set(this.#needs().filter((n) => n.organization === ref).map((n) => n.id)) : new Set<string>();
      return { event: withoutParticipant(event, kind, ref, needsOf) };
    });
  }

  /** One side asks to meet the other about a need: a pending request (409 when the pair already has one). */
  ask(id: string, body: { companyId: string; needId: string; from: 'company' | 'organization' }): Event {
    return this.#change(id, (event) => {
      const existing = event.requests.findIndex((r) => r.companyId === body.companyId && r.needId === body.needId);
      if (existing !== -1) {
        const message = `the pair already has a request (${event.requests[existing]!.status})`;
        throw new PartnermatchError('DUPLICATE_ID', message, { issues: [{ path: 'body.needId', message }] });
      }
      const requests = [...event.requests, { companyId: body.companyId, needId: body.needId, status: 'pending' as const, from: body.from }];
      return { event: { ...event, requests }, focus: `event.requests[${requests.length - 1}]` };
    });
  }

  /** The other side accepts or declines (or a coordinator records its answer). */
  answer(id: string, companyId: string, needId: string, status: 'accepted' | 'declined' | 'pending'): Event {
    return this.#change(id, (event) => {
      const i = event.requests.findIndex((r) => r.companyId === companyId && r.needId === needId);
      if (i === -1) throw notFound(`no request of ${JSON.stringify(companyId)} about ${JSON.stringify(needId)} in event ${JSON.stringify(id)}`);
      const requests = event.requests.map((r, j) => (j === i ? { ...r, status } : r));
      return { event: { ...event, requests }, focus: `event.requests[${i}]` };
    });
  }

  withdraw(id: string, companyId: string, needId: string): Event {
    return this.#change(id, (event) => {
      const requests = event.requests.filter((r) => !(r.companyId === companyId && r.needId === needId));
      if (requests.length === event.requests.length) throw notFound(`no request of ${JSON.stringify(companyId)} about ${JSON.stringify(needId)} in event ${JSON.stringify(id)}`);
      return { event: { ...event, requests } };
    });
  }

  pin(id: string, companyId: string, needId: string, slot: string | undefined): Event {
    return this.#change(id, (event) => {
      const i = event.pins.findIndex((p) => p.companyId === companyId && p.needId === needId);
      const pins = [...event.pins];
      const at = i === -1 ? pins.length : i;
      pins[at] = { companyId, needId, ...(slot === undefined ? {} : { slot }) };
      return { event: { ...event, pins }, focus: `event.pins[${at}]` };
    });
  }

  unpin(id: string, companyId: string, needId: string): Event {
    return this.#change(id, (event) => {
      const pins = event.pins.filter((p) => !(p.companyId === companyId && p.needId === needId));
      if (pins.length === event.pins.length) throw notFound(`no pin of ${JSON.stringify(companyId)} and ${JSON.stringify(needId)} in event ${JSON.stringify(id)}`);
      return { event: { ...event, pins } };
    });
  }

  forbid(id: string, companyId: string, needId: string): Event {
    return this.#change(id, (event) => {
      if (event.forbids.some((f) => f.companyId === companyId && f.needId === needId)) return { event };
      const forbids = [...event.forbids, { companyId, needId }];
      return { event: { ...event, forbids }, focus: `event.forbids[${forbids.length - 1}]` };
    });
  }

  unforbid(id: string, companyId: string, needId: string): Event {
    return this.#change(id, (event) => {
      const forbids = event.forbids.filter((f) => !(f.companyId === companyId && f.needId === needId));
      if (forbids.length === event.forbids.length) throw notFound(`no forbid of ${JSON.stringify(companyId)} and ${JSON.stringify(needId)} in event ${JSON.stringify(id)}`);
      return { event: { ...event, forbids } };
    });
  }

  /** The current programme and the rules it breaks now; NOT_FOUND when none was made yet. */
  programme(id: string): ProgrammeView {
    const event = this.get(id);
    const stored = this.#store.programme(id);
    if (stored === undefined) throw notFound(`event ${JSON.stringify(id)} has no programme yet: schedule it first`);
    return { ...stored, conflicts: findConflicts(event, stored.programme.meetings, this.#directory()) };
  }

  /** The current programme, or undefined. */
  currentProgramme(id: string): StoredProgramme | undefined {
    return this.#store.programme(id);
  }

  /** Queues a schedule run: a 429 when too many are waiting. The programme is stored when it succeeds. */
  schedule(id: string, request: ScheduleRequest, owner?: string): ScheduleJob {
    // Checked now, against the records as they are, so a stale event is a 400 naming its field, not a failed job.
    this.validate(this.get(id), 'event');
    const mode = request.mode ?? 'full';
    if (mode === 'repair' && this.#store.programme(id) === undefined) {
      throw new PartnermatchError('INVALID_INPUT', `event ${JSON.stringify(id)} has no programme to repair: schedule it first`, {
        issues: [{ path: 'body.mode', message: 'repair needs an earlier programme; use "full"' }],
      });
    }
    const info = { eventId: id, mode, progress: { phase: 'queued', done: 0, total: 0 } as ScheduleJob['progress'] };
    const run = async (eventId: string): Promise<ScheduleOutcome> => {
      // Read at run time: the event and programme as they are when the job starts.
      const event = this.get(eventId);
      const previous = mode === 'repair' ? this.#store.programme(eventId)?.programme : undefined;
      const programme = await scheduleEvent(this.#matcher, event, {
        needs: this.#needs(),
        timeLimit: Math.min(request.timeLimit ?? DEFAULT_SCHEDULE_TIME_LIMIT, MAX_SCHEDULE_TIME_LIMIT),
        ...(request.method === undefined ? {} : { method: request.method }),
        ...(previous === undefined ? {} : { previous }),
        onProgress: (progress) => {
          info.progress = { ...progress };
        },
      });
      // Stored unless the event went away meanwhile.
      const saved = this.#store.transaction(() => (this.#store.has(eventId) ? this.#store.addProgramme(eventId, mode === 'repair' ? 'repair' : 'schedule', programme) : undefined));
      info.progress = { phase: 'done', done: 1, total: 1 };
      return { programme, version: saved?.version ?? 0 };
    };
    const snapshot = this.#jobs.submit([id], run, owner === undefined ? {} : { owner });
    // The queue forgets old jobs; their progress goes with them.
    for (const jobId of this.#jobInfo.keys()) if (this.#jobs.get(jobId) === undefined) this.#jobInfo.delete(jobId);
    this.#jobInfo.set(snapshot.id, info);
    return this.job(id, snapshot.id);
  }

  /** A schedule job of this event; NOT_FOUND for an unknown (or forgotten) one. */
  job(eventId: string, jobId: string): ScheduleJob {
    const snapshot = this.#jobs.get(jobId);
    const info = this.#jobInfo.get(jobId);
    if (snapshot === undefined || info === undefined || info.eventId !== eventId) {
      if (snapshot === undefined) this.#jobInfo.delete(jobId);
      throw notFound(`no schedule job ${JSON.stringify(jobId)} of event ${JSON.stringify(eventId)}`);
    }
    const outcome = this.#jobs.results(jobId)?.[0];
    return {
      ...snapshot,
      eventId,
      mode: info.mode,
      progress: info.progress,
      ...(outcome === undefined ? {} : { programme: outcome.programme, version: outcome.version }),
    };
  }

  async settled(jobId: string): Promise<void> {
    await this.#jobs.settled(jobId);
  }

  /** Stops queued and running schedule jobs (at shutdown). */
  async stop(): Promise<void> {
    await this.#jobs.stop();
  }

  /**
   * Moves one meeting by hand to another slot and table. Every conflict of the result is
   * returned (core's checker); the move is saved, as a new programme version, only when it
   * brings no conflict of its own and `dryRun` is off.
   */
  move(id: string, move: MeetingMove, options: { readonly dryRun?: boolean } = {}): MoveOutcome {
    return this.#store.transaction(() => {
      const event = this.get(id);
      const stored = this.#store.programme(id);
      if (stored === undefined) throw notFound(`event ${JSON.stringify(id)} has no programme yet: schedule it first`);
      const meetings = stored.programme.meetings;
      const index = meetings.findIndex((m) => m.companyId === move.companyId && m.needId === move.needId);
      if (index === -1) throw notFound(`the programme has no meeting of ${JSON.stringify(move.companyId)} about ${JSON.stringify(move.needId)}`);
      const slot = event.slots.find((s) => s.id === move.slot);
      if (slot === undefined) throw invalid([{ path: 'body.slot', message: `unknown slot id ${JSON.stringify(move.slot)}` }]);
      const instant = (value: string) => DateTime.fromISO(value, { zone: event.timeZone }).toUTC().toISO({ suppressMilliseconds: false }) ?? value;
      const moved: Meeting = { ...meetings[index]!, slot: move.slot, table: move.table, start: instant(slot.start), end: instant(slot.end) };
      const after = meetings.map((m, i) => (i === index ? moved : m));
      const directory = this.#directory();
      const key = (issue: ValidationIssue) => `${issue.path}\u0000${issue.message}`;
      const before = new Set(findConflicts(event, meetings, directory).map(key));
      const conflicts = findConflicts(event, after, directory);
      const newConflicts = conflicts.filter((issue) => !before.has(key(issue)));
      if (newConflicts.length > 0 || options.dryRun === true) return { saved: false, conflicts, newConflicts, programme: stored };
      const ordered = [...after].sort((a, b) => a.start.localeCompare(b.start) || a.table - b.table);
      const programme: Programme = { ...stored.programme, meetings: ordered };
      return { saved: true, conflicts, newConflicts, programme: this.#store.addProgramme(id, 'manual', programme) };
    });
  }

  /** Every participant's agenda in a language (companies first, then organisations). */
  agendas(id: string, language: AgendaLanguage): Agenda[] {
    const event = this.get(id);
    const stored = this.#store.programme(id);
    if (stored === undefined) throw notFound(`event ${JSON.stringify(id)} has no programme yet: schedule it first`);
    return buildAgendas(this.#matcher, event, stored.programme, language);
  }

  agenda(id: string, kind: ParticipantKind, ref: string, language: AgendaLanguage): Agenda {
    const agenda = this.agendas(id, language).find((a) => a.participant.kind === kind && a.participant.id === ref);
    if (agenda === undefined) throw notFound(`${kind === 'company' ? 'company' : 'organization'} ${JSON.stringify(ref)} is not a participant of event ${JSON.stringify(id)}`);
    return agenda;
  }

  calendar(id: string, kind: ParticipantKind, ref: string, language: AgendaLanguage): string {
    return agendaCalendar(this.agenda(id, kind, ref, language));
  }

  csv(id: string, language: AgendaLanguage): string {
    return programmeCsv(this.agendas(id, language), language);
  }
}
