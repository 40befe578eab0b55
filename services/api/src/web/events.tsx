import type { Hono } from 'hono';
import { AGENDA_LANGUAGES, PartnermatchError, type AgendaLanguage, type AgendaMeeting, type Event, type ValidationIssue } from '@partnermatch/core';
import { ApiError } from '../errors.js';
import { eventsOf, type Events, type MoveOutcome, type ParticipantKind, type ScheduleJob } from '../events/index.js';
import { encodePathSegment } from '../url.js';
import { field, readForm, render, requireCoordinator, sessionOf, type WebContext, type WebDeps, type WebEnv } from './context.js';
import { AGENDA_CSS, AGENDA_CSS_PATH, agendaHtml } from './events-agenda.js';
import { eventMessages, type EventMessages } from './events-i18n.js';
import { Csrf, Facts, FieldError, Layout, Notice, PageHead, formatScore, type View } from './layout.js';

/** Grid and form styles of the events pages, served beside the agenda's (the CSP allows no inline style). */
const EVENTS_CSS = `
.event-grid-wrap { overflow-x: auto; }
table.event-grid { border-collapse: collapse; min-width: 100%; }
table.event-grid th, table.event-grid td { border: 1px solid #c8ccd2; padding: .4rem .5rem; vertical-align: top; text-align: left; }
table.event-grid th[scope=row] { white-space: nowrap; background: #f4f5f7; }
table.event-grid td.meeting { min-width: 12rem; font-size: .9rem; }
table.event-grid td.meeting.interpreter { border: 2px dashed #7a4b00; }
table.event-grid td.meeting.conflict { outline: 3px solid #b00020; outline-offset: -3px; }
table.event-grid td.empty { color: #666; font-style: italic; }
.meeting-pair { font-weight: 600; }
.meeting-need, .meeting-why { display: block; }
.meeting-why { color: #333; }
.interpreter-mark { display: inline-block; border: 1px solid #7a4b00; color: #7a4b00; padding: 0 .3rem; border-radius: 3px; font-weight: 600; font-size: .8rem; }
.event-form textarea { width: 100%; min-height: 7rem; font-family: ui-monospace, monospace; }
.conflicts li { margin: .2rem 0; }
.move-form { display: flex; flex-wrap: wrap; gap: .8rem; align-items: end; }
.move-form .field { margin: 0; }
`;
const EVENTS_CSS_PATH = '/ui/events.css';

const eventPath = (id: string) => `/ui/events/${encodePathSegment(id)}`;
const agendaPath = (id: string, lang: AgendaLanguage, kind: ParticipantKind, ref: string) =>
  `${eventPath(id)}/agendas/${lang}/${kind}/${encodePathSegment(ref)}`;

function EventsLayout(props: { v: View; title: string; children?: unknown }) {
  return (
    <Layout v={props.v} title={props.title} head={<link rel="stylesheet" href={EVENTS_CSS_PATH} />}>
      {props.children as never}
    </Layout>
  );
}

// ── the form: the event in plain lines ─────────────────────────────────

/** What the form shows: every field as typed. */
interface EventForm {
  id: string;
  name: string;
  place: string;
  timeZone: string;
  tables: string;
  interpreters: string;
  slots: string;
  companies: string;
  organizations: string;
  requests: string;
}

type FormErrors = Partial<Record<keyof EventForm, string[]>>;

const FIELDS: readonly (keyof EventForm)[] = ['id', 'name', 'place', 'timeZone', 'tables', 'interpreters', 'slots', 'companies', 'organizations', 'requests'];

