import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ICAL from 'ical.js';
import { parse as parseCsv } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMatcher } from '../matcher.js';
import type { Company, PartnerNeed } from '../schema/records.js';
import { validateNeeds } from '../schema/validate.js';
import { AGENDA_LANGUAGES, buildAgendas, type Agenda } from './agenda.js';
import { agendaCalendar } from './calendar.js';
import { findConflicts } from './conflicts.js';
import { escapeCsvCell as escapeFormula } from '../io/csv.js';
import { programmeCsv } from './csv.js';
import { scheduleEvent, type Programme } from './scheduler.js';
import { eventDirectory, eventSchema, type EventInput } from './schema.js';

const read = (path: string) => JSON.parse(readFileSync(fileURLToPath(new URL(`../../../../${path}`, import.meta.url)), 'utf8'));
const companies = read('fixtures/sample/companies.json') as Company[];
const needs = (validateNeeds(read('fixtures/sample/needs.json')) as { ok: true; value: PartnerNeed[] }).value;
const fair = read('fixtures/events/kunming-fair.json') as EventInput;
const matcher = createMatcher({ companies, needs });

let programme: Programme;
const agendas = new Map<string, Agenda[]>();
beforeAll(async () => {
  programme = await scheduleEvent(matcher, fair, { needs });
  for (const language of AGENDA_LANGUAGES) agendas.set(language, buildAgendas(matcher, fair, programme, language));
}, 30_000);

/** Events of an .ics file with their instants, its VTIMEZONEs registered first so TZID times resolve. */
function parseCalendar(text: string) {
  const first = new ICAL.Component(ICAL.parse(text));
  for (const zone of first.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone);
  const calendar = new ICAL.Component(ICAL.parse(text));
  return calendar.getAllSubcomponents('vevent').map((component) => {
    const event = new ICAL.Event(component);
    return {
      uid: event.uid,
      summary: event.summary,
      description: event.description,
      location: event.location,
      tzid: component.getFirstProperty('dtstart')?.getParameter('tzid'),
      start: event.startDate.toJSDate().toISOString(),
      end: event.endDate.toJSDate().toISOString(),
    };
  });
}

describe('agendas', () => {
  it('leave out a meeting whose company was taken out of the event since (a cancellation), on both sides', () => {
    const gone = programme.meetings[0]!;
    const event = eventSchema.parse(fair);
    const cancelled = { ...event, companies: event.companies.filter((c) => c.id !== gone.companyId) };
    const list = buildAgendas(matcher, cancelled, programme, 'en');
    expect(list.some((a) => a.participant.id === gone.companyId)).toBe(false);
    const counterpart = list.find((a) => a.participant.kind === 'organization' && a.participant.id === gone.organization)!;
    const before = agendas.get('en')!.find((a) => a.participant.kind === 'organization' && a.participant.id === gone.organization)!;
    expect(counterpart.meetings.map((m) => m.counterpart.id)).toEqual(before.meetings.map((m) => m.counterpart.id).filter((id) => id !== gone.companyId));
    expect(before.meetings.some((m) => m.counterpart.id === gone.companyId)).toBe(true);
    const held = programme.meetings.filter((m) => m.companyId !== gone.companyId).length;
    expect(list.filter((a) => a.participant.kind === 'organization').reduce((n, a) => n + a.meetings.length, 0)).toBe(held);
  });

  it('give every participant its meetings in time order, in sv, en and zh', () => {
    for (const language of AGENDA_LANGUAGES) {
      const list = agendas.get(language)!;
      const event = eventSchema.parse(fair);
      expect(list).toHaveLength(event.companies.length + event.organizations.length);
      const fromCompanies = list.filter((a) => a.participant.kind === 'company').reduce((n, a) => n + a.meetings.length, 0);
      const fromOrgs = list.filter((a) => a.participant.kind === 'organization').reduce((n, a) => n + a.meetings.length, 0);
      expect(fromCompanies).toBe(programme.meetings.length);
      expect(fromOrgs).toBe(programme.meetings.length);
      for (const agenda of list) {
        const starts = agenda.meetings.map((m) => m.startUtc);
        expect(starts).toEqual([...starts].sort());
      }
    }
    const [sv, en, zh] = AGENDA_LANGUAGES.map((l) => agendas.get(l)!.find((a) => a.participant.id === 's-c13')!);
    expect([sv!.labels.table, en!.labels.table, zh!.labels.table]).toEqual(['Bord', 'Table', '桌号']);
    const meeting = (a: Agenda) => a.meetings.find((m) => m.need.id === 's-n01')!;
    // The wastewater match: sector label in the reader's language, the phrases as written on both sides.
    expect(meeting(en!).explanation).toMatch(/^Sectors: Wastewater[^·]* · Shared terms: .*↔/);
    expect(meeting(sv!).explanation).toMatch(/^Sektorer: [^·]*avlopp/i);
    expect(meeting(zh!).explanation).toMatch(/^行业：污水/);
    expect(meeting(en!).explanation).toContain('Requested meeting');
    expect(meeting(en!).interpreter).toBe(true);
    expect(meeting(en!).start).toBe(meeting(zh!).start); // local time of the event (Kunming), whatever the language
    expect(meeting(en!).counterpart.name).toBe('昆明滇湖水务发展有限公司');
    const org = agendas.get('zh')!.find((a) => a.participant.id === '昆明滇湖水务发展有限公司')!;
    expect(org.meetings.find((m) => m.counterpart.id === 's-c13')?.counterpart.name).toBe(companies.find((c) => c.id === 's-c13')!.name);
  });
});

