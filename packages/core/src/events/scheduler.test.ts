import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PartnermatchError, formatIssue } from '../errors.js';
import { createMatcher } from '../matcher.js';
import type { Company, PartnerNeed } from '../schema/records.js';
import { validateNeeds } from '../schema/validate.js';
import { findConflicts } from './conflicts.js';
import { scheduleEvent, type Programme, type ScheduleMethod } from './scheduler.js';
import { eventDirectory, eventSchema, validateEvent, type EventInput } from './schema.js';

const read = (path: string) => JSON.parse(readFileSync(fileURLToPath(new URL(`../../../../${path}`, import.meta.url)), 'utf8'));
const companies = read('fixtures/sample/companies.json') as Company[];
const needs = (validateNeeds(read('fixtures/sample/needs.json')) as { ok: true; value: PartnerNeed[] }).value;
const fair = read('fixtures/events/kunming-fair.json') as EventInput;
const matcher = createMatcher({ companies, needs });
const directory = eventDirectory({ companies, needs });
const organizations = [...new Set(needs.filter((n) => n.status === 'open').map((n) => n.organization))].sort();

async function issuesOf(event: unknown): Promise<string[]> {
  try {
    await scheduleEvent(matcher, event, { needs });
  } catch (error) {
    if (error instanceof PartnermatchError) return error.issues.map(formatIssue);
    throw error;
  }
  return [];
}

describe('event validation', () => {
  it('accepts the CLI contract example shape and the sample fair', () => {
    const contract = {
      id: 'e1', name: 'Fair', slots: [{ id: 'a', start: '2027-05-12T09:00', end: '2027-05-12T09:30' }], tables: 20, interpreters: 4,
      companies: [{ id: 's-c01', unavailable: ['a'], maxMeetings: 6 }],
      organizations: [{ name: organizations[0]!, unavailable: [], maxMeetings: 8, languages: ['zh'] }],
      requests: [{ companyId: 's-c01', needId: directory.openNeedsOf(organizations[0]!)[0]!.id, status: 'accepted' }],
    };
    expect(validateEvent(contract, directory).ok).toBe(true);
    expect(validateEvent(fair, directory).ok).toBe(true);
  });

  it('names the field of every problem', async () => {
    const base = eventSchema.parse(fair);
    const slots = [...base.slots];
    slots[2] = { id: 's3', start: '2027-05-12T10:20', end: '2027-05-12T10:10' };
    slots[4] = { id: 's5', start: '2027-05-12T11:15', end: '2027-05-12T11:45' };
    const bad = {
      ...base,
      slots,
      tables: -1,
      companies: [...base.companies, { id: 'no-such-company' }, { id: 's-c01', unavailable: ['s99'] }],
      requests: [{ companyId: 's-c01', needId: 'n-404', status: 'accepted' }],
    };
    const issues = await issuesOf(bad);
    expect(issues).toContain('event.tables: must not be negative');
    // The slot, company and request checks run once the numbers are right.
    const issues2 = await issuesOf({ ...bad, tables: 3 });
    expect(issues2).toContain('event.slots[2].end: must be after the slot\'s start (2027-05-12T10:20), got 2027-05-12T10:10');
    expect(issues2).toContain('event.slots[4].start: overlaps slot "s4" (slots[3])');
    expect(issues2).toContain(`event.companies[${base.companies.length + 1}].id: duplicate company "s-c01" (first listed as companies[0])`);
    expect(issues2).toContain(`event.companies[${base.companies.length + 1}].unavailable[0]: unknown slot id "s99"`);
    const fixedSlots = { ...bad, tables: 3, slots: base.slots, companies: [...base.companies, { id: 'no-such-company' }] };
    const issues3 = await issuesOf(fixedSlots);
    expect(issues3).toContain(`event.companies[${base.companies.length}].id: no company with id "no-such-company"`);
    expect(issues3).toContain('event.requests[0].needId: no need with id "n-404"');
    expect(await issuesOf({ ...base, timeZone: 'Mars/Olympus' })).toEqual(['event.timeZone: unknown time zone "Mars/Olympus" (expected an IANA name such as "Asia/Shanghai")']);
    expect(await issuesOf({ ...base, organizations: [{ name: 'Nobody Ltd' }] })).toContain('event.organizations[0].name: no need names the organization "Nobody Ltd"');
  });

  it('reads slot times in the event time zone, across a daylight-saving change', async () => {
    const event = {
      id: 'dst', name: 'Karlskrona visit', timeZone: 'Europe/Stockholm', tables: 1, interpreters: 1,
      slots: [{ id: 'a', start: '2027-03-27T09:00', end: '2027-03-27T10:00' }, { id: 'b', start: '2027-03-29T09:00', end: '2027-03-29T10:00' }],
      companies: [{ id: 's-c13' }], organizations: [{ name: '昆明滇湖水务发展有限公司' }],
      pins: [{ companyId: 's-c13', needId: 's-n01', slot: 'b' }],
    };
    const programme = await scheduleEvent(matcher, event, { needs });
    expect(programme.meetings).toHaveLength(1);
    expect(programme.meetings[0]!.start).toBe('2027-03-29T07:00:00.000Z'); // CEST, +02:00
  }, 30_000);
});