function formOf(event: Event): EventForm {
  const bar = (parts: (string | undefined)[]) => {
    while (parts.length > 1 && (parts.at(-1) ?? '') === '') parts.pop();
    return parts.map((p) => p ?? '').join(' | ');
  };
  return {
    id: event.id,
    name: event.name,
    place: event.place ?? '',
    timeZone: event.timeZone,
    tables: String(event.tables),
    interpreters: String(event.interpreters),
    slots: event.slots.map((s) => `${s.id} ${s.start} ${s.end}`).join('\n'),
    companies: event.companies.map((c) => bar([c.id, c.maxMeetings?.toString(), c.unavailable.join(' '), c.languages?.join(' ')])).join('\n'),
    organizations: event.organizations.map((o) => bar([o.name, o.maxMeetings?.toString(), o.unavailable.join(' '), o.languages?.join(' ')])).join('\n'),
    requests: event.requests.map((r) => `${r.companyId} ${r.needId} ${r.status}`).join('\n'),
  };
}

const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((line, i) => ({ line: line.trim(), n: i + 1 }))
    .filter((l) => l.line !== '');

/**
 * The form's text read as an event. Lines that cannot be read at all are errors of their
 * field; everything else is left to core's validation, whose issues are mapped back to the
 * fields (and lines) they name.
 */
function readEventForm(form: EventForm, m: EventMessages, keep: Pick<Event, 'pins' | 'forbids'> | undefined): { input: Record<string, unknown>; errors: FormErrors; lineOf: Record<string, number[]> } {
  const errors: FormErrors = {};
  const add = (name: keyof EventForm, message: string) => (errors[name] ??= []).push(message);
  const lineOf: Record<string, number[]> = { slots: [], companies: [], organizations: [], requests: [] };
  const int = (name: keyof EventForm, text: string): number | undefined => {
    if (text.trim() === '') return undefined;
    if (!/^-?\d+$/.test(text.trim())) {
      add(name, m.notANumber);
      return undefined;
    }
    return Number(text.trim());
  };
  const slots = lines(form.slots).flatMap(({ line, n }) => {
    const parts = line.split(/\s+/);
    if (parts.length !== 3) {
      add('slots', m.badLine(n, 'id start end'));
      return [];
    }
    lineOf['slots']!.push(n);
    return [{ id: parts[0], start: parts[1], end: parts[2] }];
  });
  const participant = (name: 'companies' | 'organizations', key: 'id' | 'name') =>
    lines(form[name]).flatMap(({ line, n }) => {
      const [ref = '', max = '', away = '', langs = ''] = line.split('|').map((p) => p.trim());
      const maxMeetings = max === '' ? undefined : /^\d+$/.test(max) ? Number(max) : Number.NaN;
      if (Number.isNaN(maxMeetings)) {
        add(name, `${m.line(n)}: ${m.notANumber}`);
        return [];
      }
      lineOf[name]!.push(n);
      return [
        {
          [key]: ref,
          unavailable: away === '' ? [] : away.split(/\s+/),
          ...(maxMeetings === undefined ? {} : { maxMeetings }),
          ...(langs === '' ? {} : { languages: langs.split(/\s+/) }),
        },
      ];
    });
  const requests = lines(form.requests).flatMap(({ line, n }) => {
    const parts = line.split(/\s+/);
    if (parts.length !== 3) {
      add('requests', m.badLine(n, 'companyId needId accepted|declined|pending'));
      return [];
    }
    lineOf['requests']!.push(n);
    return [{ companyId: parts[0], needId: parts[1], status: parts[2] }];
  });
  const tables = int('tables', form.tables);
  const interpreters = int('interpreters', form.interpreters);
  const input: Record<string, unknown> = {
    id: form.id.trim(),
    name: form.name.trim(),
    ...(form.place.trim() === '' ? {} : { place: form.place.trim() }),
    ...(form.timeZone.trim() === '' ? {} : { timeZone: form.timeZone.trim() }),
    slots,
    tables: tables ?? (form.tables.trim() === '' ? undefined : 0),
    ...(interpreters === undefined ? {} : { interpreters }),
    companies: participant('companies', 'id'),
    organizations: participant('organizations', 'name'),
    requests,
    // Pins and forbids are not on the form; an edit keeps them.
    ...(keep === undefined ? {} : { pins: keep.pins, forbids: keep.forbids }),
  };
  return { input, errors, lineOf };
}

