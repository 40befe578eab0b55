import { existsSync, readFileSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { partnermatch, repoRoot, sampleDir, tempDir } from './helpers.js';

const companiesFile = join(sampleDir, 'companies.json');
const needsFile = join(sampleDir, 'needs.json');
const eventFile = join(repoRoot, 'fixtures', 'events', 'kunming-fair.json');
const fair = JSON.parse(readFileSync(eventFile, 'utf8')) as Record<string, unknown> & {
  slots: { id: string; start: string; end: string }[];
  companies: { id: string }[];
  requests: { companyId: string }[];
  pins: { companyId: string }[];
  forbids: { companyId: string }[];
};

interface Output {
  eventId: string;
  meetings: { slot: string; table: number; companyId: string; needId: string; organization: string; score: number; interpreter: boolean }[];
  objective: number;
  bound: number;
  gap: number;
  unscheduledRequests: { companyId: string; needId: string; reason: string }[];
  changes?: { kept: number; removed: { companyId: string }[] };
}

const schedule = (event: string, ...extra: string[]) => partnermatch(['schedule', '--companies', companiesFile, '--needs', needsFile, '--event', event, ...extra]);

async function writeEvent(dir: string, event: unknown, name = 'event.json'): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, JSON.stringify(event));
  return path;
}

describe('partnermatch schedule (a real process)', () => {
  it('prints the contract fields for the sample fair, stdout carrying only the JSON', async () => {
    const result = await schedule(eventFile, '--time-limit', '20');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout) as Output;
    for (const field of ['eventId', 'meetings', 'objective', 'bound', 'unscheduledRequests']) expect(out).toHaveProperty(field);
    expect(out.eventId).toBe('kunming-fair-2027');
    expect(out.meetings.length).toBeGreaterThan(20);
    for (const meeting of out.meetings) {
      for (const field of ['slot', 'table', 'companyId', 'needId', 'organization', 'score', 'interpreter']) expect(meeting).toHaveProperty(field);
    }
    expect(out.objective).toBeLessThanOrEqual(out.bound + 1e-6);
    expect(out.gap).toBeGreaterThanOrEqual(0);
    // Pending request of s-c11 (a Swedish-only company) for a Chinese school is reported, not lost.
    expect(out.unscheduledRequests.every((r) => r.reason.length > 0)).toBe(true);
  });

  it('exits 2 naming the field for a bad event, and writes nothing', async () => {
    const dir = await tempDir();
    const slots = fair.slots.map((s, i) => (i === 2 ? { ...s, end: '2027-05-12T10:00' } : s));
    const badSlots = await writeEvent(dir, { ...fair, slots });
    const out = join(dir, 'programme.json');
    const first = await schedule(badSlots, '--out', out);
    expect(first.code).toBe(2);
    expect(first.stderr).toContain(`${badSlots}: event.slots[2].end: must be after the slot's start (2027-05-12T10:20), got 2027-05-12T10:00`);
    expect(existsSync(out)).toBe(false);

    const badIds = await writeEvent(dir, { ...fair, companies: [...fair.companies, { id: 'x-404' }], requests: [...fair.requests, { companyId: 's-c13', needId: 'n-404', status: 'accepted' }] }, 'ids.json');
    const second = await schedule(badIds);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(`event.companies[${fair.companies.length}].id: no company with id "x-404"`);
    expect(second.stderr).toContain(`event.requests[${fair.requests.length}].needId: no need with id "n-404"`);
    expect(second.stdout).toBe('');

    const negative = await schedule(await writeEvent(dir, { ...fair, tables: -2, interpreters: -1 }, 'neg.json'));
    expect(negative.code).toBe(2);
    expect(negative.stderr).toContain('event.tables: must not be negative');
    expect(negative.stderr).toContain('event.interpreters: must not be negative');

    const limit = await schedule(eventFile, '--time-limit', 'soon');
    expect(limit.code).toBe(2);
    expect(limit.stderr).toContain('--time-limit: must be a number of seconds above 0');
  });

  it('an event with no feasible meeting is not an error', async () => {
    const dir = await tempDir();
    const result = await schedule(await writeEvent(dir, { ...fair, tables: 0, pins: [] }));
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout) as Output;
    expect(out.meetings).toEqual([]);
    expect(out.objective).toBe(0);
  });

  it('writes agendas, calendars and CSV, and repairs a cancellation with --previous', async () => {
    const dir = await tempDir();
    const first = join(dir, 'first.json');
    const csv = join(dir, 'programme.csv');
    const result = await schedule(eventFile, '--out', first, '--agendas', join(dir, 'agendas'), '--csv', csv, '--language', 'zh');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    const ics = await readdir(join(dir, 'agendas', 'ics'));
    expect(ics.filter((f) => f.startsWith('company-'))).toHaveLength(fair.companies.length);
    expect(ics.some((f) => f.includes('昆明滇湖水务发展有限公司'))).toBe(true);
    const calendar = await readFile(join(dir, 'agendas', 'ics', 'company-s-c13.ics'), 'utf8');
    expect(calendar).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(calendar).toContain('DTSTART;TZID=Asia/Shanghai:');
    const zhAgendas = JSON.parse(await readFile(join(dir, 'agendas', 'agendas.zh.json'), 'utf8')) as { labels: { table: string } }[];
    expect(zhAgendas[0]!.labels.table).toBe('桌号');
    const csvText = await readFile(csv, 'utf8');
    expect(csvText.charCodeAt(0)).toBe(0xfeff);
    expect(csvText).toContain('时段,日期');

    const before = JSON.parse(await readFile(first, 'utf8')) as Output;
    const cancelled = before.meetings[0]!.companyId;
    const without = await writeEvent(dir, {
      ...fair,
      companies: fair.companies.filter((c) => c.id !== cancelled),
      requests: fair.requests.filter((r) => r.companyId !== cancelled),
      pins: fair.pins.filter((p) => p.companyId !== cancelled),
      // A cancelled company's pairs that must not meet go with it (the event names participants only).
      forbids: fair.forbids.filter((f) => f.companyId !== cancelled),
    }, 'cancelled.json');
    const repaired = await schedule(without, '--previous', first);
    expect(repaired.code).toBe(0);
    const after = JSON.parse(repaired.stdout) as Output;
    const key = (m: Output['meetings'][number]) => `${m.slot}|${m.table}|${m.companyId}|${m.needId}`;
    const afterKeys = new Set(after.meetings.map(key));
    for (const m of before.meetings.filter((x) => x.companyId !== cancelled)) expect(afterKeys.has(key(m))).toBe(true);
    expect(after.changes?.removed.every((m) => m.companyId === cancelled)).toBe(true);

    const badPrevious = join(dir, 'bad-previous.json');
    await writeFile(badPrevious, JSON.stringify({ meetings: [{ slot: 's1', table: 0, companyId: 's-c01' }] }));
    const refused = await schedule(eventFile, '--previous', badPrevious);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${badPrevious}: previous.meetings[0].table: must be at least 1`);
    expect(refused.stderr).toContain(`${badPrevious}: previous.meetings[0].needId: is required`);
  });
});
