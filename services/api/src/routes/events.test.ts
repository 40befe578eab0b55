import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventsOf } from '../events/index.js';
import { contactEmails, makeTestApp, sampleNeeds, type TestApp } from '../test-helpers.js';

/** The example event over the sample data (20 companies, 10 organisations, 8 slots, 6 tables). */
const FAIR = JSON.parse(readFileSync(fileURLToPath(new URL('../../../../fixtures/events/kunming-fair.json', import.meta.url)), 'utf8')) as {
  id: string;
  slots: { id: string }[];
  companies: { id: string }[];
  organizations: { name: string }[];
  requests: { companyId: string; needId: string; status: string }[];
  [key: string]: unknown;
};

interface Meeting {
  slot: string;
  table: number;
  start: string;
  companyId: string;
  needId: string;
  organization: string;
  interpreter: boolean;
  score: number;
  request?: string;
}
interface Job {
  id: string;
  status: string;
  progress: { phase: string };
  programme?: { eventId: string; meetings: Meeting[]; objective: number; bound: number; gap: number; unscheduledRequests: unknown[]; changes?: { kept: number; removed: Meeting[]; added: Meeting[] } };
  version?: number;
}
interface Problem {
  status: number;
  code: string;
  errors?: { path: string; message: string }[];
}

let t: TestApp;
beforeEach(() => {
  t = makeTestApp();
});
afterEach(() => t.close());

const create = (event: unknown = FAIR) => t.call('POST', '/events', { json: event });
const paths = async (response: Response) => ((await response.json()) as Problem).errors?.map((e) => `${e.path}: ${e.message}`) ?? [];

/** Submits a schedule job, waits for it and answers its final state. */
async function schedule(body: unknown = {}): Promise<Job> {
  const response = await t.call('POST', `/events/${FAIR.id}/schedule`, { json: body });
  expect(response.status).toBe(202);
  const queued = (await response.json()) as Job;
  expect(response.headers.get('location')).toBe(`/events/${FAIR.id}/schedule/${queued.id}`);
  await eventsOf(t.catalog).settled(queued.id);
  const done = await t.call('GET', `/events/${FAIR.id}/schedule/${queued.id}`, { as: 'reader' });
  expect(done.status).toBe(200);
  return (await done.json()) as Job;
}