/** `body.slots[2].end: …` → the `slots` field, "line 3: end: …". */
function mapIssues(issues: readonly ValidationIssue[], lineOf: Record<string, number[]>, m: EventMessages): FormErrors {
  const errors: FormErrors = {};
  for (const issue of issues) {
    const match = /^(?:body|event)\.([A-Za-z]+)(?:\[(\d+)\])?(?:\.(.+))?$/.exec(issue.path);
    const name = match?.[1] as keyof EventForm | undefined;
    const known = name !== undefined && FIELDS.includes(name);
    const target: keyof EventForm = known ? name : 'id';
    const index = match?.[2];
    const where = index === undefined ? '' : `${m.line(lineOf[target]?.[Number(index)] ?? Number(index) + 1)}: `;
    const rest = match?.[3] === undefined ? '' : `${match[3]}: `;
    (errors[target] ??= []).push(known ? `${where}${rest}${issue.message}` : `${issue.path}: ${issue.message}`);
  }
  return errors;
}

function EventFormPage(props: { v: View; form: EventForm; errors: FormErrors; editing: string | undefined }) {
  const { v, form, errors } = props;
  const m = eventMessages(v.lang);
  const action = props.editing === undefined ? '/ui/events/new' : `${eventPath(props.editing)}/edit`;
  const title = props.editing === undefined ? m.newEvent : m.editEvent;
  const input = (name: keyof EventForm, label: string, hint?: string, inputmode?: 'numeric') => (
    <div class={`field${errors[name] === undefined ? '' : ' field-invalid'}`}>
      <label for={`e-${name}`}>{label}</label>
      {hint !== undefined && (
        <p class="hint" id={`e-${name}-hint`}>
          {hint}
        </p>
      )}
      <FieldError v={v} id={`e-${name}`} messages={errors[name]} />
      <input
        id={`e-${name}`}
        name={name}
        type="text"
        value={form[name]}
        inputmode={inputmode}
        readonly={name === 'id' && props.editing !== undefined}
        aria-invalid={errors[name] === undefined ? undefined : 'true'}
        aria-describedby={[hint === undefined ? '' : `e-${name}-hint`, errors[name] === undefined ? '' : `e-${name}-error`].filter(Boolean).join(' ') || undefined}
      />
    </div>
  );
  const area = (name: keyof EventForm, label: string, hint: string) => (
    <div class={`field${errors[name] === undefined ? '' : ' field-invalid'}`}>
      <label for={`e-${name}`}>{label}</label>
      <p class="hint" id={`e-${name}-hint`}>
        {hint}
      </p>
      <FieldError v={v} id={`e-${name}`} messages={errors[name]} />
      <textarea
        id={`e-${name}`}
        name={name}
        spellcheck={false}
        aria-invalid={errors[name] === undefined ? undefined : 'true'}
        aria-describedby={`e-${name}-hint${errors[name] === undefined ? '' : ` e-${name}-error`}`}
      >
        {form[name]}
      </textarea>
    </div>
  );
  const failed = Object.keys(errors).length > 0;
  return (
    <EventsLayout v={v} title={title}>
      <PageHead title={title} />
      {failed && (
        <div class="error-summary" role="alert" tabindex={-1} data-error-summary>
          <p>{m.fixErrors}</p>
          <ul>
            {FIELDS.filter((name) => errors[name] !== undefined).map((name) => (
              <li>
                <a href={`#e-${name}`}>{errors[name]!.join(' ')}</a>
              </li>
            ))}
          </ul>
        </div>
      )}
      <form method="post" action={action} class="panel event-form" novalidate>
        <Csrf v={v} />
        {input('id', m.id, m.idHint)}
        {input('name', m.name)}
        {input('place', m.place)}
        {input('timeZone', m.timeZone, m.timeZoneHint)}
        {input('tables', m.tables, undefined, 'numeric')}
        {input('interpreters', m.interpreters, undefined, 'numeric')}
        {area('slots', m.slots, m.slotsHint)}
        {area('companies', m.companies, m.companiesHint)}
        {area('organizations', m.organizations, m.organizationsHint)}
        {area('requests', m.requests, m.requestsHint)}
        <div class="form-actions">
          <button type="submit" class="button-primary">
            {m.save}
          </button>
        </div>
      </form>
    </EventsLayout>
  );
}