describe('iCalendar files', () => {
  it('parse back with ical.js to the same meetings, times, tables and time zone', () => {
    for (const language of AGENDA_LANGUAGES) {
      for (const agenda of agendas.get(language)!) {
        const text = agendaCalendar(agenda, { stamp: new Date('2027-05-01T00:00:00Z') });
        expect(text.startsWith('BEGIN:VCALENDAR')).toBe(true);
        const events = parseCalendar(text);
        expect(events).toHaveLength(agenda.meetings.length);
        agenda.meetings.forEach((m, i) => {
          const e = events[i]!;
          expect(e.start).toBe(new Date(m.startUtc).toISOString());
          expect(e.end).toBe(new Date(m.endUtc).toISOString());
          expect(e.tzid).toBe('Asia/Shanghai');
          expect(e.location).toContain(`${agenda.labels.table} ${m.table}`);
          expect(e.summary).toContain(m.counterpart.name);
          expect(e.description).toContain(m.need.title);
          if (m.interpreter) expect(e.description).toContain(agenda.labels.interpreterNote);
        });
        expect(new Set(events.map((e) => e.uid)).size).toBe(events.length);
      }
    }
  });

  it('an agenda in UTC and one without meetings are valid calendars too', () => {
    const agenda = agendas.get('en')!.find((a) => a.meetings.length > 0)!;
    const utc = parseCalendar(agendaCalendar({ ...agenda, timeZone: 'UTC' }));
    expect(utc[0]!.start).toBe(new Date(agenda.meetings[0]!.startUtc).toISOString());
    expect(parseCalendar(agendaCalendar({ ...agenda, meetings: [] }))).toEqual([]);
  });
});

describe('programme CSV', () => {
  it('has a BOM, one row per meeting, localised headers, and escapes formulas', () => {
    for (const language of AGENDA_LANGUAGES) {
      const csv = programmeCsv(agendas.get(language)!, language);
      expect(csv.charCodeAt(0)).toBe(0xfeff);
      const rows = parseCsv(csv, { bom: true }) as string[][];
      expect(rows.length - 1).toBe(programme.meetings.length);
      expect(rows[0]![0]).toBe({ sv: 'pass', en: 'slot', zh: '时段' }[language]);
    }
    expect(escapeFormula('=HYPERLINK("x")')).toBe('\'=HYPERLINK("x")');
    expect(escapeFormula('-1+2')).toBe("'-1+2");
    expect(escapeFormula('昆明')).toBe('昆明');
    const agenda = agendas.get('en')!.find((a) => a.participant.kind === 'company' && a.meetings.length > 0)!;
    const hostile = { ...agenda, participant: { ...agenda.participant, name: '=cmd|calc' } };
    const rows = parseCsv(programmeCsv([hostile], 'en'), { bom: true }) as string[][];
    expect(rows[1]![6]).toBe("'=cmd|calc");
  });
});

describe('findConflicts', () => {
  it('names what a hand-moved meeting breaks', () => {
    const event = eventSchema.parse(fair);
    const directory = eventDirectory({ companies, needs });
    const [a, b] = programme.meetings.filter((m, i, all) => all.some((o) => o.slot !== m.slot && o.companyId !== m.companyId && o.organization !== m.organization));
    const moved = programme.meetings.map((m) => (m === b ? { ...b!, slot: a!.slot, table: a!.table } : m));
    const issues = findConflicts(event, moved, directory);
    const at = moved.indexOf(moved.find((m) => m.companyId === b!.companyId && m.needId === b!.needId && m.slot === a!.slot)!);
    expect(issues.map((i) => i.path)).toContain(`meetings[${Math.max(at, programme.meetings.indexOf(a!))}].table`);
    const unavailable = event.companies.find((c) => c.unavailable.length > 0)!;
    const placed = programme.meetings.find((m) => m.companyId === unavailable.id)!;
    const bad = findConflicts(event, [{ ...placed, slot: unavailable.unavailable[0]! }], directory);
    expect(bad).toContainEqual({ path: 'meetings[0].slot', message: `company "${unavailable.id}" is unavailable in slot "${unavailable.unavailable[0]}"` });
  });
});