describe('events: create, read, change, delete', { timeout: 30_000 }, () => {
  it('stores an event in the event format, readable by readers, writable by coordinators only', async () => {
    expect((await create(FAIR)).status).toBe(201);
    const read = await t.call('GET', `/events/${FAIR.id}`, { as: 'reader' });
    expect(read.status).toBe(200);
    const event = (await read.json()) as typeof FAIR & { requests: unknown[]; pins: unknown[] };
    expect(event.companies.map((c) => c.id)).toEqual(FAIR.companies.map((c) => c.id));
    expect(event.requests).toEqual(FAIR.requests);
    expect(event).toMatchObject({ timeZone: 'Asia/Shanghai', tables: 6, interpreters: 2, pins: [{ companyId: 's-c19', needId: 's-n02', slot: 's3' }] });
    const list = (await (await t.call('GET', '/events', { as: 'reader' })).json()) as { items: { id: string; companies: number; organizations: number }[] };
    expect(list.items).toEqual([expect.objectContaining({ id: FAIR.id, companies: 20, organizations: 10 })]);

    expect((await t.call('POST', '/events', { as: 'reader', json: { ...FAIR, id: 'other' } })).status).toBe(403);
    const taken = await create(FAIR);
    expect(taken.status).toBe(409);
    expect(await paths(taken)).toEqual([expect.stringMatching(/^body\.id: is taken/)]);

    const renamed = await t.call('PUT', `/events/${FAIR.id}`, { json: { ...FAIR, name: 'Kunming 2027, second edition' } });
    expect(renamed.status).toBe(200);
    expect(((await renamed.json()) as { name: string }).name).toBe('Kunming 2027, second edition');
    expect((await t.call('DELETE', `/events/${FAIR.id}`, { as: 'reader' })).status).toBe(403);
    expect((await t.call('DELETE', `/events/${FAIR.id}`)).status).toBe(204);
    expect((await t.call('GET', `/events/${FAIR.id}`)).status).toBe(404);
  });

  it('refuses a bad event with problem+json naming every field, and stores nothing', async () => {
    const bad = {
      ...FAIR,
      tables: -1,
      slots: [{ id: 's1', start: '2027-05-12T09:30', end: '2027-05-12T09:00' }, ...FAIR.slots.slice(1)],
      companies: [...FAIR.companies, { id: 'x-404' }],
    };
    const response = await create(bad);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const problems = await paths(response);
    expect(problems).toEqual(
      expect.arrayContaining([expect.stringMatching(/^body\.tables: must not be negative/), expect.stringMatching(/^body\.slots\[0\]\.end: must be after the slot's start/)]),
    );
    // Cross-references are checked once the shape is right.
    const unknown = await create({ ...FAIR, companies: [...FAIR.companies, { id: 'x-404' }] });
    expect(await paths(unknown)).toEqual([`body.companies[20].id: no company with id "x-404"`]);
    const twice = await create({ ...FAIR, requests: [...FAIR.requests, FAIR.requests[0]] });
    expect(await paths(twice)).toEqual([expect.stringMatching(/^body\.requests\[4\]: the same pair as requests\[0\]/)]);
    expect((await t.call('GET', '/events')).ok).toBe(true);
    expect(((await (await t.call('GET', '/events')).json()) as { items: unknown[] }).items).toEqual([]);
  });

  it('changes participants, requests, pins and forbids one at a time, naming the field of a bad change', async () => {
    expect((await create()).status).toBe(201);
    const limited = await t.call('PUT', `/events/${FAIR.id}/companies/s-c02`, { json: { maxMeetings: 2, unavailable: ['s1'] } });
    expect(limited.status).toBe(200);
    expect(((await limited.json()) as { companies: { id: string; maxMeetings?: number }[] }).companies.at(-1)).toEqual({ id: 's-c02', maxMeetings: 2, unavailable: ['s1'] });
    expect(await paths(await t.call('PUT', `/events/${FAIR.id}/companies/s-c02`, { json: { unavailable: ['s99'] } }))).toEqual([
      'body.unavailable[0]: unknown slot id "s99"',
    ]);
    expect(await paths(await t.call('PUT', `/events/${FAIR.id}/companies/x-404`, { json: {} }))).toEqual(['path.companyId: no company with id "x-404"']);
    expect(await paths(await t.call('PUT', `/events/${FAIR.id}/companies/s-c02`, { json: { maxMeetings: -1 } }))).toEqual(['body.maxMeetings: must not be negative']);

    const asked = await t.call('POST', `/events/${FAIR.id}/requests`, { json: { companyId: 's-c02', needId: 's-n01', from: 'company' } });
    expect(asked.status).toBe(201);
    expect(((await asked.json()) as typeof FAIR).requests.at(-1)).toEqual({ companyId: 's-c02', needId: 's-n01', status: 'pending', from: 'company' });
    expect((await t.call('POST', `/events/${FAIR.id}/requests`, { json: { companyId: 's-c02', needId: 's-n01', from: 'organization' } })).status).toBe(409);
    const accepted = await t.call('PUT', `/events/${FAIR.id}/requests/s-c02/s-n01`, { json: { status: 'accepted' } });
    expect(((await accepted.json()) as typeof FAIR).requests.at(-1)?.status).toBe('accepted');
    expect((await t.call('PUT', `/events/${FAIR.id}/requests/s-c02/s-n02`, { json: { status: 'accepted' } })).status).toBe(404);
    const notParticipant = await t.call('POST', `/events/${FAIR.id}/requests`, { json: { companyId: 's-c48', needId: 's-n01', from: 'company' } });
    expect(await paths(notParticipant)).toEqual(['body.companyId: company "s-c48" is not a participant of the event']);

    expect(await paths(await t.call('PUT', `/events/${FAIR.id}/pins/s-c02/s-n01`, { json: { slot: 'nope' } }))).toEqual(['body.slot: unknown slot id "nope"']);
    expect((await t.call('PUT', `/events/${FAIR.id}/pins/s-c02/s-n01`, { json: { slot: 's4' } })).status).toBe(200);
    const contradiction = await t.call('PUT', `/events/${FAIR.id}/forbids/s-c02/s-n01`);
    expect(contradiction.status).toBe(400);
    expect(await paths(contradiction)).toEqual([expect.stringMatching(/^event\.pins\[1\]: the pair is forbidden by forbids\[1\]/)]);
    expect((await t.call('DELETE', `/events/${FAIR.id}/pins/s-c02/s-n01`)).status).toBe(200);
    expect((await t.call('PUT', `/events/${FAIR.id}/forbids/s-c02/s-n01`)).status).toBe(200);
    expect((await t.call('DELETE', `/events/${FAIR.id}/forbids/s-c02/s-n01`)).status).toBe(200);
    expect((await t.call('PUT', `/events/${FAIR.id}/companies/s-c02`, { as: 'reader', json: {} })).status).toBe(403);
  });
});

describe('events: scheduling, repair, moves', { timeout: 30_000 }, () => {
  it('schedules as a job: the CLI contract fields, accepted requests in, declined out, no conflict', async () => {
    expect((await create()).status).toBe(201);
    const job = await schedule();
    expect(job.status).toBe('succeeded');
    expect(job.progress.phase).toBe('done');
    const programme = job.programme!;
    expect(programme).toMatchObject({ eventId: FAIR.id, unscheduledRequests: expect.any(Array) });
    expect(programme.meetings.length).toBeGreaterThan(10);
    expect(programme.objective).toBeGreaterThan(0);
    expect(programme.bound).toBeGreaterThanOrEqual(programme.objective - 1e-9);
    // The programme reports the gap rounded to 6 decimals (round6 in the scheduler).
    expect(programme.gap).toBeCloseTo((programme.bound - programme.objective) / programme.bound, 6);
    const pairs = new Set(programme.meetings.map((m) => `${m.companyId}/${m.needId}`));
    for (const r of FAIR.requests) expect(pairs.has(`${r.companyId}/${r.needId}`)).toBe(r.status === 'accepted');
    const current = (await (await t.call('GET', `/events/${FAIR.id}/programme`, { as: 'reader' })).json()) as { version: number; source: string; conflicts: unknown[]; programme: { meetings: Meeting[] } };
    expect(current).toMatchObject({ version: job.version, source: 'schedule', conflicts: [] });
    expect(current.programme.meetings).toEqual(programme.meetings);
  });

  it('repairs after a cancellation with the fewest changes: every other meeting keeps its slot and table', async () => {
    expect((await create()).status).toBe(201);
    const first = (await schedule()).programme!;
    const cancelled = 's-c13';
    expect(first.meetings.some((m) => m.companyId === cancelled)).toBe(true);
    expect((await t.call('DELETE', `/events/${FAIR.id}/companies/${cancelled}`)).status).toBe(200);
    const stale = (await (await t.call('GET', `/events/${FAIR.id}/programme`)).json()) as { conflicts: { path: string; message: string }[] };
    expect(stale.conflicts.length).toBeGreaterThan(0);
    expect(stale.conflicts.every((c) => c.message.includes(cancelled) || c.message.includes('s-n01'))).toBe(true);

    const repaired = (await schedule({ mode: 'repair' })).programme!;
    expect(repaired.meetings.some((m) => m.companyId === cancelled)).toBe(false);
    const placed = new Map(repaired.meetings.map((m) => [`${m.companyId}/${m.needId}`, `${m.slot}#${m.table}`]));
    for (const m of first.meetings.filter((m) => m.companyId !== cancelled)) expect(placed.get(`${m.companyId}/${m.needId}`)).toBe(`${m.slot}#${m.table}`);
    expect(repaired.changes?.removed.map((m) => m.companyId)).toEqual(first.meetings.filter((m) => m.companyId === cancelled).map(() => cancelled));
    expect(repaired.changes?.kept).toBe(first.meetings.length - repaired.changes!.removed.length);
    const current = (await (await t.call('GET', `/events/${FAIR.id}/programme`)).json()) as { source: string; conflicts: unknown[] };
    expect(current).toMatchObject({ source: 'repair', conflicts: [] });
  });

  it('cancels a deleted company\'s participation like any cancellation: the event schedules again, a repair takes its meetings out', async () => {
    expect((await create()).status).toBe(201);
    const event = async () => (await (await t.call('GET', `/events/${FAIR.id}`, { as: 'reader' })).json()) as typeof FAIR & { pins: { companyId: string }[]; forbids: { companyId: string }[] };
    const before = await event();
    // s-c13 has an accepted request (s-n01), s-c19 a pin, s-c09 a forbid: every kind of pair goes with its company.
    for (const [gone, list] of [['s-c13', 'requests'], ['s-c19', 'pins'], ['s-c09', 'forbids']] as const) {
      expect((before[list] as { companyId: string }[]).some((p) => p.companyId === gone)).toBe(true);
    }
    const first = (await schedule()).programme!;
    expect(first.meetings.some((m) => m.companyId === 's-c13')).toBe(true);

    for (const gone of ['s-c13', 's-c19', 's-c09']) expect((await t.call('DELETE', `/companies/${gone}`)).status).toBe(204);
    const after = await event();
    expect(after.companies.map((c) => c.id)).toEqual(before.companies.map((c) => c.id).filter((id) => !['s-c13', 's-c19', 's-c09'].includes(id)));
    expect(after.requests).toEqual(before.requests.filter((r) => r.companyId !== 's-c13'));
    expect(after.pins).toEqual([]);
    expect(after.forbids).toEqual([]);
    expect(await eventsOf(t.catalog).get(FAIR.id)).toEqual(after);

    // Until a repair, the programme names the cancelled meetings as conflicts; no agenda lists them, and every page answers.
    const stale = (await (await t.call('GET', `/events/${FAIR.id}/programme`, { as: 'reader' })).json()) as { conflicts: { path: string; message: string }[] };
    expect(stale.conflicts.some((c) => c.message === 'company "s-c13" is not a participant')).toBe(true);
    const counterpart = first.meetings.find((m) => m.companyId === 's-c13')!.organization;
    const agenda = (await (await t.call('GET', `/events/${FAIR.id}/agendas/organization/${encodeURIComponent(counterpart)}?lang=en`, { as: 'reader' })).json()) as { meetings: { counterpart: { id: string } }[] };
    expect(agenda.meetings.map((m) => m.counterpart.id)).toEqual(
      first.meetings.filter((m) => m.organization === counterpart && !['s-c13', 's-c19', 's-c09'].includes(m.companyId)).sort((a, b) => a.start.localeCompare(b.start) || a.table - b.table).map((m) => m.companyId),
    );
    for (const path of ['agendas?lang=en', `agendas/organization/${encodeURIComponent(counterpart)}?lang=sv`, `agendas/organization/${encodeURIComponent(counterpart)}/agenda.html?lang=zh`, 'programme.csv?lang=en']) {
      expect((await t.call('GET', `/events/${FAIR.id}/${path}`, { as: 'reader' })).status, path).toBe(200);
    }

    const repaired = (await schedule({ mode: 'repair' })).programme!;
    const cancelled = first.meetings.filter((m) => ['s-c13', 's-c19', 's-c09'].includes(m.companyId));
    expect(cancelled.length).toBeGreaterThan(0);
    expect(repaired.changes?.removed.map((m) => `${m.companyId}/${m.needId}`).sort()).toEqual(cancelled.map((m) => `${m.companyId}/${m.needId}`).sort());
    expect(repaired.meetings.some((m) => ['s-c13', 's-c19', 's-c09'].includes(m.companyId))).toBe(false);
    expect(await (await t.call('GET', `/events/${FAIR.id}/programme`, { as: 'reader' })).json()).toMatchObject({ source: 'repair', conflicts: [] });
    expect((await schedule()).status).toBe('succeeded');
    expect(t.internalErrors).toEqual([]);
  });

  it("cancels a deleted need's part the same way: its pairs go, an organisation left with no need leaves, the event schedules again", async () => {
    expect((await create()).status).toBe(201);
    const event = async () => (await (await t.call('GET', `/events/${FAIR.id}`, { as: 'reader' })).json()) as typeof FAIR & { pins: { needId: string }[]; forbids: { organization?: string }[] };
    const before = await event();
    const first = (await schedule()).programme!;
    // s-n01 has a request, s-n02 a pin, s-n16's organisation a forbid; each is its organisation's only need.
    const gone = ['s-n01', 's-n02', 's-n16'];
    const organizations = ['昆明滇湖水务发展有限公司', '大理苍洱湖泊保护科技中心', '昆明滇新能源技工学校'];
    for (const id of gone) expect((await t.call('DELETE', `/needs/${id}`)).status).toBe(204);
    const after = await event();
    expect(after.organizations.map((o) => o.name)).toEqual(before.organizations.map((o) => o.name).filter((name) => !organizations.includes(name)));
    expect(after.requests).toEqual(before.requests.filter((r) => !gone.includes(r.needId)));
    expect(after.pins).toEqual([]);
    expect(after.forbids).toEqual([]);
    expect(after.companies).toEqual(before.companies);

    const repaired = (await schedule({ mode: 'repair' })).programme!;
    expect(repaired.changes?.removed.map((m) => m.needId).sort()).toEqual(first.meetings.filter((m) => gone.includes(m.needId)).map((m) => m.needId).sort());
    expect(repaired.meetings.some((m) => gone.includes(m.needId))).toBe(false);
    expect((await schedule()).status).toBe('succeeded');
    expect(t.internalErrors).toEqual([]);
  });

  it('keeps events and programmes in the SQLite file across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'partnermatch-events-'));
    const storePath = join(dir, 'events.db');
    const first = makeTestApp({ storePath });
    try {
      expect((await first.call('POST', '/events', { json: FAIR })).status).toBe(201);
      const job = (await (await first.call('POST', `/events/${FAIR.id}/schedule`, { json: {} })).json()) as Job;
      await eventsOf(first.catalog).settled(job.id);
      const event = await (await first.call('GET', `/events/${FAIR.id}`)).json();
      const programme = await (await first.call('GET', `/events/${FAIR.id}/programme`)).json();
      first.store.close();
      const again = makeTestApp({ storePath, seed: false });
      try {
        expect(await (await again.call('GET', `/events/${FAIR.id}`)).json()).toEqual(event);
        expect(await (await again.call('GET', `/events/${FAIR.id}/programme`)).json()).toEqual(programme);
      } finally {
        again.close();
      }
    } finally {
      first.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a repair without a programme, a bad time limit, and a reader', async () => {
    expect((await create()).status).toBe(201);
    expect(await paths(await t.call('POST', `/events/${FAIR.id}/schedule`, { json: { mode: 'repair' } }))).toEqual([
      'body.mode: repair needs an earlier programme; use "full"',
    ]);
    expect(await paths(await t.call('POST', `/events/${FAIR.id}/schedule`, { json: { timeLimit: 0 } }))).toEqual(['body.timeLimit: must be more than 0']);
    expect((await t.call('POST', `/events/${FAIR.id}/schedule`, { as: 'reader', json: {} })).status).toBe(403);
    expect((await t.call('POST', '/events/nope/schedule', { json: {} })).status).toBe(404);
    expect((await t.call('GET', `/events/${FAIR.id}/programme`)).status).toBe(404);
  });

  it('moves a meeting by hand: conflicts shown (409, nothing saved), a free place saved as a new version', async () => {
    // More tables than the fair has, so some are left free to move to.
    expect((await create({ ...FAIR, tables: 10 })).status).toBe(201);
    const job = await schedule();
    const meetings = job.programme!.meetings;
    const [a, b] = [meetings[0]!, meetings.find((m) => m.slot !== meetings[0]!.slot && m.companyId !== meetings[0]!.companyId && m.organization !== meetings[0]!.organization)!];
    const onto = { companyId: a.companyId, needId: a.needId, slot: b.slot, table: b.table };
    const dry = await t.call('POST', `/events/${FAIR.id}/programme/moves`, { json: { ...onto, dryRun: true } });
    expect(dry.status).toBe(200);
    const preview = (await dry.json()) as { saved: boolean; newConflicts: { path: string; message: string }[] };
    expect(preview.saved).toBe(false);
    expect(preview.newConflicts).toContainEqual({ path: expect.stringMatching(/^meetings\[\d+\]\.table$/), message: expect.stringContaining(`table ${b.table} is already taken in slot "${b.slot}"`) });
    const refused = await t.call('POST', `/events/${FAIR.id}/programme/moves`, { json: onto });
    expect(refused.status).toBe(409);
    expect(await paths(refused)).toContainEqual(expect.stringContaining(`table ${b.table} is already taken`));
    expect(((await (await t.call('GET', `/events/${FAIR.id}/programme`)).json()) as { version: number }).version).toBe(job.version);

    // Some meeting with a free table in a slot where neither side meets (and both are available).
    const event = FAIR as unknown as { companies: { id: string; unavailable?: string[] }[]; organizations: { name: string; unavailable?: string[] }[] };
    const freePlace = (m: Meeting) => {
      const away = [...(event.companies.find((c) => c.id === m.companyId)?.unavailable ?? []), ...(event.organizations.find((o) => o.name === m.organization)?.unavailable ?? [])];
      return FAIR.slots
        .map((s) => s.id)
        .filter((slot) => !away.includes(slot) && !meetings.some((x) => x.slot === slot && (x.companyId === m.companyId || x.organization === m.organization)))
        .flatMap((slot) => [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].filter((table) => !meetings.some((x) => x.slot === slot && x.table === table)).map((table) => ({ slot, table })))
        .find((place) => !m.interpreter || meetings.filter((x) => x.slot === place.slot && x.interpreter).length < 2);
    };
    const mover = meetings.find((m) => freePlace(m) !== undefined && m.request === undefined);
    expect(mover).toBeDefined();
    const free = freePlace(mover!)!;
    const moved = await t.call('POST', `/events/${FAIR.id}/programme/moves`, { json: { companyId: mover!.companyId, needId: mover!.needId, ...free } });
    expect(moved.status).toBe(200);
    const outcome = (await moved.json()) as { saved: boolean; programme: { version: number; source: string; programme: { meetings: Meeting[] } } };
    expect(outcome.saved).toBe(true);
    expect(outcome.programme.version).toBeGreaterThan(job.version!);
    expect(outcome.programme.source).toBe('manual');
    expect(outcome.programme.programme.meetings.find((m) => m.companyId === mover!.companyId && m.needId === mover!.needId)).toMatchObject(free);
    expect((await t.call('POST', `/events/${FAIR.id}/programme/moves`, { as: 'reader', json: onto })).status).toBe(403);
  });
});

describe('events: agendas, calendars, CSV', { timeout: 30_000 }, () => {
  it('writes agendas in sv, en and zh (JSON, printable HTML), .ics and CSV, for readers without contact details', async () => {
    expect((await create()).status).toBe(201);
    const programme = (await schedule()).programme!;
    const company = programme.meetings[0]!.companyId;
    const own = programme.meetings.filter((m) => m.companyId === company);
    const titles = { sv: 'Mötesprogram', en: 'Meeting programme', zh: '会谈日程' };
    for (const lang of ['sv', 'en', 'zh'] as const) {
      const response = await t.call('GET', `/events/${FAIR.id}/agendas/company/${company}?lang=${lang}`, { as: 'reader' });
      expect(response.status).toBe(200);
      const agenda = (await response.json()) as { language: string; labels: { title: string }; meetings: { slot: string; explanation: string }[] };
      expect(agenda.language).toBe(lang);
      expect(agenda.labels.title).toBe(titles[lang]);
      expect(agenda.meetings.map((m) => m.slot).sort()).toEqual(own.map((m) => m.slot).sort());
      expect(agenda.meetings.every((m) => m.explanation.length > 0)).toBe(true);
      const html = await t.call('GET', `/events/${FAIR.id}/agendas/company/${company}/agenda.html?lang=${lang}`, { as: 'reader' });
      expect(html.headers.get('content-type')).toContain('text/html');
      const page = await html.text();
      expect(page).toContain(`<html lang="${lang}">`);
      expect(page).toContain(titles[lang]);
      expect(page.match(/class="agenda-meeting[ "]/g)?.length).toBe(own.length);
      for (const email of contactEmails) expect(page).not.toContain(email);
    }
    const organization = programme.meetings[0]!.organization;
    const theirs = await t.call('GET', `/events/${FAIR.id}/agendas/organization/${encodeURIComponent(organization)}?lang=zh`, { as: 'reader' });
    expect(((await theirs.json()) as { meetings: unknown[] }).meetings.length).toBe(programme.meetings.filter((m) => m.organization === organization).length);
    expect((await t.call('GET', `/events/${FAIR.id}/agendas/company/s-c48`)).status).toBe(404);
    expect(await paths(await t.call('GET', `/events/${FAIR.id}/agendas/company/${company}?lang=fr`))).toEqual([expect.stringMatching(/^query\.lang:/)]);

    const ics = await t.call('GET', `/events/${FAIR.id}/agendas/company/${company}/calendar.ics?lang=sv`, { as: 'reader' });
    expect(ics.status).toBe(200);
    expect(ics.headers.get('content-type')).toContain('text/calendar');
    const calendar = await ics.text();
    expect(calendar.startsWith('BEGIN:VCALENDAR')).toBe(true);
    expect(calendar.match(/BEGIN:VEVENT/g)?.length).toBe(own.length);
    expect(calendar).toContain('DTSTART;TZID=Asia/Shanghai:');

    const csv = await t.call('GET', `/events/${FAIR.id}/programme.csv?lang=en`, { as: 'reader' });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = new TextDecoder().decode(bytes).trimEnd().split(/\r?\n/);
    expect(rows[0]!.startsWith('slot,date,start,end,table,companyId')).toBe(true);
    expect(rows.length).toBe(programme.meetings.length + 1);

    const all = (await (await t.call('GET', `/events/${FAIR.id}/agendas?lang=en`, { as: 'reader' })).json()) as { items: unknown[] };
    expect(all.items.length).toBe(FAIR.companies.length + FAIR.organizations.length);
    const text = JSON.stringify(all);
    for (const email of contactEmails) expect(text).not.toContain(email);
    expect(sampleNeeds.length).toBeGreaterThan(0);
  });

  it('documents every events route with an operationId', async () => {
    const spec = (await (await t.call('GET', '/openapi.json', { as: 'anonymous' })).json()) as { paths: Record<string, Record<string, { operationId?: string }>> };
    const operations = Object.entries(spec.paths)
      .filter(([path]) => path.startsWith('/events'))
      .flatMap(([, methods]) => Object.values(methods));
    expect(operations.length).toBeGreaterThanOrEqual(20);
    for (const operation of operations) expect(operation.operationId).toMatch(/^[a-z][A-Za-z]+$/);
  });
});