// ── list and event pages ───────────────────────────────────────────────

function EventListPage({ v, events }: { v: View; events: Events }) {
  const m = eventMessages(v.lang);
  const items = events.list();
  return (
    <EventsLayout v={v} title={m.listTitle}>
      <PageHead
        title={m.listTitle}
        subtitle={m.listIntro}
        actions={
          v.role === 'coordinator' ? (
            <a class="button button-primary" href="/ui/events/new">
              {m.newEvent}
            </a>
          ) : undefined
        }
      />
      {items.length === 0 ? (
        <p class="muted">{m.none}</p>
      ) : (
        <table class="data-table" data-testid="events">
          <thead>
            <tr>
              <th scope="col">{m.colName}</th>
              <th scope="col">{m.colPlace}</th>
              <th scope="col">{m.colSlots}</th>
              <th scope="col">{m.colTables}</th>
              <th scope="col">{m.colCompanies}</th>
              <th scope="col">{m.colOrganizations}</th>
              <th scope="col">{m.colMeetings}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((e) => (
              <tr>
                <td>
                  <a href={eventPath(e.id)}>{e.name}</a>
                </td>
                <td>{e.place ?? '–'}</td>
                <td>{e.slots}</td>
                <td>{e.tables}</td>
                <td>{e.companies}</td>
                <td>{e.organizations}</td>
                <td>{e.meetings ?? '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </EventsLayout>
  );
}

function EventPage({ v, events, id, notice }: { v: View; events: Events; id: string; notice?: string }) {
  const m = eventMessages(v.lang);
  const event = events.get(id);
  const current = events.currentProgramme(id);
  const agendaLinks = (kind: ParticipantKind, ref: string) => (
    <span class="agenda-links">
      {AGENDA_LANGUAGES.map((lang) => (
        <>
          {' '}
          <a href={agendaPath(id, lang, kind, ref)} hreflang={lang} lang={lang}>
            {lang}
          </a>
        </>
      ))}
    </span>
  );
  return (
    <EventsLayout v={v} title={event.name}>
      <PageHead
        title={event.name}
        subtitle={`${event.place ?? ''}${event.place === undefined ? '' : ' · '}${event.timeZone}`}
        actions={
          <>
            <a class="button" href={`${eventPath(id)}/grid`}>
              {m.grid}
            </a>
            {v.role === 'coordinator' && (
              <a class="button" href={`${eventPath(id)}/edit`}>
                {m.editEvent}
              </a>
            )}
          </>
        }
      />
      {notice !== undefined && <Notice>{notice}</Notice>}
      <Facts
        items={[
          [m.colSlots, String(event.slots.length)],
          [m.colTables, String(event.tables)],
          [m.interpreters, String(event.interpreters)],
          [m.colCompanies, String(event.companies.length)],
          [m.colOrganizations, String(event.organizations.length)],
          [m.colMeetings, current === undefined ? '–' : String(current.programme.meetings.length)],
        ]}
      />
      {v.role === 'coordinator' && (
        <section class="panel" aria-labelledby="schedule-title">
          <h2 id="schedule-title">{m.schedule}</h2>
          <form method="post" action={`${eventPath(id)}/schedule`}>
            <Csrf v={v} />
            <p>{m.scheduleIntro}</p>
            <button type="submit" name="mode" value="full" class="button-primary">
              {m.schedule}
            </button>
            {current !== undefined && (
              <>
                <p>{m.repairIntro}</p>
                <button type="submit" name="mode" value="repair">
                  {m.repair}
                </button>
              </>
            )}
          </form>
        </section>
      )}
      {current !== undefined && (
        <section class="panel" aria-labelledby="agendas-title">
          <h2 id="agendas-title">{m.agendas}</h2>
          <p>
            <a href={`${eventPath(id)}/programme.csv`} download>
              {m.csv}
            </a>
          </p>
          <table class="data-table" data-testid="participants">
            <tbody>
              {event.companies.map((c) => (
                <tr>
                  <th scope="row">{c.id}</th>
                  <td>{agendaLinks('company', c.id)}</td>
                </tr>
              ))}
              {event.organizations.map((o) => (
                <tr>
                  <th scope="row">{o.name}</th>
                  <td>{agendaLinks('organization', o.name)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </EventsLayout>
  );
}

function JobPage({ v, id, job }: { v: View; id: string; job: ScheduleJob }) {
  const m = eventMessages(v.lang);
  const running = job.status === 'queued' || job.status === 'running';
  return (
    <Layout v={v} title={m.scheduling} head={running ? <meta http-equiv="refresh" content="2" /> : undefined}>
      <PageHead title={running ? m.scheduling : m.scheduleFailed} />
      <p role="status">
        {m.phase}: {job.progress.phase} ({job.progress.done}/{job.progress.total})
      </p>
      {job.error !== undefined && <p>{job.error}</p>}
      <p>
        <a href={eventPath(id)}>{m.back}</a>
      </p>
    </Layout>
  );
}

// ── the grid ───────────────────────────────────────────────────────────

function GridPage(props: { v: View; events: Events; id: string; move?: { outcome: MoveOutcome; checked: boolean } | { error: string }; notice?: string }) {
  const { v, events, id } = props;
  const m = eventMessages(v.lang);
  const event = events.get(id);
  const current = events.currentProgramme(id);
  if (current === undefined) {
    return (
      <EventsLayout v={v} title={`${m.gridTitle} · ${event.name}`}>
        <PageHead title={`${m.gridTitle}: ${event.name}`} />
        <p>{m.noProgramme}</p>
        <p>
          <a href={eventPath(id)}>{m.back}</a>
        </p>
      </EventsLayout>
    );
  }
  const view = events.programme(id);
  const programme = current.programme;
  // The company agendas in the interface's language hold every meeting once, with names and its one-line explanation.
  const language: AgendaLanguage = v.lang;
  const byPlace = new Map<string, { meeting: AgendaMeeting; company: string; companyId: string }>();
  for (const agenda of events.agendas(id, language)) {
    if (agenda.participant.kind !== 'company') continue;
    for (const meeting of agenda.meetings) byPlace.set(`${meeting.slot}\u0000${meeting.table}`, { meeting, company: agenda.participant.name, companyId: agenda.participant.id });
  }
  const conflictIndexes = new Set(view.conflicts.map((c) => Number(/^meetings\[(\d+)\]/.exec(c.path)?.[1] ?? -1)));
  const conflicted = new Set([...conflictIndexes].map((i) => programme.meetings[i]).filter((x) => x !== undefined).map((x) => `${x.slot}\u0000${x.table}`));
  const slots = [...event.slots].sort((a, b) => a.start.localeCompare(b.start));
  const tables = Array.from({ length: event.tables }, (_, i) => i + 1);
  const score = (n: number) => formatScore(v, n);
  const move = props.move;
  return (
    <EventsLayout v={v} title={`${m.gridTitle} · ${event.name}`}>
      <PageHead title={`${m.gridTitle}: ${event.name}`} subtitle={`${m.version(view.version, m.sources[view.source])} · ${m.objective(score(programme.objective), score(programme.bound), `${(programme.gap * 100).toFixed(1)} %`)}`} />
      <p>
        <a href={eventPath(id)}>{m.back}</a>
        {programme.unscheduledRequests.length > 0 && <> · {m.unscheduledRequests(programme.unscheduledRequests.length)}</>}
      </p>
      {props.notice !== undefined && <Notice>{props.notice}</Notice>}
      {move !== undefined && 'error' in move && <Notice tone="warn">{move.error}</Notice>}
      {move !== undefined && 'outcome' in move && (
        <section class="panel" aria-labelledby="move-result" data-testid="move-result">
          <h2 id="move-result">{move.outcome.saved ? m.moved : move.outcome.newConflicts.length > 0 ? m.moveRefused : m.moveClear}</h2>
          {move.outcome.newConflicts.length > 0 && (
            <ul class="conflicts">
              {move.outcome.newConflicts.map((c) => (
                <li>
                  <code>{c.path}</code>: {c.message}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
      <section aria-labelledby="conflicts-title" data-testid="conflicts">
        <h2 id="conflicts-title">{m.conflictsTitle}</h2>
        {view.conflicts.length === 0 ? (
          <p>{m.noConflicts}</p>
        ) : (
          <ul class="conflicts">
            {view.conflicts.map((c) => (
              <li>
                <code>{c.path}</code>: {c.message}
              </li>
            ))}
          </ul>
        )}
      </section>
      <div class="event-grid-wrap">
        <table class="event-grid" data-testid="grid">
          <thead>
            <tr>
              <th scope="col">{m.slot}</th>
              {tables.map((t) => (
                <th scope="col">{m.table(t)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {slots.map((slot) => {
              const first = [...byPlace.values()].find((x) => x.meeting.slot === slot.id)?.meeting;
              return (
                <tr data-slot={slot.id}>
                  <th scope="row">
                    {slot.id}
                    <br />
                    <span class="muted">{first === undefined ? `${slot.start.slice(11, 16)}–${slot.end.slice(11, 16)}` : `${first.start}–${first.end}`}</span>
                  </th>
                  {tables.map((table) => {
                    const place = byPlace.get(`${slot.id}\u0000${table}`);
                    if (place === undefined) return <td class="empty">{m.free}</td>;
                    const { meeting } = place;
                    const classes = ['meeting', meeting.interpreter ? 'interpreter' : '', conflicted.has(`${slot.id}\u0000${table}`) ? 'conflict' : ''].filter(Boolean).join(' ');
                    return (
                      <td class={classes} data-company={place.companyId} data-need={meeting.need.id}>
                        <span class="meeting-pair">
                          {place.company} ↔ {meeting.counterpart.name}
                        </span>
                        {meeting.interpreter && (
                          <>
                            {' '}
                            <span class="interpreter-mark">{m.interpreter}</span>
                          </>
                        )}
                        <span class="meeting-need">
                          {meeting.need.title} · {score(meeting.score)}
                        </span>
                        <span class="meeting-why">{meeting.explanation}</span>
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {v.role === 'coordinator' && (
        <section class="panel" aria-labelledby="move-title">
          <h2 id="move-title">{m.moveTitle}</h2>
          <p>{m.moveIntro}</p>
          <form method="post" action={`${eventPath(id)}/move`} class="move-form">
            <Csrf v={v} />
            <div class="field">
              <label for="mv-meeting">{m.meeting}</label>
              <select id="mv-meeting" name="meeting">
                {programme.meetings.map((x) => (
                  <option value={JSON.stringify([x.companyId, x.needId])}>
                    {x.slot} · {m.table(x.table)} · {x.companyId} ↔ {x.organization} ({x.needId})
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="mv-slot">{m.toSlot}</label>
              <select id="mv-slot" name="slot">
                {slots.map((s) => (
                  <option value={s.id}>{s.id}</option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="mv-table">{m.toTable}</label>
              <input id="mv-table" name="table" type="number" min={1} max={event.tables} value="1" inputmode="numeric" />
            </div>
            <button type="submit" name="action" value="check">
              {m.check}
            </button>
            <button type="submit" name="action" value="move" class="button-primary">
              {m.move}
            </button>
          </form>
        </section>
      )}
    </EventsLayout>
  );
}

/** The move form's meeting: `["companyId","needId"]` (ids may hold any printable character). */
function meetingOf(value: string): [string, string] {
  try {
    const parsed: unknown = JSON.parse(value);
    if (Array.isArray(parsed) && parsed.length === 2 && parsed.every((x) => typeof x === 'string')) return parsed as [string, string];
  } catch {
    // Not from our form: no such meeting.
  }
  return ['', ''];
}

const isAgendaLanguage = (value: string): value is AgendaLanguage => (AGENDA_LANGUAGES as readonly string[]).includes(value);

/**
 * `/ui/events…`: the coordinators' events pages — the list, a form to build (and edit) an
 * event, its page with schedule and repair, the grid (slots × tables, each meeting with its
 * one-line explanation, interpreters marked) with a hand move and its conflicts, and each
 * participant's printable agenda in sv, en and zh.
 */
export function registerEventPages(web: Hono<WebEnv>, deps: WebDeps): void {
  const events = eventsOf(deps.catalog);
  const css = (body: string) => (c: { body: (b: string, s: 200, h: Record<string, string>) => Response }) =>
    c.body(body, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'no-cache' });
  web.get(EVENTS_CSS_PATH.slice(3), css(EVENTS_CSS));
  web.get(AGENDA_CSS_PATH.slice(3), css(AGENDA_CSS));

  web.get('/events', (c) => render(c, <EventListPage v={c.get('view')} events={events} />));

  const empty: EventForm = { id: '', name: '', place: '', timeZone: 'Asia/Shanghai', tables: '10', interpreters: '2', slots: '', companies: '', organizations: '', requests: '' };
  const formFields = (form: Record<string, string | string[]>): EventForm =>
    Object.fromEntries(FIELDS.map((name) => [name, field(form, name)])) as unknown as EventForm;

  const save = async (c: WebContext, editing: string | undefined) => {
    requireCoordinator(c);
    const v = c.get('view');
    const m = eventMessages(v.lang);
    const form = formFields(await readForm(c));
    if (editing !== undefined) form.id = editing;
    const { input, errors, lineOf } = readEventForm(form, m, editing === undefined ? undefined : events.get(editing));
    if (Object.keys(errors).length > 0) return render(c, <EventFormPage v={v} form={form} errors={errors} editing={editing} />, 400);
    try {
      const event = editing === undefined ? events.create(input) : events.replace(editing, input);
      return c.redirect(`${eventPath(event.id)}?saved=1`, 303);
    } catch (error) {
      if (error instanceof PartnermatchError && (error.code === 'INVALID_INPUT' || error.code === 'DUPLICATE_ID')) {
        return render(c, <EventFormPage v={v} form={form} errors={mapIssues(error.issues, lineOf, m)} editing={editing} />, error.code === 'DUPLICATE_ID' ? 409 : 400);
      }
      throw error;
    }
  };

  web.get('/events/new', (c) => {
    requireCoordinator(c);
    return render(c, <EventFormPage v={c.get('view')} form={empty} errors={{}} editing={undefined} />);
  });
  web.post('/events/new', (c) => save(c, undefined));
  web.get('/events/:id', (c) => {
    const v = c.get('view');
    return render(c, <EventPage v={v} events={events} id={c.req.param('id')} {...(c.req.query('saved') === '1' ? { notice: eventMessages(v.lang).saved } : {})} />);
  });
  web.get('/events/:id/edit', (c) => {
    requireCoordinator(c);
    const id = c.req.param('id');
    return render(c, <EventFormPage v={c.get('view')} form={formOf(events.get(id))} errors={{}} editing={id} />);
  });
  web.post('/events/:id/edit', (c) => {
    events.get(c.req.param('id'));
    return save(c, c.req.param('id'));
  });

  web.post('/events/:id/schedule', async (c) => {
    requireCoordinator(c);
    const id = c.req.param('id');
    const form = await readForm(c);
    const mode = field(form, 'mode') === 'repair' ? 'repair' : 'full';
    const job = events.schedule(id, { mode }, sessionOf(c).keyId);
    // A small event is done within moments: wait a little so the coordinator lands on the grid.
    await Promise.race([events.settled(job.id), new Promise((resolve) => setTimeout(resolve, 15_000).unref())]);
    const after = events.job(id, job.id);
    if (after.status === 'succeeded') return c.redirect(`${eventPath(id)}/grid`, 303);
    return c.redirect(`${eventPath(id)}/jobs/${encodePathSegment(job.id)}`, 303);
  });
  web.get('/events/:id/jobs/:jobId', (c) => {
    const id = c.req.param('id');
    const job = events.job(id, c.req.param('jobId'));
    if (job.status === 'succeeded') return c.redirect(`${eventPath(id)}/grid`, 303);
    return render(c, <JobPage v={c.get('view')} id={id} job={job} />);
  });

  web.get('/events/:id/grid', (c) => {
    const v = c.get('view');
    return render(c, <GridPage v={v} events={events} id={c.req.param('id')} {...(c.req.query('moved') === '1' ? { notice: eventMessages(v.lang).moved } : {})} />);
  });
  web.post('/events/:id/move', async (c) => {
    requireCoordinator(c);
    const v = c.get('view');
    const id = c.req.param('id');
    const form = await readForm(c);
    const [companyId = '', needId = ''] = meetingOf(field(form, 'meeting'));
    const table = Number(field(form, 'table'));
    const dryRun = field(form, 'action') === 'check';
    let outcome: MoveOutcome;
    try {
      if (!Number.isInteger(table) || table < 1) throw new PartnermatchError('INVALID_INPUT', 'bad table', { issues: [{ path: 'body.table', message: 'must be a whole number from 1' }] });
      outcome = events.move(id, { companyId, needId, slot: field(form, 'slot'), table }, { dryRun });
    } catch (error) {
      if (error instanceof PartnermatchError && error.code !== 'INVALID_INPUT' && error.code !== 'NOT_FOUND') throw error;
      const message = error instanceof PartnermatchError ? (error.issues.map((i) => `${i.path}: ${i.message}`).join('; ') || error.message) : String(error);
      return render(c, <GridPage v={v} events={events} id={id} move={{ error: message }} />, 400);
    }
    if (outcome.saved) return c.redirect(`${eventPath(id)}/grid?moved=1`, 303);
    return render(c, <GridPage v={v} events={events} id={id} move={{ outcome, checked: dryRun }} />, outcome.newConflicts.length > 0 ? 409 : 200);
  });
  web.get('/events/:id/programme.csv', (c) => {
    const id = c.req.param('id');
    const lang: AgendaLanguage = c.get('view').lang;
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="programme-${id.replace(/[^\w.-]+/g, '_')}.csv"`);
    return c.body(events.csv(id, lang), 200);
  });

  web.get('/events/:id/agendas/:lang/:kind/:participant', async (c) => {
    const { id, lang, kind, participant } = c.req.param();
    if (!isAgendaLanguage(lang) || (kind !== 'company' && kind !== 'organization')) throw new ApiError('NOT_FOUND', 'no such agenda');
    const agenda = events.agenda(id, kind, participant, lang);
    const m = eventMessages(c.get('view').lang);
    const tools = [
      { href: eventPath(id), label: m.back },
      ...AGENDA_LANGUAGES.filter((other) => other !== lang).map((other) => ({ href: agendaPath(id, other, kind, participant), label: { sv: 'Svenska', en: 'English', zh: '中文' }[other], lang: other })),
      { href: `${agendaPath(id, lang, kind, participant)}/calendar.ics`, label: m.calendar },
    ];
    return c.html(await agendaHtml(agenda, 'link', tools), 200);
  });
  web.get('/events/:id/agendas/:lang/:kind/:participant/calendar.ics', (c) => {
    const { id, lang, kind, participant } = c.req.param();
    if (!isAgendaLanguage(lang) || (kind !== 'company' && kind !== 'organization')) throw new ApiError('NOT_FOUND', 'no such agenda');
    c.header('Content-Type', 'text/calendar; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="${`${id}-${participant}`.replace(/[^\w.-]+/g, '_')}.ics"`);
    return c.body(events.calendar(id, kind, participant, lang), 200);
  });
}