describe('scheduleEvent on the sample fair', () => {
  it('honours requests, pins and forbids, and reports objective, bound and gap', async () => {
    const programme = await scheduleEvent(matcher, fair, { needs });
    const event = eventSchema.parse(fair);
    expect(findConflicts(event, programme.meetings, directory)).toEqual([]);
    expect(programme.method).toBe('lp');
    expect(programme.boundSource).toBe('lp');
    expect(programme.objective).toBeLessThanOrEqual(programme.bound + 1e-6);
    expect(programme.gap).toBeLessThan(0.05);
    const has = (companyId: string, needId: string) => programme.meetings.find((m) => m.companyId === companyId && m.needId === needId);
    expect(has('s-c13', 's-n01')?.request).toBe('accepted');
    expect(has('s-c01', 's-n21')?.request).toBe('accepted');
    expect(has('s-c05', 's-n03')).toBeUndefined(); // declined
    expect(programme.meetings.filter((m) => m.companyId === 's-c09' && m.organization === '昆明滇新能源技工学校')).toEqual([]);
    expect(has('s-c19', 's-n02')).toMatchObject({ slot: 's3', pinned: true });
    // Chinese-only organisation, companies without Chinese: an interpreter; s-c19 speaks zh.
    expect(has('s-c13', 's-n01')?.interpreter).toBe(true);
    expect(has('s-c19', 's-n02')?.interpreter).toBe(false);
    const weights = programme.meetings.reduce((sum, m) => sum + m.score + (m.request === 'accepted' ? 1 : 0), 0);
    expect(programme.objective).toBeCloseTo(weights, 5);
  });

  it('beats or equals the greedy baseline and is deterministic', async () => {
    const [lp, again, greedy] = [
      await scheduleEvent(matcher, fair, { needs }),
      await scheduleEvent(matcher, structuredClone(fair), { needs }),
      await scheduleEvent(matcher, fair, { needs, method: 'greedy' }),
    ];
    expect(JSON.stringify({ ...again, stats: undefined })).toBe(JSON.stringify({ ...lp, stats: undefined }));
    expect(lp.objective).toBeGreaterThanOrEqual(greedy.objective);
  });

  it('an event where nothing can meet is not an error', async () => {
    const event = { ...eventSchema.parse(fair), tables: 0, pins: [] };
    const programme = await scheduleEvent(matcher, event, { needs });
    expect(programme.meetings).toEqual([]);
    expect(programme.objective).toBe(0);
    expect(programme.unscheduledRequests.map((r) => r.reason)).toContain('capacity');
  });

  it('repairs a cancellation without touching any other meeting', async () => {
    const before = await scheduleEvent(matcher, fair, { needs });
    const event = eventSchema.parse(fair);
    const cancelled = before.meetings[3]!.companyId;
    const after = await scheduleEvent(
      matcher,
      { ...event, companies: event.companies.filter((c) => c.id !== cancelled), requests: event.requests.filter((r) => r.companyId !== cancelled), pins: event.pins.filter((p) => p.companyId !== cancelled) },
      { needs, previous: before },
    );
    const key = (m: { slot: string; table?: number; companyId: string; needId: string }) => `${m.slot}|${m.table}|${m.companyId}|${m.needId}`;
    const afterKeys = new Set(after.meetings.map(key));
    const others = before.meetings.filter((m) => m.companyId !== cancelled);
    for (const m of others) expect(afterKeys.has(key(m))).toBe(true);
    expect(after.changes?.removed.map((m) => m.companyId).every((id) => id === cancelled)).toBe(true);
    expect(after.changes?.removed.length).toBe(before.meetings.length - others.length);
    expect(after.changes?.kept).toBe(others.length);
    expect(findConflicts(eventSchema.parse({ ...event, companies: event.companies.filter((c) => c.id !== cancelled) }), after.meetings, directory)).toEqual([]);
  });

  it('reports progress by phase', async () => {
    const phases = new Set<string>();
    await scheduleEvent(matcher, fair, { needs, onProgress: (p) => phases.add(p.phase) });
    expect([...phases]).toEqual(['scores', 'solve', 'assign', 'fill']);
  });
});

/** Random events over the sample data, valid by construction. */
const randomEvent = fc
  .record({
    slots: fc.integer({ min: 1, max: 6 }),
    tables: fc.integer({ min: 0, max: 5 }),
    interpreters: fc.integer({ min: 0, max: 3 }),
    companies: fc.uniqueArray(fc.integer({ min: 0, max: companies.length - 1 }), { minLength: 1, maxLength: 14 }),
    orgs: fc.uniqueArray(fc.integer({ min: 0, max: organizations.length - 1 }), { minLength: 1, maxLength: 8 }),
    unavailable: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 12 }),
    max: fc.array(fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }), { minLength: 22, maxLength: 22 }),
    languages: fc.array(fc.option(fc.constantFrom<string[]>(['zh'], ['en'], ['sv', 'en'], ['zh', 'en']), { nil: undefined }), { minLength: 22, maxLength: 22 }),
    requests: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.constantFrom('accepted', 'declined', 'pending')), { maxLength: 10 }),
    forbids: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.boolean()), { maxLength: 3 }),
    pin: fc.option(fc.tuple(fc.nat(), fc.nat(), fc.nat()), { nil: undefined }),
  })
  .map((r) => {
    const slots = Array.from({ length: r.slots }, (_, i) => ({ id: `t${i}`, start: `2027-05-12T${String(8 + i).padStart(2, '0')}:00`, end: `2027-05-12T${String(8 + i).padStart(2, '0')}:45` }));
    const companyIds = r.companies.map((i) => companies[i]!.id);
    const orgNames = r.orgs.map((i) => organizations[i]!);
    const unavailable = new Map<string, Set<string>>();
    for (const [who, slot] of r.unavailable) {
      const list = [...companyIds, ...orgNames];
      const name = list[who % list.length]!;
      (unavailable.get(name) ?? unavailable.set(name, new Set()).get(name)!).add(slots[slot % slots.length]!.id);
    }
    const topicsOf = orgNames.flatMap((o) => directory.openNeedsOf(o).map((n) => n.id));
    const event = {
      id: 'random', name: 'Random fair', timeZone: 'Asia/Shanghai', slots, tables: r.tables, interpreters: r.interpreters,
      companies: companyIds.map((id, i) => ({ id, unavailable: [...(unavailable.get(id) ?? [])], ...(r.max[i] !== undefined ? { maxMeetings: r.max[i] } : {}), ...(r.languages[i] !== undefined ? { languages: r.languages[i] } : {}) })),
      organizations: orgNames.map((name, k) => ({ name, unavailable: [...(unavailable.get(name) ?? [])], ...(r.max[14 + k] !== undefined ? { maxMeetings: r.max[14 + k] } : {}), ...(r.languages[14 + k] !== undefined ? { languages: r.languages[14 + k] } : {}) })),
      requests: [...new Map(r.requests.map(([c, n, status]) => [`${companyIds[c % companyIds.length]}|${topicsOf[n % topicsOf.length]}`, status])).entries()]
        .map(([key, status]) => ({ companyId: key.split('|')[0]!, needId: key.split('|')[1]!, status })),
      forbids: r.forbids.map(([c, o, byNeed]) =>
        byNeed ? { companyId: companyIds[c % companyIds.length]!, needId: topicsOf[o % topicsOf.length]! } : { companyId: companyIds[c % companyIds.length]!, organization: orgNames[o % orgNames.length]! }),
      pins: [] as { companyId: string; needId: string; slot?: string }[],
    };
    if (r.pin !== undefined) {
      const companyId = companyIds[r.pin[0] % companyIds.length]!;
      const slot = slots[r.pin[2] % slots.length]!.id;
      const needId = topicsOf[r.pin[1] % topicsOf.length]!;
      const organization = directory.need(needId)!.organization;
      const ruledOut =
        event.requests.some((q) => q.companyId === companyId && q.needId === needId && q.status === 'declined') ||
        event.forbids.some((f) => f.companyId === companyId && ('needId' in f ? f.needId === needId : f.organization === organization));
      if (!ruledOut) event.pins.push({ companyId, needId, ...(unavailable.get(companyId)?.has(slot) ? {} : { slot }) });
    }
    return event;
  });

function expectValid(event: EventInput, programme: Programme): void {
  const parsed = eventSchema.parse(event);
  expect(findConflicts(parsed, programme.meetings, directory)).toEqual([]);
  const pairs = new Set(programme.meetings.map((m) => `${m.companyId}|${m.organization}`));
  expect(pairs.size).toBe(programme.meetings.length);
  for (const m of programme.meetings) {
    const company = parsed.companies.find((c) => c.id === m.companyId)!;
    const org = parsed.organizations.find((o) => o.name === m.organization)!;
    const companyLanguages = company.languages ?? companies.find((c) => c.id === m.companyId)!.languages ?? [matcher.profile('company', m.companyId)!.language];
    const orgLanguages = org.languages ?? directory.openNeedsOf(org.name).map((n) => matcher.profile('need', n.id)!.language);
    expect(m.interpreter).toBe(!companyLanguages.some((l) => orgLanguages.includes(l)));
  }
  expect(programme.objective).toBeLessThanOrEqual(programme.bound + 1e-6);
  expect(programme.gap).toBeGreaterThanOrEqual(0);
}

describe('a programme never breaks a constraint (properties over random events)', () => {
  for (const method of ['lp', 'heuristic', 'greedy'] as ScheduleMethod[]) {
    it(`method ${method}`, async () => {
      await fc.assert(
        fc.asyncProperty(randomEvent, async (event) => {
          const programme = await scheduleEvent(matcher, event, { needs, method });
          expectValid(event, programme);
        }),
        { numRuns: 30, seed: 11 },
      );
    }, 60_000);
  }

  it('the LP programme is at least as good as the greedy one, and repairs stay valid', async () => {
    await fc.assert(
      fc.asyncProperty(randomEvent, fc.nat(), async (event, drop) => {
        const lp = await scheduleEvent(matcher, event, { needs });
        const greedy = await scheduleEvent(matcher, event, { needs, method: 'greedy' });
        expect(lp.objective).toBeGreaterThanOrEqual(greedy.objective - 1e-6);
        const gone = event.companies[drop % event.companies.length]!.id;
        const smaller = { ...event, companies: event.companies.filter((c) => c.id !== gone), requests: event.requests.filter((r) => r.companyId !== gone), forbids: event.forbids.filter((f) => f.companyId !== gone), pins: event.pins.filter((p) => p.companyId !== gone) };
        if (smaller.companies.length === 0) return;
        const repaired = await scheduleEvent(matcher, smaller, { needs, previous: lp });
        expectValid(smaller, repaired);
        const kept = new Set(repaired.meetings.map((m) => `${m.slot}|${m.table}|${m.companyId}|${m.needId}`));
        for (const m of lp.meetings) if (m.companyId !== gone) expect(kept.has(`${m.slot}|${m.table}|${m.companyId}|${m.needId}`)).toBe(true);
      }),
      { numRuns: 25, seed: 5 },
    );
  }, 60_000);
});
